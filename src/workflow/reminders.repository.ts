import type { Sql } from "../store/driver.ts";

/**
 * The `case_reminders` and `weekly_digests` tables (migration 014): claims. A claim is an insert
 * that only one process can make (primary key); it is made in the transaction that enqueues the
 * message, so a reminder is never lost (no claim without its outbox rows) nor doubled.
 */
export async function claimReminder(
  tx: Sql,
  r: {
    caseId: string;
    threshold: string;
    dueDate: string;
    state: "enqueued" | "superseded";
    by: string;
    now: Date;
  },
): Promise<boolean> {
  const res = await tx.query(
    `insert into case_reminders (case_id, threshold, due_date, state, claimed_at, claimed_by)
     values ($1, $2, $3, $4, $5, $6) on conflict (case_id, threshold) do nothing`,
    [r.caseId, r.threshold, r.dueDate, r.state, r.now, r.by],
  );
  return res.affected === 1;
}

/** The claimed reminder went nowhere (no destination routes the case, or it is under the threshold). */
export async function markReminderUndelivered(tx: Sql, caseId: string, threshold: string): Promise<void> {
  await tx.query("update case_reminders set state = 'no_destination' where case_id = $1 and threshold = $2", [
    caseId,
    threshold,
  ]);
}

export async function claimWeeklyDigest(
  tx: Sql,
  r: { destination: string; week: string; cases: number; by: string; now: Date },
): Promise<boolean> {
  const res = await tx.query(
    `insert into weekly_digests (destination, week, cases, claimed_at, claimed_by) values ($1, $2, $3, $4, $5)
     on conflict (destination, week) do nothing`,
    [r.destination, r.week, r.cases, r.now, r.by],
  );
  return res.affected === 1;
}

/** Of `destinations`, those whose digest for `week` nobody has claimed yet. */
export async function unclaimedWeeklyDigests(
  db: Sql,
  week: string,
  destinations: string[],
): Promise<string[]> {
  const r = await db.query<{ destination: string }>(
    "select destination from weekly_digests where week = $1 and destination = any($2::text[])",
    [week, destinations],
  );
  const done = new Set(r.rows.map((x) => x.destination));
  return destinations.filter((d) => !done.has(d));
}

/** Reminders claimed for a case, by threshold (for the API and tests). */
export async function remindersOf(
  db: Sql,
  caseId: string,
): Promise<{ threshold: string; state: string; due_date: string }[]> {
  const r = await db.query<{ threshold: string; state: string; due_date: string }>(
    "select threshold, state, due_date::text as due_date from case_reminders where case_id = $1 order by claimed_at, threshold",
    [caseId],
  );
  return r.rows;
}
