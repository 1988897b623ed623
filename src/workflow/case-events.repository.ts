import type { Sql } from "../store/driver.ts";
import type { CaseState } from "./case.workflow.ts";

/**
 * The `case_events` table (migration 014): the append-only history of every case. Only inserts here;
 * the table's trigger refuses updates and deletes. Written in the transaction of the change it records.
 */
export interface CaseEvent {
  at: string;
  actor: string;
  action: string;
  from: CaseState;
  to: CaseState;
  /** The case's workflow version after this event. */
  version: number;
  payload: Record<string, unknown>;
}

export async function appendEvent(
  tx: Sql,
  e: {
    caseId: string;
    version: number;
    at: Date;
    actor: string;
    action: string;
    from: CaseState;
    to: CaseState;
    payload: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `insert into case_events (case_id, version, at, actor, action, from_state, to_state, payload)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [e.caseId, e.version, e.at, e.actor, e.action, e.from, e.to, JSON.stringify(e.payload)],
  );
}

/** A case's events, oldest first. */
export async function eventsOf(db: Sql, caseId: string): Promise<CaseEvent[]> {
  const r = await db.query<CaseEvent>(
    `select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor, action,
       from_state as "from", to_state as "to", version, payload
     from case_events where case_id = $1 order by id`,
    [caseId],
  );
  return r.rows;
}
