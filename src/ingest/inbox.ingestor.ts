import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { inboxRepository, type NewInboxRow } from "../inbox/inbox.repository.ts";
import { counter, histogram, type Registry } from "../observability/metrics.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { AcceptOutcome, IncomingNotice, Ingestor } from "./ingest.ts";

export interface GroupCommitOptions {
  /** How long the first write of a batch waits for company before the batch is written. */
  windowMs: number;
  /** A batch is written at once when it reaches this many distinct notices. */
  maxBatch: number;
  /**
   * Batches written at the same time. PGlite has one connection, so 1; a PostgreSQL pool overlaps
   * round trips with more. Concurrent batches that share a key meet at the unique index.
   */
  maxInFlight?: number;
}

interface Pending {
  row: NewInboxRow;
  waiters: { resolve: (o: AcceptOutcome) => void; first: boolean }[];
}

/**
 * The Ingestor over the inbox table, with group commit: writes that arrive close together share one
 * multi-row insert, and every caller is answered only after that insert has committed. At most one
 * batch is in flight; what arrives meanwhile forms the next batch, so batches grow with load and a
 * lone request waits at most `windowMs`.
 *
 * Idempotency: the key space is namespaced by route family (`alert:` for JSON alerts, `email:` for
 * every email route, so one Message-ID is one notice whichever gateway relays it). Repeats within a
 * batch join the first occurrence; repeats across batches and processes meet the unique index.
 */
export function createInboxIngestor(deps: {
  db: SqlDriver;
  metrics: Registry;
  logger: Logger;
  now: () => Date;
  options: GroupCommitOptions;
  /** Called after a batch commits with the trace ids it created (the queue enqueues them). */
  onCommitted?: (traceIds: string[]) => void;
}): Ingestor & { flush(): Promise<void>; pending(): number; busy(): boolean } {
  const { db, options } = deps;
  const batchSize = histogram(
    deps.metrics,
    "eolgate_ingest_batch_size",
    "Notices written per group commit",
    [],
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  );
  const storeFailures = counter(
    deps.metrics,
    "eolgate_ingest_store_failures_total",
    "Group commits that failed",
  );

  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  let queue = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();
  const rate = createRateMeter(100);

  const launch = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const p: Promise<void> = writeBatch().finally(() => {
      inFlight.delete(p);
      // What arrived during the write has waited long enough: write it now.
      if (queue.size > 0 && inFlight.size < maxInFlight && !timer) launch();
    });
    inFlight.add(p);
  };

  const schedule = () => {
    if (queue.size === 0 || inFlight.size >= maxInFlight) return;
    if (queue.size >= options.maxBatch || options.windowMs <= 0) return launch();
    timer ??= setTimeout(() => {
      timer = null;
      if (queue.size > 0 && inFlight.size < maxInFlight) launch();
    }, options.windowMs);
  };

  async function writeBatch(): Promise<void> {
    const batch = queue;
    queue = new Map();
    const items = [...batch.values()];
    try {
      if (items.length > 0) {
        batchSize.observe(items.length);
        const result = await inboxRepository.insertMany(
          db,
          items.map((p) => p.row),
        );
        const created: string[] = [];
        for (const p of items) {
          const owner = result.get(p.row.idempotencyKey);
          if (!owner) {
            // Neither inserted nor found: the conflicting row vanished (not possible with a
            // forward-only inbox). Treat it as a store fault so the sender retries.
            for (const w of p.waiters)
              w.resolve({ kind: "store_unavailable", reason: "inbox row not found" });
            continue;
          }
          if (owner.created) created.push(owner.traceId);
          for (const w of p.waiters) {
            w.resolve({ kind: "accepted", traceId: owner.traceId, duplicate: !(owner.created && w.first) });
          }
        }
        if (created.length > 0) deps.onCommitted?.(created);
      }
    } catch (err) {
      storeFailures.inc();
      deps.logger.error({ err, batch: items.length }, "inbox group commit failed; answering 503");
      const reason = err instanceof Error ? err.message : String(err);
      for (const p of items) for (const w of p.waiters) w.resolve({ kind: "store_unavailable", reason });
    }
  }

  return {
    accept(n: IncomingNotice): Promise<AcceptOutcome> {
      rate.tick();
      const key = `${n.route.startsWith("email") ? "email" : "alert"}:${n.idempotencyKey}`;
      return new Promise<AcceptOutcome>((resolve) => {
        const existing = queue.get(key);
        if (existing) {
          existing.waiters.push({ resolve, first: false });
        } else {
          queue.set(key, {
            row: {
              traceId: randomUUID(),
              route: n.route,
              source: n.source,
              provider: n.provider,
              idempotencyKey: key,
              receivedAt: deps.now(),
              contentType: n.contentType,
              raw: n.raw,
            },
            waiters: [{ resolve, first: true }],
          });
        }
        schedule();
      });
    },
    async flush() {
      while (inFlight.size > 0 || queue.size > 0) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
        }
        if (queue.size > 0 && inFlight.size < maxInFlight) launch();
        await Promise.race(inFlight);
      }
    },
    pending: () => queue.size,
    /**
     * Under load: a batch is being written or waits, or notices arrive faster than
     * BUSY_RATE_PER_S. A trickle (a few notices a second) never holds the pipeline back.
     */
    busy: () => queue.size > 0 || inFlight.size > 0 || rate.perSecond() > BUSY_RATE_PER_S,
  };
}

/** Above this arrival rate ingest counts as busy (see `busy`). */
const BUSY_RATE_PER_S = 200;

/** Arrivals per second over the last one or two windows of `windowMs` (two buckets, no timers). */
function createRateMeter(windowMs: number) {
  let bucketStart = 0;
  let current = 0;
  let previous = 0;
  const roll = (now: number) => {
    if (now - bucketStart >= windowMs) {
      previous = now - bucketStart >= 2 * windowMs ? 0 : current;
      current = 0;
      bucketStart = now - ((now - bucketStart) % windowMs);
    }
  };
  return {
    tick() {
      roll(Date.now());
      current++;
    },
    perSecond() {
      const now = Date.now();
      roll(now);
      const elapsed = windowMs + (now - bucketStart);
      return ((previous + current) * 1000) / elapsed;
    },
  };
}
