import type { Sql } from "../store/driver.ts";
import type { Decision, Workflow } from "./case.workflow.ts";

/**
 * The `case_workflow` table (migration 014): state, version, assignee and decision of each case.
 * A case has no row until something first happens to it; `lockWorkflow` makes the row (open, version
 * 1) and locks it, so concurrent actions on one case queue on the row and the second sees the first's
 * version (PostgreSQL `for update`; PGlite has one connection and runs them one after the other).
 */
interface Row {
  state: Workflow["state"];
  version: number;
  assignee: string | null;
  decision: Decision | null;
}

/** The case's workflow, locked for this transaction; null when there is no such case. */
export async function lockWorkflow(tx: Sql, caseId: string): Promise<Workflow | null> {
  await tx.query(
    `insert into case_workflow (case_id, state, version, updated_at)
     select id, 'open', 1, now() from cases where id = $1
     on conflict (case_id) do nothing`,
    [caseId],
  );
  const r = await tx.query<Row>(
    "select state, version, assignee, decision from case_workflow where case_id = $1 for update",
    [caseId],
  );
  return r.rows[0] ?? null;
}

/**
 * Writes the workflow after an applied action. Guarded by the version it was read at, so even a
 * caller that skipped the lock cannot overwrite a newer state (0 rows → the caller's bug, thrown).
 */
export async function saveWorkflow(
  tx: Sql,
  caseId: string,
  readVersion: number,
  w: Workflow,
  now: Date,
): Promise<void> {
  const r = await tx.query(
    `update case_workflow set state = $3, version = $4, assignee = $5, decision = $6::jsonb, updated_at = $7
     where case_id = $1 and version = $2`,
    [
      caseId,
      readVersion,
      w.state,
      w.version,
      w.assignee,
      w.decision ? JSON.stringify(w.decision) : null,
      now,
    ],
  );
  if (r.affected !== 1)
    throw new Error(`case ${caseId}: workflow moved past version ${readVersion} while locked`);
}
