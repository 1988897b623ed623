import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import pino from "pino";
import type { Config } from "../config.ts";
import { createInboxIngestor } from "../ingest/inbox.ingestor.ts";
import { createEngineeringAlerter } from "../notify/engineering.alert.ts";
import { createMemoryRateGate } from "../notify/rate-gate.ts";
import { createLogger } from "../observability/logger.ts";
import { newRegistry } from "../observability/metrics.ts";
import { createBreakerRegistry } from "../resilience/circuit-breaker.ts";
import { sourceMetrics } from "../sources/source.metrics.ts";
import type { SourceScheduler } from "../sources/source.scheduler.ts";
import { buildSources, type SourcesSetup, sourceScheduler } from "../sources/sources.wiring.ts";
import type { SqlDriver } from "../store/driver.ts";
import { openStore } from "../store/open.ts";

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
  const store = db ?? (await openStore(config));
  const logger = createLogger(config, pino.destination({ dest: 2, sync: true }));
  const metrics = newRegistry();
  const now = () => new Date();
  const ingestor = createInboxIngestor({
    db: store,
    metrics,
    logger,
    now,
    options: { windowMs: 0, maxBatch: config.INGEST_BATCH_MAX },
  });
  const setup = buildSources(config, { db: store, gate: createMemoryRateGate(Date.now), now });
  const alerter = createEngineeringAlerter({ url: config.ENGINEERING_WEBHOOK_URL, now: Date.now, logger });
  const breakers = createBreakerRegistry({
    failureThreshold: 5,
    resetAfterMs: 30_000,
    halfOpenMax: 1,
    now: Date.now,
  });
  const scheduler = sourceScheduler(config, setup, {
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
