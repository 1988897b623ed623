import { extractedNoticesRepository } from "../extracted-notices.repository.ts";
import type { Phase } from "../phase.ts";
import type { AssessOutput } from "./assess.phase.ts";
import type { ExtractOutput } from "./extract.phase.ts";

/**
 * Persist: the extracted notices, each with its assessment, into `extracted_notices`, committed with
 * the phase record (so a retry never writes them twice).
 */
export interface PersistInput {
  extracted: ExtractOutput;
  assessed: AssessOutput;
}

export function persistPhase(): Phase<PersistInput, { persisted: number }> {
  return async (ctx) => {
    const notices = ctx.input.extracted.notices;
    const byIndex = new Map(ctx.input.assessed.assessments.map((a) => [a.notice_index, a]));
    return {
      kind: "ok",
      output: { persisted: notices.length },
      commit: (tx) => extractedNoticesRepository.insert(tx, ctx.item.traceId, notices, byIndex, ctx.now),
    };
  };
}
