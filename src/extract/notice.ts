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

/** An extracted notice with the extractor's confidence (0..1) and its provenance. */
export const ScoredNotice = ExtractedNotice.extend({
  confidence: z.number().min(0).max(1),
  source: NoticeSource,
});
export type ScoredNotice = z.infer<typeof ScoredNotice>;

/** The result of extracting one message. */
export interface ExtractionResult {
  is_lifecycle_notice: boolean;
  notices: ScoredNotice[];
}
