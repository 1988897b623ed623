import type { ExtractedNotice } from "../extract/notice.ts";
import type { MaterialTimeField } from "../impact/time.changes.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";

/**
 * Case identity and fact merging (pure). A case is one part and one lifecycle event of it
 * (docs/adr/0006-case-identity.md):
 * - `discontinuance`: the part is going away: an EOL/LTB/obsolete notice, whatever it is called;
 * - `product_change`: a PCN on a part that stays orderable;
 * - `status_update`: any other status news (NRND, restored to active, transferred).
 * A SiliconExpert alert and the maker's email about the same discontinuance therefore land on
 * one case, and a PCN for that part is a separate case.
 */
export const EVENT_KINDS = ["discontinuance", "product_change", "status_update"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const GOING_AWAY: ReadonlySet<LifecycleStatus> = new Set(["ltb", "eol", "obsolete"]);

export function eventKindOf(n: Pick<ExtractedNotice, "notice_type" | "lifecycle_status">): EventKind {
  if (n.notice_type === "discontinuance" || GOING_AWAY.has(n.lifecycle_status)) return "discontinuance";
  return n.notice_type === "product_change" ? "product_change" : "status_update";
}

/**
 * A status update that says the part is active again is the cancellation of a discontinuance: it
 * belongs on that case when there is one, so the case shows it is over.
 */
export function isCancellation(n: Pick<ExtractedNotice, "notice_type" | "lifecycle_status">): boolean {
  return n.notice_type === "status_update" && n.lifecycle_status === "active";
}

export interface CaseFacts {
  lifecycle_status: LifecycleStatus;
  ltb_date: string | null;
  last_ship_date: string | null;
  pcn_id: string | null;
  replacement_mpn: string | null;
}
export const FACT_FIELDS = [
  "lifecycle_status",
  "ltb_date",
  "last_ship_date",
  "pcn_id",
  "replacement_mpn",
] as const;

/**
 * A change of a case fact, of a material §6b field its re-assessment moved (time.changes.ts), or of
 * the advice and exposure a re-evaluation on a changed BOM moved.
 */
export interface FactChange {
  field: keyof CaseFacts | MaterialTimeField | "recommendation" | "revenue_at_risk";
  from: string | null;
  to: string | null;
}

export function factsOf(n: ExtractedNotice): CaseFacts {
  return {
    lifecycle_status: n.lifecycle_status,
    ltb_date: n.ltb_date,
    last_ship_date: n.last_ship_date,
    pcn_id: n.pcn_id,
    replacement_mpn: n.replacement_mpn,
  };
}

/**
 * Merges a notice into a case's facts. A newer notice (received at or after the facts' as-of)
 * overrides each field it states; a field it leaves null keeps what an earlier source said (an
 * aggregator alert often omits the dates the maker gave). A notice older than the facts only
 * fills fields still unknown, so replays and late deliveries never roll a case back.
 * `unknown` is never a statement about the status.
 */
export function mergeFacts(
  current: CaseFacts,
  currentAsOf: Date,
  notice: ExtractedNotice,
  receivedAt: Date,
): { facts: CaseFacts; changes: FactChange[] } {
  const incoming = factsOf(notice);
  const newer = receivedAt.getTime() >= currentAsOf.getTime();
  const facts: CaseFacts = { ...current };
  const changes: FactChange[] = [];
  for (const field of FACT_FIELDS) {
    const to = incoming[field];
    const from = current[field];
    if (to === null || to === from) continue;
    if (field === "lifecycle_status" && (to === "unknown" || (!newer && from !== "unknown"))) continue;
    if (field !== "lifecycle_status" && !newer && from !== null) continue;
    (facts as Record<keyof CaseFacts, string | null>)[field] = to;
    changes.push({ field, from, to });
  }
  return { facts, changes };
}

/**
 * What made a report or a notice link: null for a notice as it arrived; a re-evaluation of an
 * earlier notice after a BOM import (or on demand) names the notice and the BOM version.
 */
export type ReportCause = { kind: "reevaluation"; notice_trace_id: string; bom_version: number };
