import type { Registry } from "../observability/metrics.ts";
import { counter, histogram } from "../observability/metrics.ts";

/** What a model call is for; a label on every LLM metric. */
export type LlmPurpose = "extraction" | "brief";

/** The LLM metrics, declared once per registry (asking twice returns the same metric). */
export function llmMetrics(reg: Registry) {
  return {
    /** One per logical call (retries included): ok, cached, or the failure reason. */
    requests: counter(reg, "eolgate_llm_requests_total", "Language-model calls by outcome", [
      "purpose",
      "outcome",
    ]),
    /** One per HTTP attempt that is retried, by why. */
    retries: counter(reg, "eolgate_llm_retries_total", "Language-model HTTP attempts retried", [
      "purpose",
      "reason",
    ]),
    tokens: counter(reg, "eolgate_llm_tokens_total", "Tokens billed by the model (prompt, completion)", [
      "purpose",
      "kind",
    ]),
    cost: counter(
      reg,
      "eolgate_llm_cost_usd_total",
      "Estimated model cost in USD from LLM_USD_PER_MILLION_*_TOKENS (0 when unpriced)",
      ["purpose"],
    ),
    hallucinations: counter(
      reg,
      "eolgate_llm_hallucinations_total",
      "Values the model returned that the message does not contain, dropped by the guard",
      ["field"],
    ),
    fallbacks: counter(
      reg,
      "eolgate_llm_fallbacks_total",
      "Model answers not used: the rules' result or the template brief was used instead",
      ["purpose", "reason"],
    ),
    seconds: histogram(
      reg,
      "eolgate_llm_request_seconds",
      "Wall time of a language-model call, retries and waits included",
      ["purpose"],
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    ),
  };
}
export type LlmMetrics = ReturnType<typeof llmMetrics>;
