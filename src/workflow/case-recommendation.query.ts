import type { Sql } from "../store/driver.ts";

/** The recommendation of a case's latest impact report and its shortfall (the last-time-buy quantity). */
export async function recommendationOf(
  db: Sql,
  caseId: string,
): Promise<{ recommendation: string; shortfallUnits: number; reportVersion: number } | null> {
  const r = await db.query<{ recommendation: string; shortfall: number | null; report_version: number }>(
    `select c.recommendation, (r.result->>'shortfall_units')::float8 as shortfall, c.report_version
     from cases c join impact_reports r on r.case_id = c.id and r.version = c.report_version
     where c.id = $1`,
    [caseId],
  );
  const row = r.rows[0];
  return row
    ? {
        recommendation: row.recommendation,
        shortfallUnits: row.shortfall ?? 0,
        reportVersion: row.report_version,
      }
    : null;
}
