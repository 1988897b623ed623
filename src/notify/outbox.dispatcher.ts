import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { counter, gauge, type Registry } from "../observability/metrics.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import {
  type BreakerRegistry,
  CircuitOpenError,
  registerCircuitGauge,
} from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { ChannelSender, SendOutcome } from "./channel.send.ts";
import type { EngineeringAlerter } from "./engineering.alert.ts";
import type { OutgoingMessage, WeeklyDigest } from "./message.ts";
import type { NotificationCase } from "./notification.types.ts";
import {
  claimOne,
  countDueCases,
  dueDestinations,
  expireLeases,
  formDigests,
  killDestination,
  type OutboxRow,
  recordOutcome,
} from "./outbox.repository.ts";
import type { RateGate, RateLimit } from "./rate-gate.ts";
import type { ChannelKind, Destination } from "./routing.ts";

/**
 * Drains the outbox. Per destination, in order: expire dead workers' leases; skip the destination
 * while its circuit is open or a Retry-After pause runs; merge a backlog the destination cannot
 * take within the digest window into digests; then, one token at a time, claim (record-first),
 * send, record. Several dispatchers (processes or not) may share one database and one rate gate.
 */
export interface DispatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxDispatcherOptions {
  db: SqlDriver;
  channels: { destinations: ReadonlyMap<string, Destination>; send: ChannelSender };
  buckets: RateGate;
  breakers: BreakerRegistry;
  metrics: Registry;
  logger: DispatcherLogger;
  now: () => number;
  alert: EngineeringAlerter;
  /** Called for every row that becomes dead (the pipeline files it as a dead letter). */
  onDead?: (row: OutboxRow, reason: string) => void | Promise<void>;
  /** NOTIFY_DIGEST_WINDOW_SECONDS: a backlog larger than the destination takes in this window is digested. */
  digestWindowSeconds: number;
  limits?: Partial<Record<ChannelKind, RateLimit>>;
  maxPerDigest?: number;
  /** A `sending` row older than this is presumed lost with its worker; longer than the send timeout. */
  leaseMs?: number;
  /** Retryable failures (5xx, timeouts) before a row is dead. 429s do not count. */
  maxFailures?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  pollMs?: number;
  workerId?: string;
}

/** Slack documents about 1 message/s per incoming webhook; Teams workflows and webhooks get more room. */
export const DEFAULT_LIMITS: Record<ChannelKind, RateLimit> = {
  slack: { ratePerSec: 1, burst: 1 },
  teams: { ratePerSec: 1, burst: 2 },
  webhook: { ratePerSec: 10, burst: 10 },
};

export interface RunStats {
  delivered: number;
  retried: number;
  dead: number;
  digests: number;
  unconfirmed: number;
}

export interface OutboxDispatcher {
  /** One pass over every due destination; resolves when its sends are recorded. */
  runOnce(): Promise<RunStats>;
  start(): void;
  /** Stops polling and waits for the pass in progress (sends in flight are recorded). */
  stop(): Promise<void>;
}

export function createOutboxDispatcher(o: OutboxDispatcherOptions): OutboxDispatcher {
  const workerId = o.workerId ?? `dispatcher-${randomUUID()}`;
  const leaseMs = o.leaseMs ?? 60_000;
  const maxFailures = o.maxFailures ?? 8;
  const backoff = { ...(o.backoff ?? { baseMs: 500, maxMs: 60_000 }), random: o.random ?? Math.random };
  const maxPerDigest = o.maxPerDigest ?? 100;
  const limitOf = (c: ChannelKind) => o.limits?.[c] ?? DEFAULT_LIMITS[c];
  const messages = counter(
    o.metrics,
    "eolgate_notify_messages_total",
    "Notification send attempts by outcome",
    ["channel", "outcome"],
  );
  const digestCount = counter(o.metrics, "eolgate_notify_digests_total", "Digests formed from backlogs", [
    "channel",
  ]);
  registerCircuitGauge(o.metrics, () => o.breakers.all());
  // Read at scrape time: the outbox is shared by all workers, so any worker reports the whole of it.
  gauge(
    o.metrics,
    "eolgate_notify_outbox_rows",
    "Notification outbox rows by state",
    ["state"],
    async function () {
      const r = await o.db.query<{ state: string; n: number }>(
        "select state, count(*)::int as n from notify_outbox group by state",
      );
      this.reset();
      for (const row of r.rows) this.set({ state: row.state }, row.n);
    },
  );

  const dead = async (row: OutboxRow, reason: string) => {
    o.alert.alert({
      key: `dead:${row.destination}`,
      summary: `notification dead-lettered on ${row.destination}: ${reason}`,
    });
    try {
      await o.onDead?.(row, reason);
    } catch (e) {
      o.logger.error({ err: e, delivery_id: row.delivery_id }, "onDead callback failed");
    }
  };

  const toMessage = (row: OutboxRow): OutgoingMessage =>
    row.event === "digest"
      ? {
          kind: "digest",
          deliveryId: row.delivery_id,
          cases: (row.payload as { cases: NotificationCase[] }).cases,
          ...((row.payload as { weekly?: WeeklyDigest }).weekly
            ? { weekly: (row.payload as { weekly: WeeklyDigest }).weekly }
            : {}),
        }
      : { kind: "case", deliveryId: row.delivery_id, case: row.payload as NotificationCase };

  /** Sends one claimed row and records the outcome. Returns false when the destination should rest. */
  async function sendRow(row: OutboxRow, dest: Destination, stats: RunStats): Promise<boolean> {
    const breaker = o.breakers.get(`notify:${dest.key}`);
    let outcome: SendOutcome;
    try {
      const r = await breaker.run(
        () => o.channels.send(dest, toMessage(row)),
        (v) => v.kind === "retryable",
      );
      outcome =
        r.kind === "ok"
          ? r.value
          : { kind: "retryable", status: null, reason: `sender threw: ${String(r.error)}` };
    } catch (e) {
      if (!(e instanceof CircuitOpenError)) throw e;
      // Refused before sending: put the row back untouched until the circuit may let a trial through.
      await recordOutcome(o.db, {
        id: row.delivery_id,
        workerId,
        now: new Date(o.now()),
        state: "failed",
        status: null,
        outcome: "circuit_open",
        detail: "circuit open; not sent",
        nextAttemptAt: new Date(e.retryAt),
      });
      return false;
    }
    const now = new Date(o.now());
    messages.inc({ channel: dest.channel, outcome: outcome.kind });
    const base = { id: row.delivery_id, workerId, now, status: outcome.status };
    switch (outcome.kind) {
      case "delivered":
        await recordOutcome(o.db, {
          ...base,
          state: "delivered",
          outcome: "delivered",
          detail: outcome.body,
        });
        stats.delivered++;
        return true;
      case "rate_limited":
        await o.buckets.pause(dest.key, outcome.retryAfterMs);
        await recordOutcome(o.db, {
          ...base,
          state: "failed",
          outcome: "rate_limited",
          detail: `429, retry after ${outcome.retryAfterMs} ms: ${outcome.body}`,
          nextAttemptAt: new Date(now.getTime() + outcome.retryAfterMs),
        });
        stats.retried++;
        return false;
      case "retryable": {
        if (breaker.state() === "open")
          o.alert.alert({
            key: `circuit:${dest.key}`,
            summary: `circuit opened for ${dest.key} after repeated failures (last: ${outcome.reason}); sends paused`,
          });
        if (row.failures + 1 >= maxFailures) {
          const reason = `gave up after ${row.failures + 1} failures: ${outcome.reason}`;
          await recordOutcome(o.db, {
            ...base,
            state: "dead",
            outcome: "retryable",
            detail: reason,
            countFailure: true,
          });
          stats.dead++;
          await dead(row, reason);
          return breaker.allows();
        }
        const delay = backoffDelay(row.failures, backoff);
        await recordOutcome(o.db, {
          ...base,
          state: "failed",
          outcome: "retryable",
          detail: outcome.reason,
          nextAttemptAt: new Date(now.getTime() + delay),
          countFailure: true,
        });
        stats.retried++;
        return false;
      }
      case "permanent":
        await recordOutcome(o.db, { ...base, state: "dead", outcome: "permanent", detail: outcome.reason });
        stats.dead++;
        await dead(row, `HTTP ${outcome.status} ${outcome.reason}`);
        return true;
    }
  }

  async function drain(key: string, stats: RunStats): Promise<void> {
    const dest = o.channels.destinations.get(key);
    if (!dest) {
      const rows = await killDestination(o.db, key, new Date(o.now()), "destination no longer configured");
      stats.dead += rows.length;
      for (const r of rows) await dead(r, "destination no longer configured");
      return;
    }
    if (!o.breakers.get(`notify:${key}`).allows()) return;
    if ((await o.buckets.pausedFor(key)) > 0) return;
    const limit = limitOf(dest.channel);
    const capacity = Math.max(1, Math.floor(limit.burst + limit.ratePerSec * o.digestWindowSeconds));
    if ((await countDueCases(o.db, key, new Date(o.now()))) > capacity) {
      const d = await formDigests(o.db, key, new Date(o.now()), maxPerDigest);
      if (d.digests) {
        stats.digests += d.digests;
        digestCount.inc({ channel: dest.channel }, d.digests);
        o.logger.info({ destination: key, ...d }, "backlog merged into digests");
      }
    }
    // Bounded so one busy destination cannot hold the pass forever; tokens bound it anyway.
    for (let i = 0; i < 100; i++) {
      const t = await o.buckets.take(key, limit);
      if (t.kind === "wait") return;
      const now = o.now();
      const row = await claimOne(o.db, key, new Date(now), new Date(now + leaseMs), workerId);
      if (!row) return;
      if (!(await sendRow(row, dest, stats))) return;
    }
  }

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
    await Promise.all(keys.map((k) => drain(k, stats)));
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
            await sleep(
              backoffDelay(Math.min(errors, 10), { baseMs: 200, maxMs: 10_000, random: backoff.random }),
            );
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
