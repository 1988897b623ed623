import type { ExtractedNotice, MatchedBy, NoticeEvidence, NoticeSource } from "../extract/notice.ts";
import type { Sql } from "../store/driver.ts";
import type { Excerpt } from "./review.excerpt.ts";

/**
 * `review_items` (migration 013): the notices the extractor was not sure of. Filed by the persist
 * phase in the transaction that records it (idempotent per trace id and notice index), decided once
 * by a person (review.service.ts, which holds the row while it applies the decision).
 */
export const REVIEW_STATUSES = ["pending", "confirmed", "corrected", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export type ReviewVerdict = Exclude<ReviewStatus, "pending">;

/** Where the message names the part, and which message it is. */
export interface ReviewSource extends NoticeSource {
  excerpt: Excerpt | null;
  message: { id: string | null; from: string | null; subject: string } | null;
}

export interface NewReviewItem {
  noticeIndex: number;
  notice: ExtractedNotice;
  confidence: number;
  reasons: string[];
  matchedBy: MatchedBy;
  evidence: NoticeEvidence | null;
  source: ReviewSource;
  manufacturerKey: string | null;
}

/** A review item as stored, locked by `lock` for a decision. */
export interface ReviewRow {
  id: number;
  trace_id: string;
  notice_index: number;
  status: ReviewStatus;
  notice: ExtractedNotice;
  corrected: ExtractedNotice | null;
  received_at: Date;
}

export const reviewRepository = {
  /** Files the notices of one message that need review; a notice already filed is kept as it is. */
  async file(
    tx: Sql,
    traceId: string,
    receivedAt: Date,
    items: readonly NewReviewItem[],
    now: Date,
  ): Promise<number> {
    let filed = 0;
    for (const i of items) {
      const r = await tx.query(
        `insert into review_items (trace_id, notice_index, notice, confidence, reasons, matched_by, evidence, source,
           manufacturer_key, received_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (trace_id, notice_index) do nothing`,
        [
          traceId,
          i.noticeIndex,
          JSON.stringify(i.notice),
          i.confidence,
          JSON.stringify(i.reasons),
          i.matchedBy,
          i.evidence === null ? null : JSON.stringify(i.evidence),
          JSON.stringify(i.source),
          i.manufacturerKey,
          receivedAt,
          now,
        ],
      );
      filed += r.affected;
    }
    return filed;
  },

  /** The item, locked for this transaction (a second decision waits, then sees the first); null when none. */
  async lock(tx: Sql, id: number): Promise<ReviewRow | null> {
    const r = await tx.query<ReviewRow>(
      `select id::float8 as id, trace_id::text as trace_id, notice_index, status, notice, corrected, received_at
       from review_items where id = $1 for update`,
      [id],
    );
    return r.rows[0] ?? null;
  },

  /** Records the decision on a pending item (the caller holds its lock). */
  async decide(
    tx: Sql,
    id: number,
    d: {
      verdict: ReviewVerdict;
      corrected: ExtractedNotice | null;
      manufacturerKey: string | null | undefined;
      note: string | null;
      by: string;
      at: Date;
    },
  ): Promise<void> {
    const r = await tx.query(
      `update review_items set status = $2, corrected = $3, note = $4, decided_by = $5, decided_at = $6,
         manufacturer_key = case when $7::boolean then $8 else manufacturer_key end
       where id = $1 and status = 'pending'`,
      [
        id,
        d.verdict,
        d.corrected === null ? null : JSON.stringify(d.corrected),
        d.note,
        d.by,
        d.at,
        d.manufacturerKey !== undefined,
        d.manufacturerKey ?? null,
      ],
    );
    if (r.affected !== 1) throw new Error(`review item ${id} was decided while locked`);
  },
};
