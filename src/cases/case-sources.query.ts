import type { ImpactResult } from "../impact/impact.model.ts";
import type { Sql } from "../store/driver.ts";

/**
 * The stored part of a case, its latest impact report, and the notices linked to it (trace id,
 * index, MPN as the notice wrote it).
 */
export interface CaseSources {
  part_id: string;
  latest: ImpactResult;
  notices: { trace_id: string; notice_index: number; mpn: string }[];
}

export async function caseSources(db: Sql, caseId: string): Promise<CaseSources | null> {
  const c = await db.query<{ part_id: string; latest: ImpactResult }>(
    `select c.part_id::text as part_id, r.result as latest from cases c
     join impact_reports r on r.case_id = c.id and r.version = c.report_version where c.id = $1`,
    [caseId],
  );
  if (!c.rows[0]) return null;
  const n = await db.query<CaseSources["notices"][number]>(
    `select trace_id, notice_index, coalesce(notice->>'mpn', '') as mpn from case_notices
     where case_id = $1 order by received_at, trace_id, notice_index`,
    [caseId],
  );
  return { part_id: c.rows[0].part_id, latest: c.rows[0].latest, notices: n.rows };
}
