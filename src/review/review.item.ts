import { z } from "zod";
import { ExtractedNotice, MatchedBy, NoticeEvidence } from "../extract/notice.ts";
import { Excerpt } from "./review.excerpt.ts";
import { REVIEW_STATUSES } from "./review.repository.ts";

/**
 * A review item as the API shows it (issue 19 §4): the same shape in the list, the detail and the
 * answer to a decision, so the console's Review page reads one thing. Documented at /docs from here.
 */
export const ReviewItem = z.object({
  id: z.number().int(),
  status: z.enum(REVIEW_STATUSES),
  trace_id: z.string(),
  notice_index: z.number().int(),
  /** The notice as the extractor read it. */
  notice: ExtractedNotice,
  /** The notice as a person corrected it (status `corrected`), else null. */
  corrected: ExtractedNotice.nullable(),
  confidence: z.number(),
  /** The signals behind the confidence, e.g. `layout:prose`, `maker_unknown`. */
  reasons: z.array(z.string()),
  matched_by: MatchedBy,
  /** The BOM scan's evidence (matched_by `bom_scan`), else null. */
  evidence: NoticeEvidence.nullable(),
  /** Where the message names the part, with the part's offsets in `text`; null when not found. */
  excerpt: Excerpt.nullable(),
  /** The message and the place in it; `notice_url` is the message's status, extraction and errors. */
  source: z.object({
    trace_id: z.string(),
    part: z.string(),
    layout: z.string(),
    line: z.number().int().nullable(),
    message_id: z.string().nullable(),
    from: z.string().nullable(),
    subject: z.string().nullable(),
    notice_url: z.string(),
  }),
  /**
   * The cases the notice went to (`via: extraction`) or its correction went to (`via: correction`);
   * `linked: false` once a decision withdrew the notice from that case.
   */
  cases: z.array(
    z.object({
      case_id: z.string(),
      outcome: z.string(),
      via: z.enum(["extraction", "correction"]),
      linked: z.boolean(),
    }),
  ),
  received_at: z.string(),
  created_at: z.string(),
  /** Who decided, when and how; null while pending. */
  decision: z
    .object({
      verdict: z.enum(["confirmed", "corrected", "rejected"]),
      by: z.string(),
      at: z.string(),
      note: z.string().nullable(),
    })
    .nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ReviewPage = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  items: z.array(ReviewItem),
});

/** One message of the export: the schema of corpus/emails/labels.json. */
export const LabelEntry = z.object({
  file: z.string(),
  is_lifecycle_notice: z.boolean(),
  notices: z.array(ExtractedNotice),
});
