import { manufacturerKey } from "../bom/part-key.ts";
import {
  type EvidenceOutcome,
  reassessFromEvidence,
  withdrawNotice,
} from "../cases/case-evidence.service.ts";
import { assessNoticesIn, type CaseOutcome } from "../cases/cases.service.ts";
import { ExtractedNotice } from "../extract/notice.ts";
import type { ImpactSettings } from "../impact/impact.settings.ts";
import type { Routing } from "../notify/routing.ts";
import type { Sql, SqlDriver } from "../store/driver.ts";
import { hasRole, type Principal, type Role } from "../users/roles.ts";
import { TERMINAL_STATES } from "../workflow/case.workflow.ts";
import { actOnCaseIn } from "../workflow/case-actions.service.ts";
import { notifyReviewedCases, type ReviewedCase } from "./review.notify.ts";
import { casesOfNotice, correctionTrace } from "./review.query.ts";
import { type ReviewRow, type ReviewVerdict, reviewRepository } from "./review.repository.ts";

/**
 * People deciding on the notices the extractor was not sure of (issue 19 §4). One transaction per
 * decision, holding the item's row, so the decision, its effect on cases and their events and
 * messages commit together, and a retried or concurrent request finds the decision already made:
 * the same decision again is answered as it was (`repeated`) and changes nothing; another one is
 * refused (`already_reviewed`).
 *
 * - confirm: the notice stands; its cases stop being provisional.
 * - correct: the notice is replaced by the corrected one: unlinked from its cases, the correction
 *   assessed under its own key (`review:<id>`, like a notice's trace id: new or updated case), and
 *   every case the original was on merged again from the notices it still has.
 * - reject: the notice is unlinked from its cases, which are merged again from what remains; a case
 *   left with no evidence is dismissed (the workflow allows it from open or acknowledged; otherwise
 *   the event says so and a person decides).
 * Every case touched gets an event by the reviewer (through the workflow's actions).
 */
export const REVIEW_ROLE: Role = "decider";

export interface ReviewDeps {
  settings: ImpactSettings;
  routing: Routing;
  /** PUBLIC_BASE_URL, for the case links in the messages a correction sends. */
  publicBaseUrl: string;
}

export type ReviewDecision =
  | { verdict: "confirmed"; note: string | null }
  | { verdict: "rejected"; note: string | null }
  | { verdict: "corrected"; fields: Partial<ExtractedNotice>; note: string | null };

export type DecideOutcome =
  | { kind: "decided"; id: number }
  /** This decision was already made (a retry or a double click): nothing was done again. */
  | { kind: "repeated"; id: number }
  | { kind: "not_found" }
  | { kind: "forbidden"; needed: Role; role: Role }
  | { kind: "already_reviewed"; id: number; status: ReviewVerdict }
  /** The corrected notice breaks the extract schema. */
  | { kind: "invalid"; issues: { path: string; message: string }[] };

export async function decideReview(
  db: SqlDriver,
  deps: ReviewDeps,
  id: number,
  decision: ReviewDecision,
  who: Principal,
  now: Date,
): Promise<DecideOutcome> {
  if (!hasRole(who.role, REVIEW_ROLE)) return { kind: "forbidden", needed: REVIEW_ROLE, role: who.role };
  return db.transaction(async (tx) => {
    const item = await reviewRepository.lock(tx, id);
    if (!item) return { kind: "not_found" };
    let corrected: ExtractedNotice | null = null;
    if (decision.verdict === "corrected") {
      const parsed = ExtractedNotice.safeParse({ ...item.notice, ...decision.fields });
      if (!parsed.success)
        return {
          kind: "invalid",
          issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        };
      corrected = parsed.data;
    }
    if (item.status !== "pending")
      return sameDecision(item, decision.verdict, corrected)
        ? { kind: "repeated", id }
        : { kind: "already_reviewed", id, status: item.status };
    await reviewRepository.decide(tx, id, {
      verdict: decision.verdict,
      corrected,
      manufacturerKey: corrected
        ? corrected.manufacturer
          ? manufacturerKey(corrected.manufacturer)
          : null
        : undefined,
      note: decision.note,
      by: who.name,
      at: now,
    });
    const touched = await applyDecision(tx, deps, item, decision.verdict, corrected, who, now);
    await notifyReviewedCases(tx, touched, { routing: deps.routing, publicBaseUrl: deps.publicBaseUrl, now });
    return { kind: "decided", id };
  });
}

/** The decision's effect on cases, their events; returns the cases re-assessed, for their messages. */
async function applyDecision(
  tx: Sql,
  deps: ReviewDeps,
  item: ReviewRow,
  verdict: ReviewVerdict,
  corrected: ExtractedNotice | null,
  who: Principal,
  now: Date,
): Promise<ReviewedCase[]> {
  const cause = correctionTrace(item.id);
  const about = { review_id: item.id, verdict, trace_id: item.trace_id, notice_index: item.notice_index };
  const comment = (caseId: string, text: string, extra: Record<string, unknown> = {}) =>
    actOnCaseIn(tx, caseId, (w) => ({ action: "comment", version: w.version, text }), who, now, {
      ...about,
      ...extra,
    });
  const what = `${item.notice.manufacturer ?? "unknown maker"} ${item.notice.mpn} (notice ${item.notice_index} of message ${item.trace_id})`;

  if (verdict === "confirmed") {
    for (const caseId of await casesOfNotice(tx, item.trace_id, item.notice_index))
      await comment(caseId, `Notice confirmed in review: ${what}.`);
    return [];
  }

  const withdrawn = await withdrawNotice(tx, {
    traceId: item.trace_id,
    noticeIndex: item.notice_index,
    by: who.name,
    at: now,
  });
  const landed: CaseOutcome[] = corrected
    ? (
        await assessNoticesIn(tx, {
          traceId: cause,
          receivedAt: new Date(item.received_at),
          notices: [corrected],
          settings: deps.settings,
        })
      ).filter((o) => o.case_id !== null)
    : [];
  const touched: ReviewedCase[] = landed.flatMap((o) =>
    (o.kind === "created" || o.kind === "updated") && o.report_version !== null
      ? [{ case_id: o.case_id!, event: o.kind, version: o.report_version, changes: o.changes }]
      : [],
  );
  const landedOn = new Set(landed.map((o) => o.case_id!));
  // The original's facts leave every case it was on (the correction's, merged again, stay).
  for (const caseId of withdrawn) {
    const after = await reassessFromEvidence(tx, caseId, { cause, settings: deps.settings });
    if (after.kind === "updated") touched.push(asUpdate(after));
    if (after.kind === "no_evidence") await dismissOrSay(tx, caseId, who, now, about, what, verdict);
    else if (!landedOn.has(caseId))
      await comment(
        caseId,
        verdict === "rejected"
          ? `Notice rejected in review and unlinked from this case: ${what}.`
          : `Notice corrected in review and unlinked from this case (the correction names another part): ${what}.`,
        { unlinked: true },
      );
  }
  for (const caseId of landedOn)
    await comment(
      caseId,
      `Notice corrected in review: ${what} now reads ${describe(corrected!)}.`,
      withdrawn.includes(caseId) ? {} : { linked_by_correction: true },
    );
  return touched;
}

/** A case whose only evidence was withdrawn: dismissed where the workflow allows it, else said so. */
async function dismissOrSay(
  tx: Sql,
  caseId: string,
  who: Principal,
  now: Date,
  about: Record<string, unknown>,
  what: string,
  verdict: ReviewVerdict,
): Promise<void> {
  const why = `Notice ${verdict} in review; it was this case's only evidence: ${what}.`;
  await actOnCaseIn(
    tx,
    caseId,
    (w) =>
      w.state === "open" || w.state === "acknowledged"
        ? { action: "dismiss", version: w.version, note: why }
        : {
            action: "comment",
            version: w.version,
            text: `${why} The case is ${w.state}, ${TERMINAL_STATES.includes(w.state) ? "so it stays as it is" : "which cannot be dismissed: decide what to do with it"}.`,
          },
    who,
    now,
    { ...about, unlinked: true, no_evidence: true },
  );
}

function asUpdate(e: Extract<EvidenceOutcome, { kind: "updated" }>): ReviewedCase {
  return { case_id: e.case_id, event: "updated", version: e.report_version, changes: e.changes };
}

function describe(n: ExtractedNotice): string {
  const parts = [`${n.manufacturer ?? "unknown maker"} ${n.mpn}`, n.lifecycle_status];
  if (n.ltb_date) parts.push(`LTB ${n.ltb_date}`);
  if (n.last_ship_date) parts.push(`last ship ${n.last_ship_date}`);
  return parts.join(", ");
}

/** The notice's fields, from its schema (the labels.json schema). */
const FIELDS = Object.keys(ExtractedNotice.shape) as (keyof ExtractedNotice)[];

function sameDecision(item: ReviewRow, verdict: ReviewVerdict, corrected: ExtractedNotice | null): boolean {
  if (item.status !== verdict) return false;
  if (verdict !== "corrected") return true;
  return (
    item.corrected !== null && corrected !== null && FIELDS.every((f) => item.corrected![f] === corrected[f])
  );
}
