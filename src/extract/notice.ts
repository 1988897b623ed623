import { z } from "zod";
import { LifecycleStatus, NoticeType } from "../parts/lifecycle.ts";

/** ISO calendar day, `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/**
 * One extracted notice: one affected orderable part (the schema of corpus/emails/labels.json).
 * This is the contract between extraction, the pipeline, the LLM assist and `eolgate extract`.
 */
export const ExtractedNotice = z.object({
  manufacturer: z.string().nullable(),
  mpn: z.string().min(1),
  lifecycle_status: LifecycleStatus,
  notice_type: NoticeType,
  pcn_id: z.string().nullable(),
  ltb_date: IsoDate.nullable(),
  last_ship_date: IsoDate.nullable(),
  replacement_mpn: z.string().nullable(),
});
export type ExtractedNotice = z.infer<typeof ExtractedNotice>;

/** Where in a message a notice was found, for people checking the result. */
export const NoticeSource = z.object({
  /** e.g. "text", "html", "attachment:parts.csv", "forward[1]" */
  part: z.string(),
  /** e.g. "table", "list", "prose", "structured" */
  layout: z.string(),
  /** Line (text) or row (table) where the part was found, when known. */
  line: z.number().int().nullable(),
});
export type NoticeSource = z.infer<typeof NoticeSource>;

/** How a notice's part was found: the extraction rules, the BOM scan (a BOM part the rules missed), the model. */
export const MatchedBy = z.enum(["rules", "bom_scan", "llm"]);
export type MatchedBy = z.infer<typeof MatchedBy>;

/** The text that names a part found by the BOM scan, for the person who reviews it. */
export const NoticeEvidence = z.object({
  /** The MPN as the BOM writes it. */
  bom_mpn: z.string(),
  /** `exact`, `suffix` (another packing or RoHS suffix), `loose` (other punctuation or a line wrap). */
  match: z.enum(["exact", "suffix", "loose"]),
  /** The part as the message writes it. */
  written: z.string(),
  /** A stretch of the message around it, whitespace collapsed. */
  excerpt: z.string(),
  /** Offsets of the part in `excerpt` (end exclusive). */
  start: z.number().int(),
  end: z.number().int(),
});
export type NoticeEvidence = z.infer<typeof NoticeEvidence>;

/**
 * An extracted notice with the extractor's confidence (0..1), the signals that set it (`reasons`),
 * whether a person should check it (`needs_review`: confidence below the review threshold), how it
 * was found and where.
 */
export const ScoredNotice = ExtractedNotice.extend({
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  needs_review: z.boolean(),
  matched_by: MatchedBy,
  evidence: NoticeEvidence.nullable(),
  source: NoticeSource,
});
export type ScoredNotice = z.infer<typeof ScoredNotice>;

/** The result of extracting one message. */
export interface ExtractionResult {
  is_lifecycle_notice: boolean;
  notices: ScoredNotice[];
}
