import Fastify, { type FastifyBaseLogger } from "fastify";
import pino from "pino";
import { request } from "undici";
import { type Config, loadConfig } from "../../src/config.ts";
import { registerEmailRoutes } from "../../src/http/email.routes.ts";
import type { AcceptOutcome, IncomingNotice, Ingestor } from "../../src/ingest/ingest.ts";
import { newRegistry, type Registry } from "../../src/observability/metrics.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { type EmailOptionOverrides, testEmailOptions } from "./email-options.ts";
import type { ProviderRequest } from "./email-providers.ts";

/**
 * A recording Ingestor for route tests: our own port (not a third party), deduplicating by key as
 * the inbox does, and able to play a store outage.
 */
export function recordingIngestor() {
  const traceByKey = new Map<string, string>();
  const stored: IncomingNotice[] = [];
  const state = { down: false };
  const ingestor: Ingestor = {
    async accept(n: IncomingNotice): Promise<AcceptOutcome> {
      if (state.down) return { kind: "store_unavailable", reason: "test store is down" };
      const key = `email:${n.idempotencyKey}`;
      const seen = traceByKey.get(key);
      if (seen) return { kind: "accepted", traceId: seen, duplicate: true };
      const traceId = crypto.randomUUID();
      traceByKey.set(key, traceId);
      stored.push(n);
      return { kind: "accepted", traceId, duplicate: false };
    },
  };
  return { ingestor, stored, state };
}

export interface EmailTestApp {
  url: string;
  config: Config;
  metrics: Registry;
  clock: { now: Date };
  post(provider: string, req: ProviderRequest): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** The email routes alone on a real Fastify listening on loopback port 0. */
export async function startEmailApp(opts: {
  env?: Record<string, string>;
  db: SqlDriver;
  ingestor: Ingestor;
  /** Fakes for what the routes reach (AWS, Mailgun storage); the real store-backed token memory by default. */
  routeOptions?: EmailOptionOverrides;
}): Promise<EmailTestApp> {
  const config = loadConfig({ ...opts.env });
  const metrics = newRegistry();
  const clock = { now: new Date(Math.floor(Date.now() / 1000) * 1000) };
  const logger = pino({ level: "silent" });
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  await registerEmailRoutes(app, {
    config,
    ingestor: opts.ingestor,
    metrics,
    now: () => clock.now,
    email: testEmailOptions(opts.db, opts.routeOptions),
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: address,
    config,
    metrics,
    clock,
    async post(provider, req) {
      const res = await request(`${address}/v1/ingest/email/${provider}${req.query ? `?${req.query}` : ""}`, {
        method: "POST",
        headers: req.headers,
        body: req.body,
      });
      const text = await res.body.text();
      return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => app.close(),
  };
}

/** The value of one labelled series of a counter, 0 when absent. */
export async function metricValue(
  reg: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const m = reg.getSingleMetric(name);
  if (!m) return 0;
  const data = await m.get();
  const v = data.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v ? v.value : 0;
}
