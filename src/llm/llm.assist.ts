import type { Logger } from "pino";
import type { LlmMetrics } from "./llm.metrics.ts";
import type { Llm } from "./llm.port.ts";

/**
 * What the extraction assist and the brief writer are given: the model (the port), when the rules
 * should ask it, and where to count and log what its answers were worth (fallbacks, values dropped by
 * the guard). Null everywhere when LLM_PROVIDER=none.
 */
export interface LlmAssist {
  llm: Llm;
  /** Rules' notices below this confidence ask the model (LLM_MIN_CONFIDENCE). */
  minConfidence: number;
  metrics: LlmMetrics;
  logger: Logger;
}
