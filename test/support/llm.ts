import type { Logger } from "pino";
import type { Config } from "../../src/config.ts";
import { createLlm, type LlmDeps } from "../../src/llm/llm.client.ts";
import { llmMetrics } from "../../src/llm/llm.metrics.ts";
import { openAiTransport } from "../../src/llm/openai.transport.ts";
import type { Registry } from "../../src/observability/metrics.ts";
import { createCircuitBreaker } from "../../src/resilience/circuit-breaker.ts";

/**
 * The model as src/main.ts composes it (the OpenAI transport, a breaker, the metrics), for tests that
 * talk to the fake OpenAI server. Null when the configuration says LLM_PROVIDER=none.
 */
export function buildTestLlm(
  config: Config,
  deps: { metrics: Registry; logger: Logger; now: () => Date } & Partial<
    Pick<LlmDeps, "breaker" | "db" | "random" | "retry">
  >,
) {
  const { metrics, ...rest } = deps;
  return createLlm(config.llm, {
    transport: openAiTransport({ baseUrl: config.llm.LLM_BASE_URL, apiKey: config.llm.LLM_API_KEY }),
    breaker:
      deps.breaker ??
      createCircuitBreaker({
        name: "llm",
        failureThreshold: 5,
        resetAfterMs: 60_000,
        halfOpenMax: 1,
        now: () => deps.now().getTime(),
      }),
    ...rest,
    metrics: llmMetrics(metrics),
  });
}
