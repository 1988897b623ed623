import type { Logger } from "pino";
import { type Config, ConfigError, type QueueConfig } from "../config.ts";
import type { JobCatalogue } from "../pipeline/jobs.ts";
import type { WorkQueue } from "../pipeline/work-queue.port.ts";
import type { SqlDriver } from "../store/driver.ts";

/**
 * Embedded (no REDIS_URL): the inbox is the queue. Distributed (REDIS_URL): BullMQ, which needs a
 * store every process shares, so DATABASE_URL too (PGlite belongs to one process).
 */
export function checkQueueSettings(config: Pick<Config, "queue" | "store">): void {
  if (config.queue.REDIS_URL && !config.store.DATABASE_URL) throw distributedNeedsPostgres();
}

function distributedNeedsPostgres(): ConfigError {
  return new ConfigError([
    {
      variable: "DATABASE_URL",
      message:
        "REDIS_URL is set (distributed mode) but DATABASE_URL is not: workers and API processes must share a PostgreSQL; the embedded PGlite store belongs to one process",
    },
  ]);
}

export async function openQueue(
  config: QueueConfig,
  deps: {
    db: SqlDriver;
    logger: Logger;
    catalogue: JobCatalogue;
    worker: string;
    ingestBusy?: () => boolean;
  },
): Promise<WorkQueue> {
  if (config.REDIS_URL && deps.db.kind === "pglite") throw distributedNeedsPostgres();
  const leaseMs = Math.round(config.WORKER_LEASE_SECONDS * 1000);
  if (config.REDIS_URL) {
    const { createBullmqQueue } = await import("./bullmq.queue.ts");
    return createBullmqQueue({
      url: config.REDIS_URL,
      db: deps.db,
      logger: deps.logger,
      catalogue: deps.catalogue,
      worker: deps.worker,
      leaseMs,
      sweepMs: config.PIPELINE_POLL_MS,
      sweepGraceMs: Math.max(2 * config.PIPELINE_POLL_MS, 2000),
    });
  }
  const { createEmbeddedQueue } = await import("./embedded.queue.ts");
  return createEmbeddedQueue({
    db: deps.db,
    logger: deps.logger,
    worker: deps.worker,
    leaseMs,
    pollMs: config.PIPELINE_POLL_MS,
    // PGlite has one connection: acknowledgements go first (see createEmbeddedQueue).
    ...(deps.db.kind === "pglite" && deps.ingestBusy ? { deferWhile: deps.ingestBusy } : {}),
  });
}
