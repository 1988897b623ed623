import type { Sql } from "../store/driver.ts";

/**
 * The decide-by date reminders count to: the case's `decision_by` (DESIGN §6b); for a case assessed
 * before §6b was recorded (no time view yet), the LTB date when its recommendation is an action (a
 * case covered by stock, or with nothing to do, has nothing to decide by).
 */
export const DECIDE_BY_SQL = `coalesce(c.decision_by, case when c.severity is null
  and c.recommendation not in ('none', 'existing_stock') then c.ltb_date end)`;

export interface ReminderCandidate {
  id: string;
  decide_by: string;
  claimed: string[];
}

/**
 * Undecided cases (open, acknowledged) whose decide-by date is within `horizonDays` of `today` or
 * past, with the thresholds already claimed for each. Cases whose `overdue` reminder is claimed are
 * done and left out.
 */
export async function reminderCandidates(
  db: Sql,
  today: string,
  horizonDays: number,
): Promise<ReminderCandidate[]> {
  const r = await db.query<ReminderCandidate>(
    `select c.id::text as id, ${DECIDE_BY_SQL}::text as decide_by,
       coalesce((select array_agg(r.threshold) from case_reminders r where r.case_id = c.id), '{}') as claimed
     from cases c left join case_workflow w on w.case_id = c.id
     where coalesce(w.state, 'open') in ('open', 'acknowledged')
       and ${DECIDE_BY_SQL} <= $1::date + $2::int
       and not exists (select 1 from case_reminders o where o.case_id = c.id and o.threshold = 'overdue')
     order by ${DECIDE_BY_SQL}, c.id`,
    [today, horizonDays],
  );
  return r.rows;
}

/** Cases people still work on (not closed or dismissed), for the weekly digest. */
export async function openCaseIds(db: Sql): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `select c.id::text as id from cases c left join case_workflow w on w.case_id = c.id
     where coalesce(w.state, 'open') not in ('closed', 'dismissed')
     order by c.revenue_at_risk desc, c.id`,
  );
  return r.rows.map((x) => x.id);
}
