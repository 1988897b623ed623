import type { Logger } from "pino";
import { inboxClaims } from "../inbox/inbox.repository.ts";
import { type Lane, replayConcurrency } from "../pipeline/jobs.ts";
import type { NoticeHandler, WorkQueue } from "../pipeline/work-queue.port.ts";
import type { SqlDriver } from "../store/driver.ts";
import { createInflight } from "./inflight.ts";

/**
 * The embedded queue: no broker, the inbox table is the queue. Workers claim due rows with
 * `for update skip locked`, so several processes on one PostgreSQL share the work without overlap.
 * `enqueue` only wakes the local workers; a poll every `pollMs` catches retries that fall due and
 * rows committed by other processes.
 *
 * Lanes: the replay lane may hold at most replayConcurrency(concurrency) slots, and main work is
 * claimed first, so a mass replay never starves fresh notices (and still makes progress).
 */
export function createEmbeddedQueue(opts: {
  db: SqlDriver;
  logger: Logger;
  worker: string;
  leaseMs: number;
  pollMs: number;
  /**
   * Ingest priority on a single-connection store (PGlite): while this says ingest is busy, no new
   * work is claimed, so acknowledgements never queue behind pipeline queries. The backlog is safe in
   * the inbox; at least one notice is still claimed every `maxDeferMs` so work always progresses.
   */
  deferWhile?: () => boolean;
  maxDeferMs?: number;
}): WorkQueue {
  const { db, logger } = opts;
  const inflight = createInflight({ db, leaseMs: opts.leaseMs, worker: opts.worker, logger });
  let handler: NoticeHandler | null = null;
  let concurrency = 0;
  let stopping = false;
  let pumping = false;
  let again = false;
  let poll: NodeJS.Timeout | null = null;
  let backoffUntil = 0;
  let deferredSince = 0;
  let deferTimer: NodeJS.Timeout | null = null;
  const maxDeferMs = opts.maxDeferMs ?? 1000;

  /** How many claims ingest leaves us now: all free slots, none, or one when deferred too long. */
  const allowance = (free: number): number => {
    if (!opts.deferWhile?.()) {
      deferredSince = 0;
      return free;
    }
    const now = Date.now();
    if (deferredSince === 0) deferredSince = now;
    deferTimer ??= setTimeout(() => {
      deferTimer = null;
      void pump();
    }, 25);
    if (now - deferredSince < maxDeferMs) return 0;
    deferredSince = now;
    return Math.min(free, 1);
  };

  const claim = async (lane: Lane, n: number) => {
    const claims = await inboxClaims.claimDue(db, lane, n, opts.leaseMs, opts.worker);
    for (const c of claims)
      void inflight.run(c, (cl, signal) => (handler ? handler(cl, signal) : Promise.resolve()));
    return claims.length;
  };

  // One pump at a time; a wake during a pump makes it go round again instead of running twice.
  const pump = async () => {
    if (!handler || stopping) return;
    if (pumping) {
      again = true;
      return;
    }
    if (Date.now() < backoffUntil) return;
    pumping = true;
    try {
      do {
        again = false;
        await new Promise<void>((r) => setImmediate(r));
        const free = allowance(concurrency - inflight.size());
        if (free <= 0) break;
        const mainGot = await claim("main", free);
        const replayFree = Math.min(
          concurrency - inflight.size(),
          replayConcurrency(concurrency) - inflight.size("replay"),
        );
        const replayGot = replayFree > 0 ? await claim("replay", replayFree) : 0;
        if (mainGot + replayGot > 0 && concurrency - inflight.size() > 0 && !opts.deferWhile?.())
          again = true;
      } while (again && !stopping);
    } catch (err) {
      // The store is away: try again on the next poll, not in a tight loop.
      backoffUntil = Date.now() + 1000;
      logger.warn({ err: (err as Error).message }, "embedded queue: claim failed; retrying");
    } finally {
      pumping = false;
    }
  };

  return {
    kind: "embedded",
    enqueue() {
      void pump();
    },
    startWorker(h, c) {
      handler = async (claimed, signal) => {
        try {
          return await h(claimed, signal);
        } finally {
          // A slot came free.
          void pump();
        }
      };
      concurrency = c;
      poll = setInterval(() => void pump(), opts.pollMs);
      void (async () => {
        if (db.kind === "pglite") {
          const n = await inboxClaims.releaseOrphans(db).catch(() => 0);
          if (n > 0) logger.info({ rows: n }, "reclaiming notices held by a previous run");
        }
        await pump();
      })();
    },
    ping: () => db.ping(),
    async close(drainMs) {
      stopping = true;
      if (deferTimer) clearTimeout(deferTimer);
      if (poll) clearInterval(poll);
      poll = null;
      await inflight.drain(drainMs);
    },
  };
}
