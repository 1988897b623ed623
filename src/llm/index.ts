/**
 * Language-model assistance (issue 8, docs/adr): optional, checked, never the source of a number.
 * Other areas import from here.
 */
export { type BriefFacts, briefFactsFromImpact, templateBrief } from "./brief.facts.ts";
export { type Brief, type BriefFallbackReason, writeBrief } from "./brief.writer.ts";
export { type AssistInput, assistExtraction, type LlmUsage, needsModel } from "./extraction.assist.ts";
export type { LlmAssist } from "./llm.assist.ts";
export { createLlm, type LlmDeps } from "./llm.client.ts";
export { llmMetrics } from "./llm.metrics.ts";
export type { ChatTransport, Llm, LlmAnswer, LlmFailureReason } from "./llm.port.ts";
