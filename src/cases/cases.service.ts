import { randomUUID } from "node:crypto";
import { assessStoredPart } from "../bom/bom.assess.ts";
import { matchParts, type StoredPart } from "../bom/bom.repository.ts";
import type { ExtractedNotice } from "../extract/notice.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import type { ImpactSettings } from "../impact/impact.settings.ts";
import { timeChanges } from "../impact/time.changes.ts";
import type { Sql, SqlDriver } from "../store/driver.ts";
import { reopenOnNotice } from "../workflow/case-actions.service.ts";
import { recommendationOf } from "../workflow/case-recommendation.query.ts";
import {
  type EventKind,
  eventKindOf,
  type FactChange,
  factsOf,
  isCancellation,
  mergeFacts,
  type ReportCause,
} from "./case.identity.ts";
import {
  type CaseRecord,
  findCaseForUpdate,
  insertCase,
  insertLink,
  insertReport,
  linksOfTrace,
  lockTrace,
  reportResult,
  updateCaseFacts,
} from "./cases.repository.ts";

/**
 * The pipeline's "match & assess" phase: each extracted notice is matched to stored parts, put on
 * its case (created when new), and assessed. One transaction per trace id; the notice links it
 * writes make a retry of the same trace id return the first answer without a second case, report
 * or link.
 */

export interface CaseOutcome {
  /** Index of the notice in the input. A notice naming no maker may match several parts. */
  notice_index: number;
  kind: "created" | "updated" | "unchanged" | "no_match";
  case_id: string | null;
  event_kind: EventKind | null;
  part: { manufacturer: string; mpn: string } | null;
  /** The report version this notice produced (created/updated) or found (unchanged). */
  report_version: number | null;
  /** Facts this notice changed on the case (empty unless `updated`). */
  changes: FactChange[];
  /** The case's impact after this notice; null when no part matched. */
  impact: ImpactResult | null;
}

export interface AssessNoticesInput {
  traceId: string;
  /** When the notice arrived: its facts count as of then. */
  receivedAt: Date;
  notices: ExtractedNotice[];
  settings: ImpactSettings;
  /**
   * Set when this trace re-evaluates an earlier notice after the BOM changed: assess as of
   * `assessedAt` (the BOM is today's), re-assess a case even when the notice adds no fact, and mark
   * reports and links with the cause.
   */
  reevaluation?: { assessedAt: Date; cause: ReportCause };
}

export async function assessNotices(db: SqlDriver, input: AssessNoticesInput): Promise<CaseOutcome[]> {
  return db.transaction((tx) => assessNoticesIn(tx, input));
}

/** `assessNotices` in the caller's transaction (a reviewer's correction commits with its decision). */
export async function assessNoticesIn(tx: Sql, input: AssessNoticesInput): Promise<CaseOutcome[]> {
  await lockTrace(tx, input.traceId);
  const done = await linksOfTrace(tx, input.traceId);
  if (done.length > 0) return done.map(fromLink);
  const out: CaseOutcome[] = [];
  for (const [index, notice] of input.notices.entries()) {
    const parts = await matchParts(tx, notice.manufacturer, notice.mpn);
    if (parts.length === 0) {
      await insertLink(tx, {
        traceId: input.traceId,
        noticeIndex: index,
        partId: null,
        caseId: null,
        outcome: "no_match",
        notice,
        changes: [],
        reportVersion: null,
        receivedAt: input.receivedAt,
        cause: input.reevaluation?.cause ?? null,
      });
      out.push({
        notice_index: index,
        kind: "no_match",
        case_id: null,
        event_kind: null,
        part: null,
        report_version: null,
        changes: [],
        impact: null,
      });
      continue;
    }
    for (const part of parts) out.push(await onCase(tx, input, index, notice, part));
  }
  return out;
}

async function onCase(
  tx: Sql,
  input: AssessNoticesInput,
  index: number,
  notice: ExtractedNotice,
  part: StoredPart,
): Promise<CaseOutcome> {
  let kind = eventKindOf(notice);
  let existing = await findCaseForUpdate(tx, part.id, kind);
  if (!existing && isCancellation(notice)) {
    const discontinuance = await findCaseForUpdate(tx, part.id, "discontinuance");
    if (discontinuance) {
      kind = "discontinuance";
      existing = discontinuance;
    }
  }
  const cause = input.reevaluation?.cause ?? null;
  const link = {
    traceId: input.traceId,
    noticeIndex: index,
    partId: part.id,
    notice,
    receivedAt: input.receivedAt,
    cause,
  };
  const partRef = { manufacturer: part.manufacturer, mpn: part.mpn };

  if (!existing) {
    const facts = factsOf(notice);
    const impact = await assessStoredPart(tx, part, {
      notice: { manufacturer: notice.manufacturer, mpn: notice.mpn },
      status: facts.lifecycle_status === "unknown" ? null : facts.lifecycle_status,
      ltbDate: facts.ltb_date,
      asOf: input.reevaluation?.assessedAt ?? input.receivedAt,
      settings: input.settings,
    });
    const id = randomUUID();
    const made = await insertCase(
      tx,
      {
        id,
        partId: part.id,
        kind,
        manufacturerKey: part.manufacturerKey,
        mpnNorm: part.mpnNorm,
        facts,
        factsAsOf: input.receivedAt,
      },
      impact,
    );
    if (made) {
      await insertReport(tx, {
        caseId: id,
        version: 1,
        traceId: input.traceId,
        result: impact,
        changes: [],
        cause,
      });
      await insertLink(tx, { ...link, caseId: id, outcome: "created", changes: [], reportVersion: 1 });
      return outcome(index, "created", id, kind, partRef, 1, [], impact);
    }
    // Another trace created this case between our look and our insert: join it as an update.
    existing = (await findCaseForUpdate(tx, part.id, kind))!;
  }
  return onExistingCase(tx, input, link, existing, partRef, part);
}

async function onExistingCase(
  tx: Sql,
  input: AssessNoticesInput,
  link: {
    traceId: string;
    noticeIndex: number;
    partId: number;
    notice: ExtractedNotice;
    receivedAt: Date;
    cause: ReportCause | null;
  },
  c: CaseRecord,
  partRef: { manufacturer: string; mpn: string },
  part: StoredPart,
): Promise<CaseOutcome> {
  const { facts, changes: factChanges } = mergeFacts(
    c,
    new Date(c.facts_as_of),
    link.notice,
    input.receivedAt,
  );
  const previous = await reportResult(tx, c.id, c.report_version);
  const unchanged = async (): Promise<CaseOutcome> => {
    await insertLink(tx, {
      ...link,
      caseId: c.id,
      outcome: "unchanged",
      changes: [],
      reportVersion: c.report_version,
    });
    return outcome(
      link.noticeIndex,
      "unchanged",
      c.id,
      c.event_kind,
      partRef,
      c.report_version,
      [],
      previous,
    );
  };
  // A notice that adds no fact leaves the case as it is; a re-evaluation looks again at the BOM.
  if (factChanges.length === 0 && !input.reevaluation) {
    return unchanged();
  }
  // Re-assess as of the latest notice the case has seen (a re-evaluation: as of when it was asked).
  const seen = input.reevaluation?.assessedAt ?? input.receivedAt;
  const asOf = seen > new Date(c.facts_as_of) ? seen : new Date(c.facts_as_of);
  const impact = await assessStoredPart(tx, part, {
    notice: { manufacturer: link.notice.manufacturer, mpn: link.notice.mpn },
    status: facts.lifecycle_status === "unknown" ? null : facts.lifecycle_status,
    ltbDate: facts.ltb_date,
    asOf,
    settings: input.settings,
  });
  // A new severity or decide-by date is a material change of its own (an update message).
  const changes = [
    ...factChanges,
    ...timeChanges(previous, impact),
    ...(input.reevaluation ? figureChanges(previous, impact) : []),
  ];
  if (factChanges.length === 0 && sameFigures(previous, impact)) {
    // A re-evaluation that finds the case as the BOM leaves it: nothing to report.
    return unchanged();
  }
  const version = c.report_version + 1;
  const before = (await recommendationOf(tx, c.id))?.recommendation ?? null;
  await insertReport(tx, {
    caseId: c.id,
    version,
    traceId: input.traceId,
    result: impact,
    changes,
    cause: link.cause,
  });
  await updateCaseFacts(tx, c.id, facts, input.receivedAt, version, impact);
  // DESIGN §11: a material new notice reopens a closed or dismissed case, in this transaction.
  const recommendation =
    before !== impact.recommendation && !changes.some((ch) => ch.field === "recommendation")
      ? [{ field: "recommendation", from: before, to: impact.recommendation }]
      : [];
  await reopenOnNotice(tx, c.id, input.traceId, [...changes, ...recommendation], input.receivedAt);
  await insertLink(tx, { ...link, caseId: c.id, outcome: "updated", changes, reportVersion: version });
  return outcome(link.noticeIndex, "updated", c.id, c.event_kind, partRef, version, changes, impact);
}

/**
 * The advice and exposure a changed BOM moved: the recommendation (material: an update message) and
 * the revenue at risk (recorded; not news on its own).
 */
function figureChanges(before: ImpactResult, after: ImpactResult): FactChange[] {
  const out: FactChange[] = [];
  if (before.recommendation !== after.recommendation)
    out.push({ field: "recommendation", from: before.recommendation, to: after.recommendation });
  if (before.revenue_at_risk !== after.revenue_at_risk)
    out.push({
      field: "revenue_at_risk",
      from: String(before.revenue_at_risk),
      to: String(after.revenue_at_risk),
    });
  return out;
}

/**
 * The figures a BOM change can move: equal means a re-evaluation has nothing new to say. Compared
 * with keys sorted, since a stored report comes back from jsonb with its keys reordered.
 */
function sameFigures(a: ImpactResult, b: ImpactResult): boolean {
  const key = (r: ImpactResult) =>
    canonical([
      r.part,
      r.demand_units,
      r.supply_units,
      r.shortfall_units,
      r.revenue_at_risk,
      r.recommendation,
      r.pnl_impact,
      r.options,
      r.affected,
      r.alternate_part ?? null,
      r.substitute_part ?? null,
      r.severity ?? null,
      r.decision_by ?? null,
    ]);
  return key(a) === key(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

/** The result of one stored report of a case. */
function outcome(
  index: number,
  kind: CaseOutcome["kind"],
  caseId: string,
  eventKind: EventKind,
  part: { manufacturer: string; mpn: string },
  version: number,
  changes: FactChange[],
  impact: ImpactResult,
): CaseOutcome {
  return {
    notice_index: index,
    kind,
    case_id: caseId,
    event_kind: eventKind,
    part,
    report_version: version,
    changes,
    impact,
  };
}

function fromLink(l: Awaited<ReturnType<typeof linksOfTrace>>[number]): CaseOutcome {
  return {
    notice_index: l.notice_index,
    kind: l.outcome,
    case_id: l.case_id,
    event_kind: l.event_kind,
    part:
      l.part_manufacturer !== null && l.part_mpn !== null
        ? { manufacturer: l.part_manufacturer, mpn: l.part_mpn }
        : null,
    report_version: l.report_version,
    changes: l.changes,
    impact: l.result,
  };
}
