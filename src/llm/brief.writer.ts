import { z } from "zod";
import { checkBrief } from "./brief.check.ts";
import { type BriefFacts, templateBrief } from "./brief.facts.ts";
import type { LlmAssist } from "./llm.assist.ts";
import type { LlmFailureReason } from "./llm.port.ts";

/**
 * The stakeholder brief. The model only words it: the facts are computed, the model is told to use
 * no other number, and every number and date in its text is checked against the facts. Any doubt
 * (no model, a failed call, a number not derivable from the facts, a text too long) gives the
 * deterministic template instead.
 */
export const BRIEF_PROMPT_VERSION = "brief-v1";
export const MAX_BRIEF_CHARS = 1_200;

export type BriefFallbackReason = "disabled" | LlmFailureReason | "unverified_number" | "too_long";

export interface Brief {
  text: string;
  source: "llm" | "template";
  reason?: BriefFallbackReason;
}

const ModelBrief = z.object({ text: z.string().min(1) });

const SYSTEM = `You write the short brief of an electronic-component obsolescence case for the engineers,
buyers and managers who must act on it. Plain text, at most 120 words, no headings, no markdown.
Say what happened to the part, the deadline, what is at risk, what we recommend and at what cost,
and the other options. Use ONLY numbers and dates that appear in the facts, written as they are
(amounts in the facts' currency; you may abbreviate as $1.2M or round to whole units of money).
Never compute a new number: no sums, differences, ratios, percentages or durations of your own.
Dates as YYYY-MM-DD. Name parts and products exactly as in the facts.`;

export async function writeBrief(assist: LlmAssist | null, facts: BriefFacts): Promise<Brief> {
  if (assist === null) return { text: templateBrief(facts), source: "template", reason: "disabled" };
  const answer = await assist.llm.complete({
    purpose: "brief",
    promptVersion: BRIEF_PROMPT_VERSION,
    schemaName: "case_brief",
    schema: ModelBrief,
    system: SYSTEM,
    user: JSON.stringify(facts, null, 1),
  });
  const fallback = (reason: BriefFallbackReason): Brief => {
    assist.metrics.fallbacks.inc({ purpose: "brief", reason });
    return { text: templateBrief(facts), source: "template", reason };
  };
  if (answer.kind === "failed") return fallback(answer.reason);
  const text = answer.value.text.trim();
  if (text.length > MAX_BRIEF_CHARS) return fallback("too_long");
  const verdict = checkBrief(text, facts);
  if (verdict.kind === "rejected") {
    for (const p of verdict.problems)
      assist.metrics.hallucinations.inc({ field: p.kind === "date" ? "brief_date" : "brief_number" });
    assist.logger.info(
      { caseId: facts.caseId, problems: verdict.problems.map((p) => p.raw) },
      "model brief states numbers not in the facts; using the template",
    );
    return fallback("unverified_number");
  }
  return { text, source: "llm" };
}
