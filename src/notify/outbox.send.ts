import { backoffDelay } from "../resilience/backoff.ts";
import { CircuitOpenError } from "../resilience/circuit-breaker.ts";
import type { SendOutcome } from "./channel.port.ts";
import type { OutgoingMessage, WeeklyDigest } from "./message.ts";
import type { NotificationCase } from "./notification.types.ts";
import type { Dispatch, RunStats } from "./outbox.options.ts";
import { type OutboxRow, recordOutcome } from "./outbox.repository.ts";
import type { Destination } from "./routing.ts";

/**
 * Sending one claimed outbox row and recording what became of it: delivered, paused by a 429's
 * Retry-After, retried with backoff, or dead (a permanent refusal, or out of attempts). The row was
 * claimed (and its attempt counted) before the call, so a crash mid-send is seen by the lease.
 */

/** The message a row carries: one case event, or a digest of several. */
export const toMessage = (row: OutboxRow): OutgoingMessage => {
  if (row.event !== "digest")
    return { kind: "case", deliveryId: row.delivery_id, case: row.payload as NotificationCase };
  const p = row.payload as { cases: NotificationCase[]; weekly?: WeeklyDigest };
  return {
    kind: "digest",
    deliveryId: row.delivery_id,
    cases: p.cases,
    ...(p.weekly ? { weekly: p.weekly } : {}),
  };
};

/** Sends one claimed row and records the outcome. Returns false when the destination should rest. */
export async function sendRow(
  d: Dispatch,
  row: OutboxRow,
  dest: Destination,
  stats: RunStats,
): Promise<boolean> {
  const { o } = d;
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
      workerId: d.workerId,
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
  d.messages.inc({ channel: dest.channel, outcome: outcome.kind });
  const base = { id: row.delivery_id, workerId: d.workerId, now, status: outcome.status };
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
      if (row.failures + 1 >= d.maxFailures) {
        const reason = `gave up after ${row.failures + 1} failures: ${outcome.reason}`;
        await recordOutcome(o.db, {
          ...base,
          state: "dead",
          outcome: "retryable",
          detail: reason,
          countFailure: true,
        });
        stats.dead++;
        await d.dead(row, reason);
        return breaker.allows();
      }
      const delay = backoffDelay(row.failures, d.backoff);
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
      await d.dead(row, `HTTP ${outcome.status} ${outcome.reason}`);
      return true;
  }
}
