import { foldMpn, manufacturerKey, normalizeMpn } from "../bom/part-key.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import { SEVERITIES, type Severity } from "../impact/impact.time.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";
import type { Sql } from "../store/driver.ts";
import { CASE_STATES, type CaseState, type Decision } from "../workflow/case.workflow.ts";
import type { EventKind, FactChange, ReportCause } from "./case.identity.ts";

/** Reads of cases for the API, the demo and the CLI. */

export interface CaseSummary {
  id: string;
  part: { manufacturer: string; mpn: string };
  event_kind: EventKind;
  status: LifecycleStatus;
  ltb_date: string | null;
  last_ship_date: string | null;
  /** Days from `today` to the LTB date (negative once it has passed); null when no date is known. */
  days_to_ltb: number | null;
  pcn_id: string | null;
  replacement_mpn: string | null;
  revenue_at_risk: number;
  pnl_impact: number;
  recommendation: string;
  /** §6b time view of the latest report; null for a case not re-assessed since §6b. */
  severity: Severity | null;
  run_out_date: string | null;
  decision_by: string | null;
  /** Days from `today` to decision_by (negative once it has passed); null when there is none. */
  days_to_decision: number | null;
  coverage_months: number | null;
  report_version: number;
  notices: number;
  created_at: string;
  updated_at: string;
  /** DESIGN §11: where people are with the case; `version` rises with every action on it. */
  state: CaseState;
  version: number;
  assignee: string | null;
  decision: Decision | null;
  /**
   * Issue 19: a notice the extractor was not sure of opened or changed the case, and nobody has
   * confirmed or corrected it yet (its review item is pending).
   */
  provisional: boolean;
}

/** Which cases a list, its totals or an export covers. */
export interface CaseSelection {
  status?: LifecycleStatus | undefined;
  manufacturer?: string | undefined;
  /** An assembly id: cases whose latest report affects it. */
  product?: string | undefined;
  /** Cases of any of these severities. */
  severity?: readonly Severity[] | undefined;
  /** YYYY-MM-DD: cases to be decided on or before this day. */
  decision_by_before?: string | undefined;
  /** Cases in any of these workflow states (DESIGN §11). */
  state?: CaseState[] | undefined;
  assignee?: string | undefined;
  /** A notification route (the affected assemblies' notify_channel; `default` for none). */
  route?: string | undefined;
  /** A part number: cases on the part it names (as written, or without packaging suffixes). */
  mpn?: string | undefined;
  /** Free text: cases whose maker, MPN, PCN id or replacement MPN contain it (case folded). */
  q?: string | undefined;
  /** YYYY-MM-DD: the day days_to_ltb counts from. */
  today: string;
}

export interface CaseFilter extends CaseSelection {
  sort: (typeof CASE_SORTS)[number];
  limit: number;
  offset: number;
}

export const CASE_SORTS = ["exposure", "days_to_ltb", "severity", "decision_by"] as const;

/** Severity as a number, most urgent highest (the expression the cases_severity index is built on). */
const SEVERITY_RANK = `(case c.severity when 'critical' then 4 when 'high' then 3
  when 'medium' then 2 when 'low' then 1 else 0 end)`;

const ORDER: Record<CaseFilter["sort"], string> = {
  exposure: "c.revenue_at_risk desc, c.ltb_date asc nulls last, c.id",
  days_to_ltb: "c.ltb_date asc nulls last, c.revenue_at_risk desc, c.id",
  severity: `${SEVERITY_RANK} desc, c.decision_by asc nulls last, c.revenue_at_risk desc, c.id`,
  decision_by: `c.decision_by asc nulls last, ${SEVERITY_RANK} desc, c.revenue_at_risk desc, c.id`,
};

const SUMMARY = `c.id::text as id, p.manufacturer, p.mpn, c.event_kind, c.lifecycle_status as status,
  c.ltb_date::text as ltb_date, c.last_ship_date::text as last_ship_date,
  (c.ltb_date - $1::date) as days_to_ltb, c.pcn_id, c.replacement_mpn, c.revenue_at_risk::float8 as revenue_at_risk,
  c.pnl_impact::float8 as pnl_impact, c.recommendation, c.severity, c.run_out_date::text as run_out_date,
  c.decision_by::text as decision_by, (c.decision_by - $1::date) as days_to_decision,
  c.coverage_months::float8 as coverage_months, c.report_version,
  (select count(*)::int from case_notices n where n.case_id = c.id and n.unlinked_at is null) as notices,
  to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
  to_char(c.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at,
  coalesce(w.state, 'open') as state, coalesce(w.version, 1) as version, w.assignee, w.decision,
  exists (select 1 from case_notices n join review_items q on q.trace_id::text = n.trace_id
      and q.notice_index = n.notice_index
    where n.case_id = c.id and n.unlinked_at is null and n.outcome in ('created', 'updated')
      and q.status = 'pending') as provisional`;
const FROM = "cases c join parts p on p.id = c.part_id left join case_workflow w on w.case_id = c.id";

type SummaryRow = Omit<CaseSummary, "part"> & { manufacturer: string; mpn: string };

function toSummary({ id, manufacturer, mpn, ...rest }: SummaryRow): CaseSummary {
  return { id, part: { manufacturer, mpn }, ...rest };
}

/**
 * The filter of a case list as SQL over `FROM`: `$1` is today, the filter's values follow (shared by
 * the list, its totals and the exports, so they always select the same cases).
 */
function caseWhere(f: CaseSelection): { where: string; params: unknown[] } {
  const where = `($2::text is null or c.lifecycle_status = $2)
      and ($3::text is null or c.manufacturer_key = $3)
      and ($4::text is null or exists (select 1 from case_assemblies a where a.case_id = c.id and a.assembly_id = $4))
      and ($5::text[] is null or c.severity = any($5::text[]))
      and ($6::date is null or c.decision_by <= $6::date)
      and ($7::text[] is null or coalesce(w.state, 'open') = any($7::text[]))
      and ($8::text is null or lower(w.assignee) = lower($8))
      and ($9::text is null or p.mpn_fold = $9 or c.mpn_norm = $10)
      and ($11::text is null or strpos(lower(p.manufacturer || ' ' || p.mpn || ' ' || coalesce(c.pcn_id, '') || ' ' ||
        coalesce(c.replacement_mpn, '')), $11) > 0)
      and ($12::text is null or exists (select 1 from case_assemblies a join assemblies s on s.assembly_id = a.assembly_id
            where a.case_id = c.id and coalesce(s.notify_channel, 'default') = $12))`;
  const params = [
    f.today,
    f.status ?? null,
    f.manufacturer ? manufacturerKey(f.manufacturer) : null,
    f.product ?? null,
    f.severity?.length ? [...f.severity] : null,
    f.decision_by_before ?? null,
    f.state?.length ? f.state : null,
    f.assignee ?? null,
    f.mpn ? foldMpn(f.mpn) : null,
    f.mpn ? normalizeMpn(f.mpn) : null,
    f.q ? f.q.trim().toLowerCase() : null,
    f.route ?? null,
  ];
  return { where, params };
}

export async function listCases(db: Sql, f: CaseFilter): Promise<{ total: number; cases: CaseSummary[] }> {
  const { where, params } = caseWhere(f);
  const rows = await db.query<SummaryRow>(
    `select ${SUMMARY} from ${FROM} where ${where} order by ${ORDER[f.sort]} limit $13 offset $14`,
    [...params, f.limit, f.offset],
  );
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n from ${FROM} where $1::date is not null and ${where}`,
    params,
  );
  return { total: total.rows[0]!.n, cases: rows.rows.map(toSummary) };
}

/** What the selected cases add up to: the head of the console's Cases page. */
export interface CaseTotals {
  cases: number;
  revenue_at_risk: number;
  /** Sum of the recommended options' P&L impact. */
  pnl_impact: number;
  by_severity: Record<Severity | "unassessed", number>;
  by_state: Record<CaseState, number>;
  /** Waiting for a decision (open or acknowledged) with the decide-by date passed. */
  overdue: number;
  /** Waiting for a decision with the decide-by date within 30 days. */
  due_within_30_days: number;
}

export async function caseTotals(db: Sql, f: CaseSelection): Promise<CaseTotals> {
  const { where, params } = caseWhere(f);
  const undecided = "coalesce(w.state, 'open') in ('open', 'acknowledged')";
  const r = await db.query<{
    cases: number;
    revenue_at_risk: number | null;
    pnl_impact: number | null;
    overdue: number;
    due: number;
    severities: Record<string, number> | null;
    states: Record<string, number> | null;
  }>(
    `with selected as (select c.revenue_at_risk, c.pnl_impact, c.severity, c.decision_by, coalesce(w.state, 'open') as state,
         ${undecided} as undecided from ${FROM} where ${where})
     select count(*)::int as cases, sum(revenue_at_risk)::float8 as revenue_at_risk, sum(pnl_impact)::float8 as pnl_impact,
       (count(*) filter (where undecided and decision_by < $1::date))::int as overdue,
       (count(*) filter (where undecided and decision_by >= $1::date and decision_by <= $1::date + 30))::int as due,
       (select jsonb_object_agg(k, n) from (select coalesce(severity, 'unassessed') as k, count(*)::int as n
          from selected group by 1) s) as severities,
       (select jsonb_object_agg(state, n) from (select state, count(*)::int as n from selected group by 1) t) as states
     from selected`,
    params,
  );
  const row = r.rows[0]!;
  const by_severity = Object.fromEntries(
    [...SEVERITIES, "unassessed" as const].map((k) => [k, row.severities?.[k] ?? 0]),
  ) as CaseTotals["by_severity"];
  const by_state = Object.fromEntries(
    CASE_STATES.map((k) => [k, row.states?.[k] ?? 0]),
  ) as CaseTotals["by_state"];
  return {
    cases: row.cases,
    revenue_at_risk: Math.round((row.revenue_at_risk ?? 0) * 100) / 100,
    pnl_impact: Math.round((row.pnl_impact ?? 0) * 100) / 100,
    by_severity,
    by_state,
    overdue: row.overdue,
    due_within_30_days: row.due,
  };
}

/** The values the case filters can take (makers, assemblies and routes that cases touch). */
export interface CaseFacets {
  manufacturers: string[];
  assemblies: { assembly_id: string; name: string }[];
  routes: string[];
}

const FACET_LIMIT = 2000;

export async function caseFacets(db: Sql): Promise<CaseFacets> {
  const makers = await db.query<{ manufacturer: string }>(
    `select min(p.manufacturer) as manufacturer from cases c join parts p on p.id = c.part_id
     group by c.manufacturer_key order by 1 limit ${FACET_LIMIT}`,
  );
  const assemblies = await db.query<{ assembly_id: string; name: string; route: string }>(
    `select s.assembly_id, s.name, coalesce(s.notify_channel, 'default') as route
     from assemblies s where exists (select 1 from case_assemblies a where a.assembly_id = s.assembly_id)
     order by s.assembly_id limit ${FACET_LIMIT}`,
  );
  return {
    manufacturers: makers.rows.map((r) => r.manufacturer),
    assemblies: assemblies.rows.map(({ assembly_id, name }) => ({ assembly_id, name })),
    routes: [...new Set(assemblies.rows.map((r) => r.route))].sort(),
  };
}

export interface CaseDetail extends CaseSummary {
  /** The review items that make the case provisional (GET /v1/review/{id}); empty when it is not. */
  pending_reviews: number[];
  notices_linked: {
    trace_id: string;
    notice_index: number;
    outcome: string;
    received_at: string;
    notice: unknown;
    changes: FactChange[];
    /** Null: the notice as it arrived; else the re-evaluation that linked it (notice, BOM version). */
    cause: ReportCause | null;
  }[];
  reports: {
    version: number;
    trace_id: string;
    as_of: string;
    changes: FactChange[];
    result: ImpactResult;
    /** What made this report: null for a notice, else a re-evaluation after a BOM import. */
    cause: ReportCause | null;
  }[];
  /** The latest report's options and the assemblies it affects, with their names. */
  options: ImpactResult["options"];
  /** The latest report's §6b detail (null for a report made before §6b). */
  covered: boolean | null;
  bridges: ImpactResult["bridges"] | null;
  stress: ImpactResult["stress"];
  near_misses: ImpactResult["near_misses"];
  affected_assemblies: { assembly_id: string; name: string | null; qty_per_unit: number }[];
}

export async function getCase(db: Sql, id: string, today: string): Promise<CaseDetail | null> {
  const c = await db.query<SummaryRow>(`select ${SUMMARY} from ${FROM} where c.id = $2`, [today, id]);
  if (!c.rows[0]) return null;
  const notices = await db.query<CaseDetail["notices_linked"][number]>(
    `select trace_id, notice_index, outcome, notice, changes, cause,
       to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at
     from case_notices where case_id = $1 and unlinked_at is null order by received_at, trace_id, notice_index`,
    [id],
  );
  const pending = await db.query<{ id: number }>(
    `select distinct q.id::float8 as id from case_notices n
     join review_items q on q.trace_id::text = n.trace_id and q.notice_index = n.notice_index
     where n.case_id = $1 and n.unlinked_at is null and n.outcome in ('created', 'updated')
       and q.status = 'pending' order by 1`,
    [id],
  );
  const reports = await db.query<CaseDetail["reports"][number]>(
    `select version, trace_id, as_of::text as as_of, changes, result, cause from impact_reports where case_id = $1
     order by version`,
    [id],
  );
  const affected = await db.query<CaseDetail["affected_assemblies"][number]>(
    `select ca.assembly_id, a.name, ca.qty_per_unit from case_assemblies ca
     left join assemblies a on a.assembly_id = ca.assembly_id where ca.case_id = $1 order by ca.assembly_id`,
    [id],
  );
  const latest = reports.rows[reports.rows.length - 1];
  return {
    ...toSummary(c.rows[0]),
    pending_reviews: pending.rows.map((r) => r.id),
    notices_linked: notices.rows,
    reports: reports.rows,
    options: latest!.result.options,
    covered: latest!.result.covered ?? null,
    bridges: latest!.result.bridges ?? null,
    stress: latest!.result.stress ?? null,
    near_misses: latest!.result.near_misses ?? [],
    affected_assemblies: affected.rows,
  };
}

/** Every case the filter selects, in its order, a page at a time (for exports; no limit). */
export async function* iterateCases(
  db: Sql,
  f: Omit<CaseFilter, "limit" | "offset">,
  pageSize = 500,
): AsyncGenerator<CaseSummary> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await listCases(db, { ...f, limit: pageSize, offset });
    yield* page.cases;
    if (page.cases.length < pageSize) return;
  }
}
