import { assessStoredPart } from "../bom/bom.assess.ts";
import { getPart } from "../bom/bom.repository.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import type { ImpactSettings } from "../impact/impact.settings.ts";
import { timeChanges } from "../impact/time.changes.ts";
import type { Sql } from "../store/driver.ts";
import { type CaseFacts, FACT_FIELDS, type FactChange, factsOf, mergeFacts } from "./case.identity.ts";
import {
  evidenceOf,
  insertReport,
  lockCase,
  reportResult,
  unlinkNotice,
  updateCaseFacts,
} from "./cases.repository.ts";

/**
 * A case after one of its notices stopped counting as evidence (a person rejected it, or corrected it
 * into another notice): the notice is unlinked, the case's facts are merged again from the notices
 * still linked, in the order they were received (the same merge as when they arrived), and when that
 * changes them the case is re-assessed as a new report version. A case left with no evidence is
 * reported as such; what happens to it then (dismissal) is the workflow's decision, not this one.
 * In the caller's transaction.
 */
export type EvidenceOutcome =
  | { kind: "no_evidence"; case_id: string }
  | { kind: "unchanged"; case_id: string; report_version: number }
  | {
      kind: "updated";
      case_id: string;
      report_version: number;
      changes: FactChange[];
      impact: ImpactResult;
    };

export interface Withdrawal {
  traceId: string;
  noticeIndex: number;
  /** Who withdrew it (a user's name), and when. */
  by: string;
  at: Date;
}

/** Unlinks the notice from every case it was on; returns those cases' ids. */
export async function withdrawNotice(tx: Sql, w: Withdrawal): Promise<string[]> {
  const links = await unlinkNotice(tx, w.traceId, w.noticeIndex, w.by, w.at);
  return [...new Set(links.map((l) => l.case_id))];
}

/**
 * Merges a case's facts again from its evidence and re-assesses it when they changed. `cause` names
 * what did it in the report (e.g. `review:12`), as a trace id names the notice behind a report.
 */
export async function reassessFromEvidence(
  tx: Sql,
  caseId: string,
  o: { cause: string; settings: ImpactSettings },
): Promise<EvidenceOutcome> {
  const c = await lockCase(tx, caseId);
  if (!c) return { kind: "no_evidence", case_id: caseId };
  const evidence = await evidenceOf(tx, caseId);
  if (evidence.length === 0) return { kind: "no_evidence", case_id: caseId };
  let facts = factsOf(evidence[0]!.notice);
  let asOf = new Date(evidence[0]!.received_at);
  for (const e of evidence.slice(1)) {
    const receivedAt = new Date(e.received_at);
    facts = mergeFacts(facts, asOf, e.notice, receivedAt).facts;
    if (receivedAt > asOf) asOf = receivedAt;
  }
  const factChanges = diff(c, facts);
  if (factChanges.length === 0)
    return { kind: "unchanged", case_id: caseId, report_version: c.report_version };
  const part = await getPart(tx, c.part_id);
  const previous = await reportResult(tx, caseId, c.report_version);
  const impact = await assessStoredPart(tx, part, {
    notice: part ? { manufacturer: part.manufacturer, mpn: part.mpn } : undefined,
    status: facts.lifecycle_status === "unknown" ? null : facts.lifecycle_status,
    ltbDate: facts.ltb_date,
    asOf: new Date(c.facts_as_of),
    settings: o.settings,
  });
  const changes = [...factChanges, ...timeChanges(previous, impact)];
  const version = c.report_version + 1;
  await insertReport(tx, { caseId, version, traceId: o.cause, result: impact, changes });
  await updateCaseFacts(tx, caseId, facts, new Date(c.facts_as_of), version, impact);
  return { kind: "updated", case_id: caseId, report_version: version, changes, impact };
}

function diff(current: CaseFacts, next: CaseFacts): FactChange[] {
  return FACT_FIELDS.flatMap((field) =>
    current[field] === next[field] ? [] : [{ field, from: current[field], to: next[field] }],
  );
}
