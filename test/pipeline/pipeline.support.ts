import { randomUUID } from "node:crypto";
import pino from "pino";
import { DEFAULT_IMPACT_SETTINGS } from "../../src/impact/impact.settings.ts";
import { inboxRepository } from "../../src/inbox/inbox.repository.ts";
import { type Routing, routingFromSettings } from "../../src/notify/routing.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { jobCatalogue } from "../../src/pipeline/jobs.ts";
import { pipelineMetrics } from "../../src/pipeline/pipeline.metrics.ts";
import { buildPhases, type Phases } from "../../src/pipeline/pipeline.phases.ts";
import { createNoticeProcessor, type DeadLetterAlert } from "../../src/pipeline/pipeline.runner.ts";
import { createEmbeddedQueue } from "../../src/queue/embedded.queue.ts";
import type { SqlDriver } from "../../src/store/driver.ts";

export const silent = pino({ level: "silent" });

export function alertBody(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source_platform: "siliconexpert",
    manufacturer_code: "TI",
    part_number: `LM${1000 + i}DR`,
    lifecycle_status: "EOL",
    ltb_date: "2027-06-30",
    idempotency_key: `alert-${i}-${randomUUID()}`,
    ...extra,
  };
}

/** Commits alerts to the inbox as the ingest route does; returns their trace ids. */
export async function commitAlerts(
  db: SqlDriver,
  bodies: Record<string, unknown>[],
  route = "component-alert",
) {
  const rows = bodies.map((b) => ({
    traceId: randomUUID(),
    route,
    source: "siliconexpert",
    provider: null,
    idempotencyKey: `alert:${String(b.idempotency_key ?? randomUUID())}`,
    receivedAt: new Date(),
    contentType: "application/json",
    raw: Buffer.from(typeof b.__raw === "string" ? b.__raw : JSON.stringify(b)),
  }));
  await inboxRepository.insertMany(db, rows);
  return rows.map((r) => r.traceId);
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

export async function statusCounts(db: SqlDriver): Promise<Record<string, number>> {
  const r = await db.query<{ status: string; n: number }>(
    "select status, count(*)::int as n from inbox group by status",
  );
  return Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
}

/**
 * A worker over `db` (embedded queue + processor) with the production phases (no model, no
 * notification destination configured), optionally wrapped by the test.
 */
export function startWorker(
  db: SqlDriver,
  opts: {
    wrap?: (p: Phases) => Phases;
    alerter?: DeadLetterAlert;
    maxRetries?: number;
    leaseMs?: number;
    concurrency?: number;
    worker?: string;
    /** Build the processor only, without a queue claiming work. */
    processorOnly?: boolean;
    /** Where stakeholder messages go (default: nowhere). */
    routing?: Routing;
    /** A webhook destination, so the notify phase writes outbox rows (nothing is sent: no dispatcher). */
    webhookUrl?: string;
  } = {},
) {
  const metrics = newRegistry();
  const phases = buildPhases({
    db,
    llm: null,
    settings: DEFAULT_IMPACT_SETTINGS,
    routing:
      opts.routing ?? routingFromSettings({ NOTIFY_MIN_REVENUE_AT_RISK: 0, WEBHOOK_URL: opts.webhookUrl }),
    publicBaseUrl: "http://127.0.0.1:8000",
  });
  const worker = opts.worker ?? `test-${randomUUID().slice(0, 6)}`;
  const processor = createNoticeProcessor({
    db,
    phases: opts.wrap ? opts.wrap(phases) : phases,
    catalogue: jobCatalogue({
      MAX_RETRIES: opts.maxRetries ?? 2,
      PIPELINE_PHASE_TIMEOUT_SECONDS: 5,
      PIPELINE_BACKOFF_BASE_MS: 5,
    }),
    metrics: pipelineMetrics(metrics, db, silent),
    logger: silent,
    now: () => new Date(),
    random: Math.random,
    alerter: opts.alerter ?? { alert: () => {} },
    worker,
  });
  const queue = createEmbeddedQueue({
    db,
    logger: silent,
    worker,
    leaseMs: opts.leaseMs ?? 10_000,
    pollMs: 20,
  });
  if (!opts.processorOnly) queue.startWorker((c, s) => processor.handle(c, s), opts.concurrency ?? 4);
  return { queue, processor, metrics, worker };
}
