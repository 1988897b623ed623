import { DEFAULT_REVIEW_THRESHOLD } from "../extract/notice.confidence.ts";
import type { ExtractedNotice, ExtractionResult, ScoredNotice } from "../extract/notice.ts";
import { foldMpn } from "../parts/mpn.normalize.ts";

/**
 * Merges guarded model notices into the rules' result, field by field. Pure.
 *
 * - The rules' values win wherever they have one: they come from patterns over the same text, and
 *   a disagreement is more often the model's error than the rules'. The model fills the gaps
 *   (null fields, an `unknown` status).
 * - Notices are the same part when their MPNs are equal up to case, whitespace and dashes. Not the
 *   match key: a notice listing `AD8606ARZ` and `AD8606ARZ-REEL7` names two orderables.
 * - A part only the model found is added at MODEL_NOTICE_CONFIDENCE, with source `llm`, for review.
 * - A rules' notice whose gaps the model filled says so in its reasons.
 * - The message is a lifecycle notice if the rules say so, or the model says so and at least one of
 *   its parts survived the guard (a bare "yes" with nothing checkable does not flip the verdict).
 */
export const MODEL_NOTICE_CONFIDENCE = 0.5;

const MERGED_FIELDS = [
  "manufacturer",
  "pcn_id",
  "ltb_date",
  "last_ship_date",
  "replacement_mpn",
] as const satisfies readonly (keyof ExtractedNotice)[];

export function mergeExtractions(
  rules: ExtractionResult,
  model: { is_lifecycle_notice: boolean; notices: readonly ExtractedNotice[] },
): ExtractionResult {
  const notices: ScoredNotice[] = rules.notices.map((n) => ({ ...n }));
  for (const m of model.notices) {
    const same = notices.find((n) => foldMpn(n.mpn) === foldMpn(m.mpn));
    if (!same) {
      notices.push({
        ...m,
        confidence: MODEL_NOTICE_CONFIDENCE,
        reasons: ["found_by_model"],
        needs_review: MODEL_NOTICE_CONFIDENCE < DEFAULT_REVIEW_THRESHOLD,
        matched_by: "llm",
        evidence: null,
        source: { part: "llm", layout: "model", line: null },
      });
      continue;
    }
    const filled: string[] = [];
    for (const f of MERGED_FIELDS)
      if (same[f] === null && m[f] !== null) {
        same[f] = m[f];
        filled.push(f);
      }
    if (same.lifecycle_status === "unknown" && m.lifecycle_status !== "unknown") {
      same.lifecycle_status = m.lifecycle_status;
      same.notice_type = m.notice_type;
      filled.push("lifecycle_status");
    }
    if (filled.length) same.reasons = [...same.reasons, ...filled.map((f) => `model_filled_${f}`)];
  }
  const modelBacked = model.is_lifecycle_notice && model.notices.length > 0;
  return { is_lifecycle_notice: rules.is_lifecycle_notice || modelBacked, notices };
}
