import type { Sql } from "../store/driver.ts";

/**
 * The current workflow version of a case (1 before any action), or null when there is no such case.
 * For callers that act "on the case as it is now" (a Slack click carries no version).
 */
export async function currentWorkflowVersion(db: Sql, caseId: string): Promise<number | null> {
  const r = await db.query<{ version: number }>(
    `select coalesce(w.version, 1) as version from cases c left join case_workflow w on w.case_id = c.id
     where c.id = $1`,
    [caseId],
  );
  return r.rows[0]?.version ?? null;
}
