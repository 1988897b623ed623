import { createHash } from "node:crypto";
import type { Sql, SqlDriver } from "../store/driver.ts";
import type { WeeklyDigest } from "./message.ts";
import type { NotificationCase } from "./notification.types.ts";
import type { ChannelKind } from "./routing.ts";

/**
 * SQL over `notify_outbox` (migration 006). Works the same on PGlite and PostgreSQL: claims use
 * `FOR UPDATE SKIP LOCKED`, so several workers on one PostgreSQL never claim the same row.
 */
export type OutboxState =
  | "pending"
  | "failed"
  | "sending"
  | "delivered"
  | "digested"
  | "unconfirmed"
  | "dead";

export interface OutboxRow {
  delivery_id: string;
  case_id: string;
  event_version: number;
  event: "created" | "updated" | "reminder" | "digest";
  destination: string;
  channel: ChannelKind;
  revenue_at_risk: number;
  payload: NotificationCase | { cases: NotificationCase[]; weekly?: WeeklyDigest };
  state: OutboxState;
  attempts: number;
  failures: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  claimed_by: string | null;
  digest_id: string | null;
  last_status: number | null;
  last_error: string | null;
}

const COLUMNS = `delivery_id, case_id, event_version, event, destination, channel,
  revenue_at_risk::float8 as revenue_at_risk, payload, state, attempts, failures, next_attempt_at,
  lease_until, claimed_by, digest_id, last_status, last_error`;

const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);

/** The same case event to the same destination always has the same id (the idempotency key). */
export function deliveryId(caseId: string, version: number, destinationKey: string): string {
  return `dlv_${hash(`${caseId}\u0000${version}\u0000${destinationKey}`)}`;
}
/** A reminder (DESIGN §11) is once per case, threshold and destination. */
export function reminderDeliveryId(caseId: string, threshold: string, destinationKey: string): string {
  return `rem_${hash(`${caseId}\u0000reminder:${threshold}\u0000${destinationKey}`)}`;
}
export function weeklyDigestId(week: string, destinationKey: string): string {
  return `wk_${hash(`${week}\u0000${destinationKey}`)}`;
}
export function digestId(memberIds: readonly string[]): string {
  return `dg_${hash([...memberIds].sort().join("\u0000"))}`;
}

const answer = (at: Date, status: number | null, outcome: string, detail: string) =>
  JSON.stringify([{ at: at.toISOString(), status, outcome, detail: detail.slice(0, 300) }]);

/** Inserts a pending case row; false when that delivery id already exists (a repeat). */
export async function insertCaseRow(
  tx: Sql,
  r: { id: string; c: NotificationCase; destination: string; channel: ChannelKind; now: Date },
): Promise<boolean> {
  const res = await tx.query(
    `insert into notify_outbox (delivery_id, case_id, event_version, event, destination, channel,
       revenue_at_risk, payload, state, next_attempt_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, 'pending', $9, $9, $9)
     on conflict (delivery_id) do nothing`,
    [
      r.id,
      r.c.case_id,
      r.c.version,
      r.c.event,
      r.destination,
      r.channel,
      r.c.revenue_at_risk,
      JSON.stringify(r.c),
      r.now,
    ],
  );
  return res.affected === 1;
}

/** Inserts a pending weekly digest row; false when that week's digest to the destination exists. */
export async function insertWeeklyDigestRow(
  tx: Sql,
  r: {
    id: string;
    destination: string;
    channel: ChannelKind;
    cases: NotificationCase[];
    week: string;
    now: Date;
  },
): Promise<boolean> {
  const res = await tx.query(
    `insert into notify_outbox (delivery_id, case_id, event_version, event, destination, channel,
       revenue_at_risk, payload, state, next_attempt_at, created_at, updated_at)
     values ($1, $2, 1, 'digest', $3, $4, $5, $6::jsonb, 'pending', $7, $7, $7)
     on conflict (delivery_id) do nothing`,
    [
      r.id,
      `weekly:${r.week}`,
      r.destination,
      r.channel,
      r.cases.reduce((s, c) => s + c.revenue_at_risk, 0),
      JSON.stringify({ cases: r.cases, weekly: { week: r.week } }),
      r.now,
    ],
  );
  return res.affected === 1;
}

/** Destinations with rows due now. */
export async function dueDestinations(db: Sql, now: Date): Promise<string[]> {
  const r = await db.query<{ destination: string }>(
    `select distinct destination from notify_outbox where state in ('pending', 'failed') and next_attempt_at <= $1`,
    [now],
  );
  return r.rows.map((x) => x.destination);
}

/** Case rows (not digests) due now for one destination. */
export async function countDueCases(db: Sql, destination: string, now: Date): Promise<number> {
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from notify_outbox
     where destination = $1 and state in ('pending', 'failed') and next_attempt_at <= $2 and event <> 'digest'`,
    [destination, now],
  );
  return r.rows[0]?.n ?? 0;
}

/**
 * Merges the due case rows of one destination into digest rows of at most `maxPerDigest` cases,
 * in one transaction: the digest row is inserted and its members marked `digested` (with its id)
 * together, so every case ends up in exactly one message. Rows another worker holds are skipped.
 */
export async function formDigests(
  db: SqlDriver,
  destination: string,
  now: Date,
  maxPerDigest: number,
): Promise<{ digests: number; merged: number }> {
  return db.transaction(async (tx) => {
    const rows = (
      await tx.query<OutboxRow>(
        `select ${COLUMNS} from notify_outbox
         where destination = $1 and state in ('pending', 'failed') and next_attempt_at <= $2 and event <> 'digest'
         order by revenue_at_risk desc, delivery_id
         for update skip locked`,
        [destination, now],
      )
    ).rows;
    let digests = 0;
    let merged = 0;
    for (let i = 0; i < rows.length; i += maxPerDigest) {
      const members = rows.slice(i, i + maxPerDigest);
      if (members.length < 2) break;
      const ids = members.map((m) => m.delivery_id);
      const id = digestId(ids);
      const cases = members.map((m) => m.payload as NotificationCase);
      const total = members.reduce((s, m) => s + m.revenue_at_risk, 0);
      await tx.query(
        `insert into notify_outbox (delivery_id, case_id, event_version, event, destination, channel,
           revenue_at_risk, payload, state, next_attempt_at, created_at, updated_at)
         values ($1, $2, 1, 'digest', $3, $4, $5, $6::jsonb, 'pending', $7, $7, $7)`,
        [
          id,
          `digest:${members.length}`,
          destination,
          members[0]!.channel,
          total,
          JSON.stringify({ cases }),
          now,
        ],
      );
      await tx.query(
        `update notify_outbox set state = 'digested', digest_id = $1, updated_at = $2 where delivery_id = any($3::text[])`,
        [id, now, ids],
      );
      digests++;
      merged += members.length;
    }
    return { digests, merged };
  });
}

/**
 * Claims the most exposed due row of one destination: marks it `sending` under a lease, and counts
 * the attempt, committed BEFORE the HTTP call (record-first).
 */
export async function claimOne(
  db: Sql,
  destination: string,
  now: Date,
  leaseUntil: Date,
  workerId: string,
): Promise<OutboxRow | null> {
  const r = await db.query<OutboxRow>(
    `update notify_outbox set state = 'sending', attempts = attempts + 1, lease_until = $3, claimed_by = $4,
       updated_at = $2
     where delivery_id = (
       select delivery_id from notify_outbox
       where destination = $1 and state in ('pending', 'failed') and next_attempt_at <= $2
       order by revenue_at_risk desc, created_at, delivery_id
       limit 1 for update skip locked)
     returning ${COLUMNS}`,
    [destination, now, leaseUntil, workerId],
  );
  return r.rows[0] ?? null;
}

/** Records the outcome of a claimed row; a no-op (false) if this worker no longer holds it. */
export async function recordOutcome(
  db: Sql,
  r: {
    id: string;
    workerId: string;
    now: Date;
    state: "delivered" | "failed" | "dead";
    status: number | null;
    outcome: string;
    detail: string;
    nextAttemptAt?: Date;
    countFailure?: boolean;
  },
): Promise<boolean> {
  const res = await db.query(
    `update notify_outbox set state = $3, last_status = $4, last_error = $5, updated_at = $6,
       sent_at = case when $3 = 'delivered' then $6 else sent_at end,
       next_attempt_at = coalesce($7, next_attempt_at), failures = failures + $8,
       lease_until = null, responses = responses || $9::jsonb
     where delivery_id = $1 and claimed_by = $2 and state = 'sending'`,
    [
      r.id,
      r.workerId,
      r.state,
      r.status,
      r.state === "delivered" ? null : r.detail.slice(0, 500),
      r.now,
      r.nextAttemptAt ?? null,
      r.countFailure ? 1 : 0,
      answer(r.now, r.status, r.outcome, r.detail),
    ],
  );
  return res.affected === 1;
}

/**
 * Rows whose `sending` lease ran out: their worker died (or hung) between the claim and the record.
 * Slack and Teams have no idempotency, so such rows become `unconfirmed` (the destination may
 * have the message; never resent blindly). The signed webhook is at-least-once: back to `failed`,
 * resent with the same `webhook-id` for the receiver to dedupe.
 */
export async function expireLeases(db: Sql, now: Date): Promise<OutboxRow[]> {
  const r = await db.query<OutboxRow>(
    `update notify_outbox set
       state = case when channel = 'webhook' then 'failed' else 'unconfirmed' end,
       last_error = 'worker lost while sending (lease expired)', lease_until = null, updated_at = $1,
       responses = responses || jsonb_build_array(jsonb_build_object('at', $2::text, 'status', null,
         'outcome', 'lease_expired', 'detail', 'claimed_by ' || coalesce(claimed_by, '?')))
     where state = 'sending' and lease_until < $1
     returning ${COLUMNS}`,
    [now, now.toISOString()],
  );
  return r.rows;
}

/** Dead-letters every waiting row of a destination that is no longer configured. */
export async function killDestination(
  db: Sql,
  destination: string,
  now: Date,
  reason: string,
): Promise<OutboxRow[]> {
  const r = await db.query<OutboxRow>(
    `update notify_outbox set state = 'dead', last_error = $3, updated_at = $2
     where destination = $1 and state in ('pending', 'failed') returning ${COLUMNS}`,
    [destination, now, reason],
  );
  return r.rows;
}

/** Rows by state (the outbox gauge, the demo's count of messages to expect). */
export async function countByState(db: Sql): Promise<Map<string, number>> {
  const r = await db.query<{ state: string; n: number }>(
    "select state, count(*)::int as n from notify_outbox group by state",
  );
  return new Map(r.rows.map((x) => [x.state, Number(x.n)]));
}

/** What an operator sees of a row left `unconfirmed`: where it went, about what, and why it is unsure. */
export interface UnconfirmedRow {
  delivery_id: string;
  case_id: string;
  event: string;
  channel: ChannelKind;
  destination: string;
  attempts: number;
  last_error: string | null;
  updated_at: string;
}

export async function listUnconfirmed(db: Sql, limit: number): Promise<UnconfirmedRow[]> {
  const r = await db.query<UnconfirmedRow & { updated_at: Date | string }>(
    `select delivery_id, case_id, event, channel, destination, attempts, last_error, updated_at
     from notify_outbox where state = 'unconfirmed' order by updated_at, delivery_id limit $1`,
    [limit],
  );
  return r.rows.map((row) => ({ ...row, updated_at: new Date(row.updated_at).toISOString() }));
}

export type ResendOutcome =
  | { kind: "resent"; deliveryId: string }
  | { kind: "not_found"; deliveryId: string }
  | { kind: "not_unconfirmed"; deliveryId: string; state: string };

/**
 * An operator's decision that an `unconfirmed` message (the worker died mid-send; Slack and Teams
 * cannot say whether it arrived) did not arrive: the row is pending again and goes out with the next
 * pass, through the same rate limits. The decision is kept in the row's responses with who made it.
 */
export async function resendUnconfirmed(
  db: Sql,
  id: string,
  now: Date,
  actor: string,
): Promise<ResendOutcome> {
  const r = await db.query<{ delivery_id: string }>(
    `update notify_outbox set state = 'pending', next_attempt_at = $2, updated_at = $2, lease_until = null,
       last_error = 'resent by an operator',
       responses = responses || jsonb_build_array(jsonb_build_object('at', $3::text, 'status', null,
         'outcome', 'operator_resend', 'detail', $4::text))
     where delivery_id = $1 and state = 'unconfirmed' returning delivery_id`,
    [id, now, now.toISOString(), `by ${actor.slice(0, 100)}`],
  );
  if (r.rows[0]) return { kind: "resent", deliveryId: id };
  const s = await db.query<{ state: string }>("select state from notify_outbox where delivery_id = $1", [id]);
  return s.rows[0]
    ? { kind: "not_unconfirmed", deliveryId: id, state: s.rows[0].state }
    : { kind: "not_found", deliveryId: id };
}
