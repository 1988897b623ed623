import pino from "pino";
import { type Config, loadConfig } from "../../src/config.ts";
import { buildApp } from "../../src/http/app.ts";
import { impactSettingsFromConfig } from "../../src/impact/impact.settings.ts";
import { createDriftTracker } from "../../src/ingest/drift.ts";
import { createInboxIngestor } from "../../src/ingest/inbox.ingestor.ts";
import { openRateLimitRedis } from "../../src/main.ts";
import { routingFromSettings } from "../../src/notify/routing.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import type { SlackInteractionDeps } from "../../src/slack/slack.interactions.service.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { accessOf } from "../../src/users/access.ts";
import { testEmailOptions } from "./email-options.ts";

/** A configuration as the environment would give it, with test overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: "silent", ...env });
}

/** The HTTP app over a real store, listening on a loopback port (no worker: nothing is processed). */
export async function startTestApp(
  db: SqlDriver,
  env: Record<string, string> = {},
  opts: { slack?: SlackInteractionDeps; consoleDir?: string | null } = {},
) {
  const config = testConfig(env);
  const logger = pino({ level: "silent" });
  const metrics = newRegistry();
  const now = () => new Date();
  const drift = createDriftTracker({ db, metrics, logger, flushEveryMs: 60_000 });
  const ingestor = createInboxIngestor({
    db,
    metrics,
    logger,
    now,
    options: { windowMs: config.ingest.INGEST_BATCH_WINDOW_MS, maxBatch: config.ingest.INGEST_BATCH_MAX },
  });
  const rateLimitRedis = openRateLimitRedis(config);
  const app = await buildApp({
    config,
    db,
    ingestor,
    metrics,
    logger,
    now,
    drift,
    readiness: [{ name: "store", check: () => db.ping() }],
    email: testEmailOptions(db),
    rateLimitRedis,
    enqueue: () => {},
    consoleDir: opts.consoleDir ?? null,
    ...accessOf(db, config),
    slack: opts.slack ?? null,
    publicBaseUrl: config.notify.PUBLIC_BASE_URL,
    review: {
      settings: impactSettingsFromConfig(config.impact),
      routing: routingFromSettings(config.notify),
      publicBaseUrl: config.notify.PUBLIC_BASE_URL,
    },
    sources: { polled: [], importColumns: {}, importMaxBytes: config.sources.SOURCE_IMPORT_MAX_BYTES },
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    app,
    drift,
    metrics,
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : null, text };
    },
    async get(path: string, headers: Record<string, string> = {}) {
      const res = await fetch(url + path, { headers });
      const text = await res.text();
      return { status: res.status, body: safeJson(text), text };
    },
    async close() {
      await app.close();
      rateLimitRedis?.disconnect();
      await drift.stop();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The seed design's ComponentAlert, as a lifecycle platform posts it. */
export const SEED_ALERT = {
  source_platform: "SiliconExpert",
  manufacturer_code: "TI",
  part_number: "TPS54331D",
  lifecycle_status: "EOL",
  raw_context: "Texas Instruments PDN 20260113002: TPS54331D last time buy 2027-03-31.",
};

export async function inboxCount(db: SqlDriver): Promise<number> {
  const r = await db.query<{ n: number }>("select count(*)::int as n from inbox");
  return r.rows[0]!.n;
}
