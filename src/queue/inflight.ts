import type { Logger } from "pino";
import { type ClaimedNotice, inboxClaims } from "../inbox/inbox.repository.ts";
import type { NoticeHandler } from "../pipeline/work-queue.port.ts";
import type { SqlDriver } from "../store/driver.ts";

/**
 * The notices a worker process holds: keeps their leases alive (renewed every third of the lease)
 * and, on drain, waits for them, then aborts the stragglers so they are released untried.
 */
export interface Inflight {
  run(claim: ClaimedNotice, handler: NoticeHandler): Promise<void>;
  size(lane?: ClaimedNotice["lane"]): number;
  drain(ms: number): Promise<void>;
}

export function createInflight(opts: {
  db: SqlDriver;
  leaseMs: number;
  worker: string;
  logger: Logger;
}): Inflight {
  const held = new Map<string, { claim: ClaimedNotice; abort: AbortController; done: Promise<void> }>();
  let heartbeat: NodeJS.Timeout | null = null;

  const renew = async () => {
    const ids = [...held.keys()];
    if (ids.length === 0) return;
    try {
      const still = await inboxClaims.renew(opts.db, ids, opts.leaseMs, opts.worker);
      for (const id of ids) {
        const h = held.get(id);
        // Taken over (this process stalled past its lease): stop working on it at once.
        if (h && !still.has(id)) h.abort.abort();
      }
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, "lease renewal failed; will retry");
    }
  };
  const ensureHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => void renew(), Math.max(200, Math.floor(opts.leaseMs / 3)));
    heartbeat.unref();
  };

  return {
    run(claim, handler) {
      ensureHeartbeat();
      const entry = { claim, abort: new AbortController(), done: Promise.resolve() };
      held.set(claim.traceId, entry);
      const abort = entry.abort;
      entry.done = (async () => {
        try {
          // PGlite answers through promise chains that never touch the event loop; without this
          // yield a busy worker would starve HTTP (ingest, /healthz) and timers in the process.
          await new Promise<void>((r) => setImmediate(r));
          await handler(claim, abort.signal);
        } catch (err) {
          // Settling failed (the store is away). The lease lapses and the notice is claimed again.
          opts.logger.error(
            { err: (err as Error).message, trace_id: claim.traceId },
            "notice run failed to settle",
          );
        } finally {
          held.delete(claim.traceId);
          if (held.size === 0 && heartbeat) {
            clearInterval(heartbeat);
            heartbeat = null;
          }
        }
      })();
      return entry.done;
    },
    size(lane) {
      if (!lane) return held.size;
      let n = 0;
      for (const h of held.values()) if (h.claim.lane === lane) n++;
      return n;
    },
    async drain(ms) {
      const all = () => Promise.all([...held.values()].map((h) => h.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((r) => {
        timer = setTimeout(() => r("timeout"), ms);
      });
      const r = await Promise.race([all().then(() => "done" as const), timedOut]);
      clearTimeout(timer);
      if (r === "timeout") {
        for (const h of held.values()) h.abort.abort();
        await all();
      }
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
    },
  };
}
