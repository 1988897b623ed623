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
  receivedAt: Date;
  notices: ExtractedNotice[];
  settings: ImpactSettings;
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
  const link = {
    traceId: input.traceId,
    noticeIndex: index,
    partId: part.id,
    notice,
    receivedAt: input.receivedAt,
  };
  const partRef = { manufacturer: part.manufacturer, mpn: part.mpn };

  if (!existing) {
    const facts = factsOf(notice);
    const impact = await assessStoredPart(tx, part, {
      notice: { manufacturer: notice.manufacturer, mpn: notice.mpn },
      status: facts.lifecycle_status === "unknown" ? null : facts.lifecycle_status,
      ltbDate: facts.ltb_date,
      asOf: input.receivedAt,
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
      await insertReport(tx, { caseId: id, version: 1, traceId: input.traceId, result: impact, changes: [] });
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
  link: { traceId: string; noticeIndex: number; partId: number; notice: ExtractedNotice; receivedAt: Date },
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
  if (factChanges.length === 0) {
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
  }
  // Re-assess as of the latest notice the case has seen.
  const asOf = input.receivedAt > new Date(c.facts_as_of) ? input.receivedAt : new Date(c.facts_as_of);
  const impact = await assessStoredPart(tx, part, {
    notice: { manufacturer: link.notice.manufacturer, mpn: link.notice.mpn },
    status: facts.lifecycle_status === "unknown" ? null : facts.lifecycle_status,
    ltbDate: facts.ltb_date,
    asOf,
    settings: input.settings,
  });
  // A new severity or decide-by date is a material change of its own (an update message).
  const changes = [...factChanges, ...timeChanges(previous, impact)];
  const version = c.report_version + 1;
  const before = (await recommendationOf(tx, c.id))?.recommendation ?? null;
  await insertReport(tx, { caseId: c.id, version, traceId: input.traceId, result: impact, changes });
  await updateCaseFacts(tx, c.id, facts, input.receivedAt, version, impact);
  // DESIGN §11: a material new notice reopens a closed or dismissed case, in this transaction.
  const recommendation =
    before !== impact.recommendation
      ? [{ field: "recommendation", from: before, to: impact.recommendation }]
      : [];
  await reopenOnNotice(tx, c.id, input.traceId, [...changes, ...recommendation], input.receivedAt);
  await insertLink(tx, { ...link, caseId: c.id, outcome: "updated", changes, reportVersion: version });
  return outcome(link.noticeIndex, "updated", c.id, c.event_kind, partRef, version, changes, impact);
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
