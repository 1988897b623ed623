import type { Sql } from "../store/driver.ts";

/**
 * Reads for re-evaluation: the notices of a window with the parts their extraction names (inbox and
 * the extract phase's record), and the re-evaluations of a notice with their progress.
 */

export interface CandidateNotice {
  trace_id: string;
  received_at: Date;
  /** Each extracted notice's maker and MPN, as the extract phase recorded them. */
  parts: { manufacturer: string | null; mpn: string }[];
}

/**
 * One page of notices received since `since` whose extraction is recorded, oldest first, after the
 * key `after` (keyset paging). Re-evaluations themselves are not candidates: a notice is always
 * re-evaluated from its own extraction.
 */
export async function candidateNotices(
  db: Sql,
  since: Date,
  after: { receivedAt: Date; traceId: string } | null,
  limit: number,
): Promise<CandidateNotice[]> {
  const r = await db.query<CandidateNotice>(
    `select i.trace_id::text as trace_id, i.received_at,
       coalesce((select jsonb_agg(jsonb_build_object('manufacturer', n->'manufacturer', 'mpn', n->'mpn'))
                 from jsonb_array_elements(p.output->'notices') n), '[]'::jsonb) as parts
     from inbox i join pipeline_phases p on p.trace_id = i.trace_id and p.phase = 'extract' and p.status = 'ok'
     where i.received_at >= $1 and i.route <> 'reevaluate'
       and ($2::timestamptz is null or (i.received_at, i.trace_id) > ($2::timestamptz, $3::uuid))
     order by i.received_at, i.trace_id limit $4`,
    [since, after?.receivedAt ?? null, after?.traceId ?? null, limit],
  );
  return r.rows.map((x) => ({ ...x, received_at: new Date(x.received_at) }));
}

export interface ReevaluationSummary {
  trace_id: string;
  bom_version: number;
  cause: string;
  requested_at: string;
  status: string;
}

/** The re-evaluations of a notice, oldest first, with their inbox status. */
export async function reevaluationsOf(db: Sql, noticeTraceId: string): Promise<ReevaluationSummary[]> {
  const r = await db.query<ReevaluationSummary>(
    `select r.trace_id::text as trace_id, r.bom_version::float8 as bom_version, r.cause,
       to_char(r.requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as requested_at, i.status
     from reevaluations r join inbox i on i.trace_id = r.trace_id
     where r.notice_trace_id = $1 order by r.bom_version, r.requested_at`,
    [noticeTraceId],
  );
  return r.rows;
}

/** The notice and BOM version a re-evaluation trace re-evaluates, or null for any other trace. */
export async function reevaluationOf(
  db: Sql,
  traceId: string,
): Promise<{ notice_trace_id: string; bom_version: number; cause: string } | null> {
  const r = await db.query<{ notice_trace_id: string; bom_version: number; cause: string }>(
    `select notice_trace_id::text as notice_trace_id, bom_version::float8 as bom_version, cause
     from reevaluations where trace_id = $1`,
    [traceId],
  );
  return r.rows[0] ?? null;
}
