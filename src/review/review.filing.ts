import { manufacturerKey } from "../bom/part-key.ts";
import type { ExtractedNotice, MatchedBy, NoticeEvidence, NoticeSource } from "../extract/notice.ts";
import type { Excerpt } from "./review.excerpt.ts";
import type { NewReviewItem } from "./review.repository.ts";

/**
 * Which notices of an extracted message go to the review queue: those the extractor marked
 * `needs_review` (confidence below EXTRACT_REVIEW_THRESHOLD). Pure; the persist phase files them.
 * A message extracted without signals (a platform's structured alert) has nothing to review.
 */
export interface ExtractedMessage {
  notices: readonly ExtractedNotice[];
  sources?:
    | readonly {
        confidence: number;
        reasons: string[];
        needs_review: boolean;
        matched_by: MatchedBy;
        evidence: NoticeEvidence | null;
        source: NoticeSource;
        excerpt?: Excerpt | null | undefined;
      }[]
    | undefined;
  message?: { id: string | null; from: string | null; subject: string } | undefined;
}

export function itemsToReview(m: ExtractedMessage): NewReviewItem[] {
  if (!m.sources || m.sources.length !== m.notices.length) return [];
  return m.notices.flatMap((notice, i) => {
    const s = m.sources![i]!;
    if (!s.needs_review) return [];
    return [
      {
        noticeIndex: i,
        notice,
        confidence: s.confidence,
        reasons: s.reasons,
        matchedBy: s.matched_by,
        evidence: s.evidence,
        source: { ...s.source, excerpt: s.excerpt ?? null, message: m.message ?? null },
        manufacturerKey: notice.manufacturer ? manufacturerKey(notice.manufacturer) : null,
      },
    ];
  });
}
