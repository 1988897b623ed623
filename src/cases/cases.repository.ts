import type { ExtractedNotice } from "../extract/notice.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import type { Sql } from "../store/driver.ts";
import type { CaseFacts, EventKind, FactChange, ReportCause } from "./case.identity.ts";

/** Cases, their versioned impact reports and notice links. Dates leave SQL as text. */

export interface CaseRecord extends CaseFacts {
  id: string;
  part_id: number;
  event_kind: EventKind;
  facts_as_of: Date;
  report_version: number;
}

const CASE_COLUMNS = `id::text as id, part_id::float8 as part_id, event_kind, lifecycle_status, ltb_date::text as ltb_date,
  last_ship_date::text as last_ship_date, pcn_id, replacement_mpn, facts_as_of, report_version`;

/** Serialises the match & assess work of one trace id (concurrent retries take turns). */
export async function lockTrace(tx: Sql, traceId: string): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(7243907, hashtext($1))", [traceId]);
}

export interface NoticeLink {
  notice_index: number;
  part_id: number | null;
  case_id: string | null;
  outcome: "created" | "updated" | "unchanged" | "no_match";
  changes: FactChange[];
  report_version: number | null;
  event_kind: EventKind | null;
  part_manufacturer: string | null;
  part_mpn: string | null;
  result: ImpactResult | null;
}

export async function linksOfTrace(db: Sql, traceId: string): Promise<NoticeLink[]> {
  const r = await db.query<NoticeLink>(
    `select l.notice_index, l.part_id::float8 as part_id, l.case_id::text as case_id, l.outcome, l.changes,
       l.report_version, c.event_kind, p.manufacturer as part_manufacturer, p.mpn as part_mpn, r.result
     from case_notices l
     left join cases c on c.id = l.case_id
     left join parts p on p.id = l.part_id
     left join impact_reports r on r.case_id = l.case_id and r.version = l.report_version
     where l.trace_id = $1 order by l.notice_index, l.part_id nulls first`,
    [traceId],
  );
  return r.rows;
}

/** The case of a part and event, locked for this transaction, or null. */
export async function findCaseForUpdate(
  tx: Sql,
  partId: number,
  kind: EventKind,
): Promise<CaseRecord | null> {
  const r = await tx.query<CaseRecord>(
    `select ${CASE_COLUMNS} from cases where part_id = $1 and event_kind = $2 for update`,
    [partId, kind],
  );
  return r.rows[0] ?? null;
}

export interface NewCase {
  id: string;
  partId: number;
  kind: EventKind;
  manufacturerKey: string;
  mpnNorm: string;
  facts: CaseFacts;
  factsAsOf: Date;
}

/** Inserts the case unless a concurrent transaction made it first; returns whether this one did. */
export async function insertCase(tx: Sql, c: NewCase, result: ImpactResult): Promise<boolean> {
  const r = await tx.query(
    `insert into cases (id, part_id, event_kind, manufacturer_key, mpn_norm, lifecycle_status, ltb_date, last_ship_date,
       pcn_id, replacement_mpn, facts_as_of, report_version, revenue_at_risk, pnl_impact, recommendation, severity,
       run_out_date, decision_by, coverage_months, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $14, $15, $16, $17, $18, now(), now())
     on conflict (part_id, event_kind) do nothing`,
    [
      c.id,
      c.partId,
      c.kind,
      c.manufacturerKey,
      c.mpnNorm,
      c.facts.lifecycle_status,
      c.facts.ltb_date,
      c.facts.last_ship_date,
      c.facts.pcn_id,
      c.facts.replacement_mpn,
      c.factsAsOf,
      ...headline(result),
    ],
  );
  return r.affected === 1;
}

export async function updateCaseFacts(
  tx: Sql,
  id: string,
  facts: CaseFacts,
  factsAsOf: Date,
  version: number,
  result: ImpactResult,
): Promise<void> {
  await tx.query(
    `update cases set lifecycle_status = $2, ltb_date = $3, last_ship_date = $4, pcn_id = $5, replacement_mpn = $6,
       facts_as_of = greatest(facts_as_of, $7), report_version = $8, revenue_at_risk = $9, pnl_impact = $10,
       recommendation = $11, severity = $12, run_out_date = $13, decision_by = $14, coverage_months = $15,
       updated_at = now()
     where id = $1`,
    [
      id,
      facts.lifecycle_status,
      facts.ltb_date,
      facts.last_ship_date,
      facts.pcn_id,
      facts.replacement_mpn,
      factsAsOf,
      version,
      ...headline(result),
    ],
  );
}

/** The report's headline kept on the case row: exposure, advice and the §6b time view. */
function headline(r: ImpactResult) {
  return [
    r.revenue_at_risk,
    r.pnl_impact,
    r.recommendation,
    r.severity,
    r.run_out_date,
    r.decision_by,
    r.coverage_months,
  ] as const;
}

/** Appends report `version` of a case (the primary key refuses a second write of a version). */
export async function insertReport(
  tx: Sql,
  r: {
    caseId: string;
    version: number;
    traceId: string;
    result: ImpactResult;
    changes: FactChange[];
    cause?: ReportCause | null;
  },
): Promise<void> {
  await tx.query(
    `insert into impact_reports (case_id, version, trace_id, as_of, lifecycle_status, ltb_date, result, changes, cause,
       created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
    [
      r.caseId,
      r.version,
      r.traceId,
      r.result.as_of,
      r.result.status,
      r.result.ltb_date,
      JSON.stringify(r.result),
      JSON.stringify(r.changes),
      r.cause ? JSON.stringify(r.cause) : null,
    ],
  );
  // The affected set of the latest report, for filtering cases by product.
  await tx.query("delete from case_assemblies where case_id = $1", [r.caseId]);
  if (r.result.affected.length > 0) {
    await tx.query(
      `insert into case_assemblies (case_id, assembly_id, qty_per_unit)
       select $1, * from unnest($2::text[], $3::float8[])`,
      [r.caseId, r.result.affected.map((a) => a[0]), r.result.affected.map((a) => a[1])],
    );
  }
}

export async function insertLink(
  tx: Sql,
  l: {
    traceId: string;
    noticeIndex: number;
    partId: number | null;
    caseId: string | null;
    outcome: NoticeLink["outcome"];
    notice: ExtractedNotice;
    changes: FactChange[];
    reportVersion: number | null;
    receivedAt: Date;
    cause?: ReportCause | null;
  },
): Promise<void> {
  await tx.query(
    `insert into case_notices (trace_id, notice_index, part_id, case_id, outcome, notice, changes, report_version,
       received_at, cause) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      l.traceId,
      l.noticeIndex,
      l.partId,
      l.caseId,
      l.outcome,
      JSON.stringify(l.notice),
      JSON.stringify(l.changes),
      l.reportVersion,
      l.receivedAt,
      l.cause ? JSON.stringify(l.cause) : null,
    ],
  );
}

/** The impact result of one report version of a case (it exists: links and reports commit together). */
export async function reportResult(db: Sql, caseId: string, version: number): Promise<ImpactResult> {
  const r = await db.query<{ result: ImpactResult }>(
    "select result from impact_reports where case_id = $1 and version = $2",
    [caseId, version],
  );
  return r.rows[0]!.result;
}

/** The case, locked for this transaction, or null. */
export async function lockCase(tx: Sql, id: string): Promise<CaseRecord | null> {
  const r = await tx.query<CaseRecord>(`select ${CASE_COLUMNS} from cases where id = $1 for update`, [id]);
  return r.rows[0] ?? null;
}

/**
 * Marks the links of one extracted notice as no longer evidence (a person rejected it, or replaced it
 * by a correction). Returns the cases they pointed at; a link already unlinked is left as it is.
 */
export async function unlinkNotice(
  tx: Sql,
  traceId: string,
  noticeIndex: number,
  by: string,
  at: Date,
): Promise<{ case_id: string; outcome: NoticeLink["outcome"] }[]> {
  const r = await tx.query<{ case_id: string | null; outcome: NoticeLink["outcome"] }>(
    `update case_notices set unlinked_at = $3, unlinked_by = $4
     where trace_id = $1 and notice_index = $2 and unlinked_at is null
     returning case_id::text as case_id, outcome`,
    [traceId, noticeIndex, at, by],
  );
  return r.rows.flatMap((x) => (x.case_id === null ? [] : [{ case_id: x.case_id, outcome: x.outcome }]));
}

/** The notices still linked to a case (its evidence), in the order they were received. */
export async function evidenceOf(
  tx: Sql,
  caseId: string,
): Promise<{ notice: ExtractedNotice; received_at: Date }[]> {
  const r = await tx.query<{ notice: ExtractedNotice; received_at: Date }>(
    `select notice, received_at from case_notices where case_id = $1 and unlinked_at is null
     order by received_at, trace_id, notice_index`,
    [caseId],
  );
  return r.rows;
}
