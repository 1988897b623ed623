/**
 * Reviewed notices as a labelled set (issue 19): every confirmed or corrected notice of a message,
 * written in the schema of corpus/emails/labels.json, so that what people reviewed grows the
 * regression corpus. A message whose notices were all rejected is labelled as no lifecycle notice.
 * Pure: the review queue's store hands in its rows; the file name is the raw message's, by trace id.
 */
import { ExtractedNotice } from "./notice.ts";

export type ReviewVerdict = "confirmed" | "corrected" | "rejected";

export interface ReviewedNotice {
  trace_id: string;
  verdict: ReviewVerdict;
  /** The notice as confirmed, or as the reviewer corrected it; ignored for a rejection. */
  notice: ExtractedNotice;
}

export interface LabelEntry {
  file: string;
  is_lifecycle_notice: boolean;
  notices: ExtractedNotice[];
}

/** One entry per message, in trace-id order; notices in the order reviewed, one per MPN (the last word counts). */
export function reviewedAsLabels(rows: readonly ReviewedNotice[]): LabelEntry[] {
  const byTrace = new Map<string, Map<string, ExtractedNotice | null>>();
  for (const r of rows) {
    const notices = byTrace.get(r.trace_id) ?? new Map<string, ExtractedNotice | null>();
    byTrace.set(r.trace_id, notices);
    const key = r.notice.mpn.toUpperCase().replace(/\s+/g, "");
    notices.delete(key);
    notices.set(key, r.verdict === "rejected" ? null : ExtractedNotice.parse(r.notice));
  }
  return [...byTrace.keys()].sort().map((trace) => {
    const kept = [...byTrace.get(trace)!.values()].filter((n): n is ExtractedNotice => n !== null);
    return { file: `${trace}.eml`, is_lifecycle_notice: kept.length > 0, notices: kept };
  });
}
