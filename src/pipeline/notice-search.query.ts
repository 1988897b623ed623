import type { Sql } from "../store/driver.ts";

/**
 * The console's Notices page (DESIGN §12): accepted notices, newest first, found by trace id, maker
 * (the sender or the extracted manufacturer), part number, receipt day, status, or whether the
 * extractor asked for a person to check it. Each row carries the parts the extract phase found.
 */
export interface NoticeSearch {
  trace_id?: string | undefined;
  manufacturer?: string | undefined;
  mpn?: string | undefined;
  /** YYYY-MM-DD, inclusive. */
  from?: string | undefined;
  /** YYYY-MM-DD, inclusive. */
  to?: string | undefined;
  status?: string | undefined;
  /** Only notices with a part the extractor was unsure of (see `UNSURE_BELOW`). */
  needs_review?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface NoticeListItem {
  trace_id: string;
  route: string;
  source: string;
  status: string;
  phase: string | null;
  attempts: number;
  received_at: string;
  last_error: string | null;
  parts: {
    manufacturer: string | null;
    mpn: string;
    lifecycle_status: string;
    confidence: number | null;
    needs_review: boolean;
  }[];
}

interface Row extends Omit<NoticeListItem, "parts"> {
  notices: { manufacturer: string | null; mpn: string; lifecycle_status: string }[] | null;
  sources: { confidence?: number; needs_review?: boolean }[] | null;
}

const NOTICES = "coalesce(p.output->'notices', '[]'::jsonb)";

/**
 * The extractor marks the notices a person should check (`needs_review`); records made before it did
 * carry only a confidence, and under this one count as unsure (the rules' own threshold for asking
 * the model, LLM_MIN_CONFIDENCE's default).
 */
export const UNSURE_BELOW = 0.7;

function unsure(s: { confidence?: number; needs_review?: boolean } | undefined): boolean {
  if (!s) return false;
  if (typeof s.needs_review === "boolean") return s.needs_review;
  return typeof s.confidence === "number" && s.confidence < UNSURE_BELOW;
}

export async function searchNotices(
  db: Sql,
  q: NoticeSearch,
): Promise<{ notices: NoticeListItem[]; has_more: boolean }> {
  const r = await db.query<Row>(
    `select i.trace_id::text as trace_id, i.route, i.source, i.status, i.phase, i.attempts, i.last_error,
       to_char(i.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at,
       p.output->'notices' as notices, p.output->'sources' as sources
     from inbox i left join pipeline_phases p on p.trace_id = i.trace_id and p.phase = 'extract'
     where ($1::uuid is null or i.trace_id = $1::uuid)
       and ($2::date is null or i.received_at >= $2::date)
       and ($3::date is null or i.received_at < $3::date + 1)
       and ($4::text is null or i.status = $4)
       and ($5::text is null or exists (select 1 from jsonb_array_elements(${NOTICES}) n
             where strpos(upper(n->>'mpn'), upper($5)) > 0))
       and ($6::text is null or strpos(lower(i.source), lower($6)) > 0
             or exists (select 1 from jsonb_array_elements(${NOTICES}) n
               where strpos(lower(coalesce(n->>'manufacturer', '')), lower($6)) > 0))
       and (not $7::boolean or exists (select 1 from jsonb_array_elements(coalesce(p.output->'sources', '[]'::jsonb)) s
             where s->>'needs_review' = 'true'
               or (s->>'needs_review' is null and (s->>'confidence')::float8 < ${UNSURE_BELOW})))
     order by i.received_at desc, i.trace_id limit $8 offset $9`,
    [
      q.trace_id ?? null,
      q.from ?? null,
      q.to ?? null,
      q.status ?? null,
      q.mpn ?? null,
      q.manufacturer ?? null,
      q.needs_review === true,
      q.limit + 1,
      q.offset,
    ],
  );
  const rows = r.rows.slice(0, q.limit);
  return {
    has_more: r.rows.length > q.limit,
    notices: rows.map(({ notices, sources, ...row }) => ({
      ...row,
      parts: (notices ?? []).map((n, i) => ({
        manufacturer: n.manufacturer,
        mpn: n.mpn,
        lifecycle_status: n.lifecycle_status,
        confidence: sources?.[i]?.confidence ?? null,
        needs_review: unsure(sources?.[i]),
      })),
    })),
  };
}
