/**
 * Language-model assistance (issue 8, docs/adr): optional, checked, never the source of a number.
 * Other areas import from here.
 */
export { type BriefFacts, briefFactsFromImpact, templateBrief } from "./brief.facts.ts";
export { type Brief, type BriefFallbackReason, writeBrief } from "./brief.writer.ts";
export { type AssistInput, assistExtraction, type LlmUsage, needsModel } from "./extraction.assist.ts";
export { createLlm, type Llm, type LlmAnswer, type LlmDeps, type LlmFailureReason } from "./llm.ts";
