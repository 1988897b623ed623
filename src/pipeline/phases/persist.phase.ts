import { itemsToReview } from "../../review/review.filing.ts";
import { reviewRepository } from "../../review/review.repository.ts";
import { extractedNoticesRepository } from "../extracted-notices.repository.ts";
import type { Phase } from "../phase.ts";
import type { AssessOutput } from "./assess.phase.ts";
import type { ExtractOutput } from "./extract.phase.ts";

/**
 * Persist: the extracted notices, each with its assessment, into `extracted_notices`, and the ones the
 * extractor was not sure of into the review queue, committed with the phase record (so a retry or a
 * replay never writes them twice).
 */
export interface PersistInput {
  extracted: ExtractOutput;
  assessed: AssessOutput;
}

export function persistPhase(): Phase<PersistInput, { persisted: number; to_review?: number }> {
  return async (ctx) => {
    const notices = ctx.input.extracted.notices;
    const byIndex = new Map(ctx.input.assessed.assessments.map((a) => [a.notice_index, a]));
    const toReview = itemsToReview(ctx.input.extracted);
    return {
      kind: "ok",
      output: { persisted: notices.length, ...(toReview.length ? { to_review: toReview.length } : {}) },
      commit: async (tx) => {
        await extractedNoticesRepository.insert(tx, ctx.item.traceId, notices, byIndex, ctx.now);
        await reviewRepository.file(tx, ctx.item.traceId, ctx.item.receivedAt, toReview, ctx.now);
      },
    };
  };
}
