import { manufacturerKey } from "../bom/part-key.ts";
import type { ReviewedNotice } from "../extract/labels.export.ts";
import type { ExtractedNotice, MatchedBy, NoticeEvidence } from "../extract/notice.ts";
import type { Sql } from "../store/driver.ts";
import type { ReviewItem } from "./review.item.ts";
import type { ReviewSource, ReviewStatus, ReviewVerdict } from "./review.repository.ts";

/**
 * Reads of the review queue for the API, the CLI and the notify phase: items with the cases their
 * notice is (or was) on, the cases a pending item makes provisional, and the reviewed messages as
 * labelled examples.
 */
export interface ReviewFilter {
  status?: readonly ReviewStatus[] | undefined;
  /** A maker's name as people write it; compared by its canonical key (acquisitions resolved). */
  maker?: string | undefined;
  /** Items filed at or after this time. */
  since?: Date | undefined;
  limit: number;
  offset: number;
}

/** The trace id under which a correction is assessed (cases and reports name it as their notice). */
export const correctionTrace = (id: number) => `review:${id}`;

const ISO = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const ITEM = `r.id::float8 as id, r.status, r.trace_id::text as trace_id, r.notice_index, r.notice, r.corrected, r.confidence,
  r.reasons, r.matched_by, r.evidence, r.source, r.note, r.decided_by,
  ${ISO("r.received_at")} as received_at, ${ISO("r.created_at")} as created_at, ${ISO("r.decided_at")} as decided_at,
  coalesce((select json_agg(json_build_object('case_id', n.case_id::text, 'outcome', n.outcome,
      'via', case when n.trace_id = r.trace_id::text then 'extraction' else 'correction' end,
      'linked', n.unlinked_at is null) order by n.created_at, n.case_id)
    from case_notices n
    where n.case_id is not null and ((n.trace_id = r.trace_id::text and n.notice_index = r.notice_index)
      or n.trace_id = 'review:' || r.id::text)), '[]'::json) as cases`;

interface Row {
  id: number;
  status: ReviewStatus;
  trace_id: string;
  notice_index: number;
  notice: ExtractedNotice;
  corrected: ExtractedNotice | null;
  confidence: number;
  reasons: string[];
  matched_by: MatchedBy;
  evidence: NoticeEvidence | null;
  source: ReviewSource;
  note: string | null;
  decided_by: string | null;
  received_at: string;
  created_at: string;
  decided_at: string | null;
  cases: ReviewItem["cases"];
}

function toItem(r: Row): ReviewItem {
  const excerpt = r.evidence
    ? { text: r.evidence.excerpt, start: r.evidence.start, end: r.evidence.end }
    : (r.source.excerpt ?? null);
  return {
    id: r.id,
    status: r.status,
    trace_id: r.trace_id,
    notice_index: r.notice_index,
    notice: r.notice,
    corrected: r.corrected,
    confidence: r.confidence,
    reasons: r.reasons,
    matched_by: r.matched_by,
    evidence: r.evidence,
    excerpt,
    source: {
      trace_id: r.trace_id,
      part: r.source.part,
      layout: r.source.layout,
      line: r.source.line,
      message_id: r.source.message?.id ?? null,
      from: r.source.message?.from ?? null,
      subject: r.source.message?.subject ?? null,
      notice_url: `/v1/notices/${encodeURIComponent(r.trace_id)}`,
    },
    cases: r.cases,
    received_at: r.received_at,
    created_at: r.created_at,
    decision:
      r.status === "pending" || r.decided_by === null || r.decided_at === null
        ? null
        : { verdict: r.status, by: r.decided_by, at: r.decided_at, note: r.note },
  };
}

export async function listReviewItems(
  db: Sql,
  f: ReviewFilter,
): Promise<{ total: number; items: ReviewItem[] }> {
  const where = `where ($1::text[] is null or r.status = any($1::text[]))
      and ($2::text is null or r.manufacturer_key = $2)
      and ($3::timestamptz is null or r.created_at >= $3)`;
  const params = [
    f.status?.length ? [...f.status] : null,
    f.maker ? manufacturerKey(f.maker) : null,
    f.since ?? null,
  ];
  const rows = await db.query<Row>(
    `select ${ITEM} from review_items r ${where} order by r.created_at desc, r.id desc limit $4 offset $5`,
    [...params, f.limit, f.offset],
  );
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n from review_items r ${where}`,
    params,
  );
  return { total: total.rows[0]!.n, items: rows.rows.map(toItem) };
}

export async function getReviewItem(db: Sql, id: number): Promise<ReviewItem | null> {
  const r = await db.query<Row>(`select ${ITEM} from review_items r where r.id = $1`, [id]);
  return r.rows[0] ? toItem(r.rows[0]) : null;
}

/**
 * Which of these cases are provisional: a notice the extractor was not sure of opened or changed
 * them, and nobody has confirmed or corrected it yet (the same rule as the case list's flag).
 */
export async function provisionalCases(db: Sql, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const r = await db.query<{ case_id: string }>(
    `select distinct n.case_id::text as case_id from case_notices n
     join review_items r on r.trace_id::text = n.trace_id and r.notice_index = n.notice_index
     where n.case_id = any($1::uuid[]) and n.unlinked_at is null and n.outcome in ('created', 'updated')
       and r.status = 'pending'`,
    [[...caseIds]],
  );
  return new Set(r.rows.map((x) => x.case_id));
}

/**
 * Every notice of the messages people finished reviewing (no item of theirs still pending), with its
 * verdict: a reviewed notice as decided, the others as the extractor read them (it was sure of them
 * and nobody objected). In message and notice order, for `reviewedAsLabels`.
 */
export async function reviewedNotices(db: Sql): Promise<ReviewedNotice[]> {
  const r = await db.query<{ trace_id: string; verdict: ReviewVerdict; notice: ExtractedNotice }>(
    `select e.trace_id::text as trace_id, coalesce(nullif(r.status, 'pending'), 'confirmed') as verdict,
       coalesce(r.corrected, e.notice) as notice
     from extracted_notices e
     left join review_items r on r.trace_id = e.trace_id and r.notice_index = e.notice_index
     where e.trace_id in (select trace_id from review_items group by trace_id
                          having bool_and(status <> 'pending'))
     order by e.trace_id, e.notice_index`,
  );
  return r.rows;
}

/** The cases a notice is on now (its links not withdrawn). */
export async function casesOfNotice(db: Sql, traceId: string, noticeIndex: number): Promise<string[]> {
  const r = await db.query<{ case_id: string }>(
    `select distinct case_id::text as case_id from case_notices
     where trace_id = $1 and notice_index = $2 and case_id is not null and unlinked_at is null
     order by 1`,
    [traceId, noticeIndex],
  );
  return r.rows.map((x) => x.case_id);
}
