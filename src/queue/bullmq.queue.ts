import { Queue, Worker } from "bullmq";
import type { Logger } from "pino";
import { inboxClaims } from "../inbox/inbox.repository.ts";
import {
  type JobCatalogue,
  LANES,
  type Lane,
  NoticeJobPayload,
  policyFor,
  replayConcurrency,
} from "../pipeline/jobs.ts";
import type { WorkQueue } from "../pipeline/work-queue.port.ts";
import type { SqlDriver } from "../store/driver.ts";
import { createInflight } from "./inflight.ts";

/**
 * BullMQ on Redis: one queue per lane, job id = trace id (so a notice is at most once in a queue).
 * Redis only carries wake-ups; the inbox stays the record:
 *  - `enqueue` runs after the inbox commit and never fails ingest (Redis down → logged);
 *  - a sweeper in each worker re-adds inbox rows that are due and have not moved for `sweepGraceMs`
 *    (never queued, queued while Redis was down, job lost with Redis, retry fallen due, holder dead);
 *    adding an id that is already waiting is a no-op in BullMQ, so sweepers may overlap;
 *  - a job only runs its notice after claiming the inbox lease, so a stalled job redelivered by
 *    BullMQ while its first worker still works finds the row held and ends without running it.
 * Finished jobs are removed at once, so a later retry of the same trace id can be added again.
 */
export function createBullmqQueue(opts: {
  url: string;
  db: SqlDriver;
  logger: Logger;
  catalogue: JobCatalogue;
  worker: string;
  leaseMs: number;
  sweepMs: number;
  sweepGraceMs: number;
}): WorkQueue {
  const { logger } = opts;
  // Producers fail fast while Redis is away (enableOfflineQueue false): the sweeper heals later,
  // and ingest is never held up waiting for Redis.
  const producerConnection = { url: opts.url, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  const queues = new Map<Lane, Queue>();
  for (const lane of LANES) {
    const q = new Queue(policyFor(opts.catalogue, lane).name, { connection: producerConnection });
    q.on("error", (err) => logger.debug({ err: err.message, lane }, "bullmq queue connection error"));
    queues.set(lane, q);
  }
  const workers: Worker[] = [];
  const inflight = createInflight({ db: opts.db, leaseMs: opts.leaseMs, worker: opts.worker, logger });
  let sweeper: NodeJS.Timeout | null = null;
  let sweeping = false;
  let redisDownLogged = false;

  const add = async (traceIds: readonly string[], lane: Lane) => {
    const q = queues.get(lane);
    if (!q || traceIds.length === 0) return;
    await q.addBulk(
      traceIds.map((traceId) => ({
        name: "notice",
        data: { traceId },
        opts: { jobId: traceId, removeOnComplete: true, removeOnFail: true, attempts: 1 },
      })),
    );
  };

  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const rows = await inboxClaims.stale(opts.db, opts.sweepGraceMs, 1000);
      for (const lane of LANES) {
        const ids = rows.filter((r) => r.lane === lane).map((r) => r.traceId);
        if (ids.length > 0) await add(ids, lane);
      }
      if (rows.length > 0) logger.debug({ rows: rows.length }, "sweeper re-enqueued stale inbox rows");
      redisDownLogged = false;
    } catch (err) {
      if (!redisDownLogged)
        logger.warn({ err: (err as Error).message }, "sweeper could not re-enqueue; will retry");
      redisDownLogged = true;
    } finally {
      sweeping = false;
    }
  };

  return {
    kind: "bullmq",
    enqueue(traceIds, lane) {
      add(traceIds, lane).catch((err: Error) => {
        logger.warn(
          { err: err.message, notices: traceIds.length },
          "enqueue failed; the sweeper will pick these notices up from the inbox",
        );
      });
    },
    startWorker(handler, concurrency) {
      for (const lane of LANES) {
        const policy = policyFor(opts.catalogue, lane);
        const w = new Worker(
          policy.name,
          async (job) => {
            const payload = NoticeJobPayload.safeParse(job.data);
            if (!payload.success) {
              logger.error(
                { job: job.id },
                "job payload breaks its schema; dropped (the inbox keeps the notice)",
              );
              return;
            }
            const claim = await inboxClaims.claimOne(
              opts.db,
              payload.data.traceId,
              opts.leaseMs,
              opts.worker,
            );
            // Not claimable: done, dead, held by a live worker, or not yet due. Nothing to do now;
            // the sweeper brings it back if it still needs work later.
            if (!claim) return;
            await inflight.run(claim, handler);
          },
          {
            connection: { url: opts.url, maxRetriesPerRequest: null },
            concurrency: lane === "replay" ? replayConcurrency(concurrency) : concurrency,
            lockDuration: opts.leaseMs,
            stalledInterval: opts.leaseMs,
            maxStalledCount: 100,
          },
        );
        w.on("error", (err) => logger.debug({ err: err.message, lane }, "bullmq worker connection error"));
        workers.push(w);
      }
      sweeper = setInterval(() => void sweep(), opts.sweepMs);
      void sweep();
    },
    async ping() {
      const q = queues.get("main");
      if (!q) throw new Error("no queue");
      // A real round trip: fails at once while Redis is away (no offline queue on producers).
      await q.getJobCounts("wait");
    },
    async close(drainMs) {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      // Stop fetching first (pause locally without waiting), then let in-hand work finish or release.
      await Promise.all(workers.map((w) => w.pause(true)));
      await inflight.drain(drainMs);
      // With Redis away, BullMQ's close waits for a reconnect; the inbox already holds everything
      // (released rows are swept later), so do not let it hold the exit hostage.
      const closing = Promise.all([
        ...workers.map((w) => w.close()),
        ...[...queues.values()].map((q) => q.close()),
      ]);
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), 5000);
        }),
      ]);
      clearTimeout(timer);
      if (gaveUp) {
        logger.warn("Redis did not answer while closing; disconnecting without it");
        for (const w of workers) void w.disconnect().catch(() => {});
        for (const q of queues.values()) void q.disconnect().catch(() => {});
      }
    },
  };
}
