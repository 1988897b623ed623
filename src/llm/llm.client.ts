import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { z } from "zod";
import type { LlmConfig } from "../config.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import type { BreakerOutcome, CircuitBreaker } from "../resilience/circuit-breaker.ts";
import { CircuitOpenError } from "../resilience/circuit-breaker.ts";
import type { Sql } from "../store/driver.ts";
import { type Completed, parseAnswer, timedOut } from "./llm.answer.ts";
import type { LlmAssist } from "./llm.assist.ts";
import type { LlmMetrics, LlmPurpose } from "./llm.metrics.ts";
import type {
  AttemptResult,
  ChatTransport,
  Llm,
  LlmAnswer,
  LlmFailureReason,
  LlmRequest,
} from "./llm.port.ts";
import { type LlmBudget, memoryBudget, sqlBudget } from "./llm-budget.repository.ts";
import { cacheKey, type LlmCache, memoryCache, sqlCache } from "./llm-cache.repository.ts";
import { strictJsonSchema } from "./strict-schema.ts";

/**
 * The Llm port over a chat transport: answers from the cache first, then within the spending budget,
 * through the circuit breaker, with retries and Retry-After waits inside one deadline of
 * LLM_TIMEOUT_SECONDS; every answer checked against its schema (llm.answer.ts).
 */
export interface LlmDeps {
  /** The chat transport (openai.transport.ts), built by the composition root. */
  transport: ChatTransport;
  /** The process's breaker for the model: its state is exported with the others'. */
  breaker: CircuitBreaker;
  metrics: LlmMetrics;
  logger: Logger;
  /** The store: cache and budget are then shared by workers and survive restarts. */
  db?: Sql;
  now: () => Date;
  /** Jitter for backoff, in [0, 1). */
  random?: () => number;
  /** Retry schedule; the deadline still bounds it. */
  retry?: { maxRetries: number; baseMs: number; maxMs: number };
}

export const DEFAULT_MODEL = "gpt-4o-mini";
const DEFAULT_RETRY = { maxRetries: 2, baseMs: 250, maxMs: 4_000 };

/**
 * The model and what its users need around it (LlmAssist); null when LLM_PROVIDER=none: then nothing
 * in the process can reach a model.
 */
export function createLlm(config: LlmConfig, deps: LlmDeps): LlmAssist | null {
  if (config.LLM_PROVIDER === "none") return null;
  const model = config.LLM_MODEL ?? DEFAULT_MODEL;
  if (!config.LLM_MODEL) deps.logger.warn({ model }, "LLM_MODEL not set; using the default model");
  const limits = {
    maxCallsPerHour: config.LLM_MAX_CALLS_PER_HOUR,
    maxTokensPerDay: config.LLM_MAX_TOKENS_PER_DAY,
  };
  const llm = new ChatLlm({
    transport: deps.transport,
    model,
    timeoutMs: config.LLM_TIMEOUT_SECONDS * 1000,
    prices: {
      input: config.LLM_USD_PER_MILLION_INPUT_TOKENS,
      output: config.LLM_USD_PER_MILLION_OUTPUT_TOKENS,
    },
    metrics: deps.metrics,
    logger: deps.logger,
    now: deps.now,
    random: deps.random ?? Math.random,
    retry: deps.retry ?? DEFAULT_RETRY,
    cache: deps.db
      ? sqlCache(deps.db, {
          maxAgeDays: config.LLM_CACHE_MAX_AGE_DAYS,
          maxEntries: config.LLM_CACHE_MAX_ENTRIES,
        })
      : memoryCache(),
    budget: deps.db ? sqlBudget(deps.db, limits) : memoryBudget(limits),
    breaker: deps.breaker,
  });
  return { llm, minConfidence: config.LLM_MIN_CONFIDENCE, metrics: deps.metrics, logger: deps.logger };
}

interface Parts {
  transport: ChatTransport;
  model: string;
  timeoutMs: number;
  prices: { input: number; output: number };
  metrics: LlmMetrics;
  logger: Logger;
  now: () => Date;
  random: () => number;
  retry: { maxRetries: number; baseMs: number; maxMs: number };
  cache: LlmCache;
  budget: LlmBudget;
  breaker: CircuitBreaker;
}

/** Failures that say the service is unwell (they open the circuit); a bad answer does not. */
const SERVICE_FAILURES: ReadonlySet<LlmFailureReason> = new Set([
  "timeout",
  "rate_limited",
  "server_error",
  "unreachable",
]);

class ChatLlm implements Llm {
  readonly model: string;

  constructor(private readonly p: Parts) {
    this.model = p.model;
  }

  async complete<T>(req: LlmRequest<T>): Promise<LlmAnswer<T>> {
    const started = performance.now();
    const answer = await this.answer(req);
    this.p.metrics.seconds.observe({ purpose: req.purpose }, (performance.now() - started) / 1000);
    const outcome = answer.kind === "ok" ? (answer.cached ? "cached" : "ok") : answer.reason;
    this.p.metrics.requests.inc({ purpose: req.purpose, outcome });
    if (answer.kind === "failed")
      this.p.logger.warn(
        { purpose: req.purpose, reason: answer.reason, detail: answer.detail },
        "language-model call failed",
      );
    return answer;
  }

  private async answer<T>(req: LlmRequest<T>): Promise<LlmAnswer<T>> {
    const key = cacheKey({
      model: this.model,
      purpose: req.purpose,
      promptVersion: req.promptVersion,
      content: `${req.system}\n\n${req.user}`,
    });
    const hit = await this.fromCache(key, req.schema);
    if (hit !== null) return { kind: "ok", value: hit, cached: true };

    const budget = await this.p.budget.check(this.p.now());
    if (budget.kind === "exhausted")
      return { kind: "failed", reason: "budget_exhausted", retryable: true, detail: budget.limit };

    let outcome: BreakerOutcome<Completed<T>>;
    try {
      outcome = await this.p.breaker.run(
        () => this.withRetries(req),
        (a) => a.kind === "failed" && SERVICE_FAILURES.has(a.reason),
      );
    } catch (err) {
      if (err instanceof CircuitOpenError)
        return { kind: "failed", reason: "circuit_open", retryable: true, detail: err.message };
      throw err;
    }
    if (outcome.kind === "failed") throw outcome.error;
    const answer = outcome.value;
    if (answer.kind === "ok") {
      await this.toCache(key, req, answer);
      return { kind: "ok", value: answer.value, cached: false };
    }
    return answer;
  }

  /** The attempts of one call, all inside one deadline of LLM_TIMEOUT_SECONDS. */
  private async withRetries<T>(req: LlmRequest<T>): Promise<Completed<T>> {
    const deadline = AbortSignal.timeout(this.p.timeoutMs);
    const endAt = performance.now() + this.p.timeoutMs;
    const chat = {
      model: this.model,
      system: req.system,
      user: req.user,
      schemaName: req.schemaName,
      schema: strictJsonSchema(req.schema),
    };
    for (let attempt = 0; ; attempt++) {
      const r = await this.p.transport.attempt(chat, deadline, endAt - performance.now());
      await this.spend(req.purpose, r);
      if (r.kind === "answer") return parseAnswer(r, req.schema);
      if (r.kind === "deadline") return timedOut(this.p.timeoutMs);
      if (r.kind === "permanent")
        return { kind: "failed", reason: "rejected", retryable: false, detail: r.detail };
      if (attempt >= this.p.retry.maxRetries)
        return { kind: "failed", reason: r.reason, retryable: true, detail: `${r.detail} (no retries left)` };
      const wait = Math.max(
        backoffDelay(attempt, { ...this.p.retry, random: this.p.random }),
        r.retryAfterMs ?? 0,
      );
      if (performance.now() + wait >= endAt)
        return {
          kind: "failed",
          reason: r.reason,
          retryable: true,
          detail: `${r.detail} (a retry in ${wait} ms would pass the ${this.p.timeoutMs} ms timeout)`,
        };
      this.p.metrics.retries.inc({ purpose: req.purpose, reason: r.reason });
      try {
        await sleep(wait, undefined, { signal: deadline });
      } catch {
        return timedOut(this.p.timeoutMs);
      }
    }
  }

  private async spend(purpose: LlmPurpose, r: AttemptResult): Promise<void> {
    const usage = r.kind === "answer" ? r.usage : { prompt: 0, completion: 0 };
    if (usage.prompt > 0) this.p.metrics.tokens.inc({ purpose, kind: "prompt" }, usage.prompt);
    if (usage.completion > 0) this.p.metrics.tokens.inc({ purpose, kind: "completion" }, usage.completion);
    const usd = (usage.prompt * this.p.prices.input + usage.completion * this.p.prices.output) / 1e6;
    if (usd > 0) this.p.metrics.cost.inc({ purpose }, usd);
    try {
      await this.p.budget.record(this.p.now(), { calls: 1, tokens: usage.prompt + usage.completion });
    } catch (err) {
      // Losing one increment under-counts the budget a little; failing the answer would waste the call.
      this.p.logger.warn({ err }, "could not record LLM budget use");
    }
  }

  private async fromCache<T>(key: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      const entry = await this.p.cache.get(key);
      if (!entry) return null;
      const parsed = schema.safeParse(entry.answer);
      return parsed.success ? parsed.data : null;
    } catch (err) {
      this.p.logger.warn({ err }, "LLM cache read failed; asking the model");
      return null;
    }
  }

  private async toCache<T>(key: string, req: LlmRequest<T>, answer: Completed<T>): Promise<void> {
    if (answer.kind !== "ok") return;
    try {
      await this.p.cache.put(
        key,
        { purpose: req.purpose, model: this.model, promptVersion: req.promptVersion, at: this.p.now() },
        { answer: answer.raw, promptTokens: answer.usage.prompt, completionTokens: answer.usage.completion },
      );
    } catch (err) {
      this.p.logger.warn({ err }, "LLM cache write failed");
    }
  }
}
