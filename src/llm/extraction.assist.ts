import type { ExtractionResult } from "../extract/notice.ts";
import { guardNotices } from "./extraction.guard.ts";
import { mergeExtractions } from "./extraction.merge.ts";
import {
  EXTRACTION_PROMPT_VERSION,
  EXTRACTION_SCHEMA_NAME,
  EXTRACTION_SYSTEM_PROMPT,
  extractionUserPrompt,
  ModelExtraction,
} from "./extraction.prompt.ts";
import type { LlmAssist } from "./llm.assist.ts";
import type { LlmFailureReason } from "./llm.port.ts";
import { type NonNoticeKind, nonNoticeKind } from "./non-notice.ts";

/**
 * Whether and how the model took part in one message's extraction; the pipeline stores it with the
 * notice. `fallback` means the rules' result was used unchanged.
 */
export type LlmUsage =
  | { used: false; reason: "disabled" | "confident" | NonNoticeKind }
  | {
      used: true;
      outcome: "merged" | "fallback";
      reason?: LlmFailureReason;
      /** Values the model returned that the message does not contain (dropped). */
      hallucinations: number;
      cached: boolean;
    };

export interface AssistInput {
  /** The decoded message text (body, and attachment text when the caller has it). */
  text: string;
  subject: string;
  from: string | null;
  rules: ExtractionResult;
  /** When the message was received: resolves "next year" and dates written without a year. */
  now: Date;
}

/** The rules ask for help when they found nothing, or found a notice they are not sure of. */
export function needsModel(rules: ExtractionResult, minConfidence: number): boolean {
  if (rules.notices.length === 0) return true;
  return rules.is_lifecycle_notice && rules.notices.some((n) => n.confidence < minConfidence);
}

/**
 * The rules' result, completed by the model where the rules were unsure. Never worse than the rules:
 * any failure of the model (off, over budget, timeout, malformed answer…) returns them unchanged.
 */
export async function assistExtraction(
  assist: LlmAssist | null,
  input: AssistInput,
): Promise<{ result: ExtractionResult; usage: LlmUsage }> {
  const rules = input.rules;
  if (assist === null) return { result: rules, usage: { used: false, reason: "disabled" } };
  if (!needsModel(rules, assist.minConfidence))
    return { result: rules, usage: { used: false, reason: "confident" } };
  // Found nothing, and the message is a newsletter, an automatic reply or a bounce: nothing to ask.
  const nonNotice = rules.notices.length === 0 ? nonNoticeKind(input) : null;
  if (nonNotice) return { result: rules, usage: { used: false, reason: nonNotice } };

  const answer = await assist.llm.complete({
    purpose: "extraction",
    promptVersion: EXTRACTION_PROMPT_VERSION,
    schemaName: EXTRACTION_SCHEMA_NAME,
    schema: ModelExtraction,
    system: EXTRACTION_SYSTEM_PROMPT,
    user: extractionUserPrompt({
      subject: input.subject,
      from: input.from,
      text: input.text,
      receivedDay: input.now.toISOString().slice(0, 10),
    }),
  });
  if (answer.kind === "failed") {
    assist.metrics.fallbacks.inc({ purpose: "extraction", reason: answer.reason });
    return {
      result: rules,
      usage: { used: true, outcome: "fallback", reason: answer.reason, hallucinations: 0, cached: false },
    };
  }

  // The subject is part of the message: makers often put the part number only there.
  const evidence = `${input.subject}\n${input.text}`;
  const guarded = guardNotices(answer.value.notices, evidence, input.now);
  for (const d of guarded.dropped) assist.metrics.hallucinations.inc({ field: d.field });
  if (guarded.dropped.length > 0)
    assist.logger.info(
      { dropped: guarded.dropped.map((d) => ({ field: d.field, mpn: d.mpn })) },
      "model values not found in the message were dropped",
    );
  const result = mergeExtractions(rules, {
    is_lifecycle_notice: answer.value.is_lifecycle_notice,
    notices: guarded.kept,
  });
  return {
    result,
    usage: { used: true, outcome: "merged", hallucinations: guarded.dropped.length, cached: answer.cached },
  };
}
