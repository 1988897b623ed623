import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import pino from "pino";
import type { Config } from "../config.ts";
import { createInboxIngestor } from "../ingest/inbox.ingestor.ts";
import { openConfiguredSources, openConfiguredStore, openProcessGuards } from "../main.ts";
import { createMemoryRateGate } from "../notify/rate-gate.ts";
import { createLogger } from "../observability/logger.ts";
import { newRegistry } from "../observability/metrics.ts";
import { sourceMetrics } from "../sources/source.metrics.ts";
import type { SourceScheduler } from "../sources/source.scheduler.ts";
import { type SourcesSetup, sourceScheduler } from "../sources/sources.wiring.ts";
import type { SqlDriver } from "../store/driver.ts";

/**
 * What the source commands share: the store, an Ingestor writing into its inbox (the gateway's
 * workers pick the rows up: the embedded queue polls the inbox, BullMQ's sweeper finds unqueued
 * rows), and a scheduler over the configured sources that is never started, only asked to run one
 * source now, under the same lease the gateways use. Logs go to stderr; stdout is the command's.
 */
export interface SourcesCommandContext {
  db: SqlDriver;
  setup: SourcesSetup;
  scheduler: SourceScheduler;
  ingestor: ReturnType<typeof createInboxIngestor>;
  close(): Promise<void>;
}

export async function openSourcesForCommand(config: Config, db?: SqlDriver): Promise<SourcesCommandContext> {
  const store = db ?? (await openConfiguredStore(config));
  const logger = createLogger(config.log, pino.destination({ dest: 2, sync: true }));
  const metrics = newRegistry();
  const now = () => new Date();
  const ingestor = createInboxIngestor({
    db: store,
    metrics,
    logger,
    now,
    options: { windowMs: 0, maxBatch: config.ingest.INGEST_BATCH_MAX },
  });
  const setup = openConfiguredSources(config, { db: store, gate: createMemoryRateGate(Date.now), now });
  const { alerter, breakers } = openProcessGuards(config, logger);
  const scheduler = sourceScheduler(config.sources, setup, {
    db: store,
    ingestor,
    metrics: sourceMetrics(metrics, null),
    logger,
    alerter,
    breaker: (name) => breakers.get(name),
    worker: `cli:${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    now,
  });
  return {
    db: store,
    setup,
    scheduler,
    ingestor,
    async close() {
      await ingestor.flush();
      await alerter.stop();
      if (!db) await store.close();
    },
  };
}
