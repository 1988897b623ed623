import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { counter, gauge } from "../observability/metrics.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import { registerCircuitGauge } from "../resilience/circuit-breaker.ts";
import { drainDestination } from "./outbox.drain.ts";
import type { Dispatch, OutboxDispatcherOptions, RunStats } from "./outbox.options.ts";
import { countByState, dueDestinations, expireLeases } from "./outbox.repository.ts";

/**
 * Drains the outbox: each pass expires dead workers' leases, then gives every destination with due
 * rows its turn (outbox.drain.ts), each row sent and recorded by outbox.send.ts. Several dispatchers
 * (processes or not) may share one database and one rate gate.
 */
export interface OutboxDispatcher {
  /** One pass over every due destination; resolves when its sends are recorded. */
  runOnce(): Promise<RunStats>;
  start(): void;
  /** Stops polling and waits for the pass in progress (sends in flight are recorded). */
  stop(): Promise<void>;
}

export function createOutboxDispatcher(o: OutboxDispatcherOptions): OutboxDispatcher {
  const random = o.random ?? Math.random;
  const d: Dispatch = {
    o,
    workerId: o.workerId ?? `dispatcher-${randomUUID()}`,
    leaseMs: o.leaseMs ?? 60_000,
    maxFailures: o.maxFailures ?? 8,
    maxPerDigest: o.maxPerDigest ?? 100,
    backoff: { ...(o.backoff ?? { baseMs: 500, maxMs: 60_000 }), random },
    messages: counter(o.metrics, "eolgate_notify_messages_total", "Notification send attempts by outcome", [
      "channel",
      "outcome",
    ]),
    digests: counter(o.metrics, "eolgate_notify_digests_total", "Digests formed from backlogs", ["channel"]),
    async dead(row, reason) {
      o.alert.alert({
        key: `dead:${row.destination}`,
        summary: `notification dead-lettered on ${row.destination}: ${reason}`,
      });
      try {
        await o.onDead?.(row, reason);
      } catch (e) {
        o.logger.error({ err: e, delivery_id: row.delivery_id }, "onDead callback failed");
      }
    },
  };
  registerCircuitGauge(o.metrics, () => o.breakers.all());
  // Read at scrape time: the outbox is shared by all workers, so any worker reports the whole of it.
  gauge(
    o.metrics,
    "eolgate_notify_outbox_rows",
    "Notification outbox rows by state",
    ["state"],
    async function () {
      const counts = await countByState(o.db);
      this.reset();
      for (const [state, n] of counts) this.set({ state }, n);
    },
  );

  async function runOnce(): Promise<RunStats> {
    const stats: RunStats = { delivered: 0, retried: 0, dead: 0, digests: 0, unconfirmed: 0 };
    for (const row of await expireLeases(o.db, new Date(o.now()))) {
      if (row.channel === "webhook") continue; // back to `failed`: resent with the same webhook-id
      stats.unconfirmed++;
      o.alert.alert({
        key: `unconfirmed:${row.destination}`,
        summary: `delivery ${row.delivery_id} (case ${row.case_id}) on ${row.destination}: worker lost mid-send; not resent, check the channel`,
      });
    }
    const keys = await dueDestinations(o.db, new Date(o.now()));
    await Promise.all(keys.map((k) => drainDestination(d, k, stats)));
    return stats;
  }

  let running = false;
  let loop: Promise<void> | null = null;
  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        let errors = 0;
        while (running) {
          try {
            await runOnce();
            errors = 0;
          } catch (e) {
            errors++;
            o.logger.error({ err: e }, "outbox pass failed; retrying");
            await sleep(backoffDelay(Math.min(errors, 10), { baseMs: 200, maxMs: 10_000, random }));
          }
          if (running) await sleep(o.pollMs ?? 100);
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      loop = null;
    },
  };
}
