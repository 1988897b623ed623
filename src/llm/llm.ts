import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type OpenAI from "openai";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Config } from "../config.ts";
import type { Registry } from "../observability/metrics.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import type { BreakerOutcome, CircuitBreaker } from "../resilience/circuit-breaker.ts";
import { CircuitOpenError, createCircuitBreaker } from "../resilience/circuit-breaker.ts";
import type { Sql } from "../store/driver.ts";
import { type LlmBudget, memoryBudget, sqlBudget } from "./llm.budget.ts";
import { cacheKey, type LlmCache, memoryCache, sqlCache } from "./llm.cache.ts";
import { type LlmMetrics, type LlmPurpose, llmMetrics } from "./llm.metrics.ts";
import { type AttemptResult, attemptChat, openAiClient } from "./openai.transport.ts";
import { strictJsonSchema } from "./strict-schema.ts";

/**
 * The language-model port. One `complete` call is one question with a schema-checked answer; it
 * never throws for anything the server or the network does, and never takes longer than
 * LLM_TIMEOUT_SECONDS (retries and Retry-After waits included). Callers turn every failure into
 * their deterministic fallback.
 */
export interface LlmRequest<T> {
  purpose: LlmPurpose;
  /** Bumped whenever the prompt or schema changes meaning; part of the cache key. */
  promptVersion: string;
  /** The `json_schema.name` sent to the API (`^[a-zA-Z0-9_-]{1,64}$`). */
  schemaName: string;
  schema: z.ZodType<T>;
  system: string;
  user: string;
}

export type LlmFailureReason =
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "unreachable"
  | "circuit_open"
  | "budget_exhausted"
  /** The server answered, but not with JSON that satisfies the schema (or was cut off). */
  | "malformed"
  | "refused"
  /** The server refused the request itself (4xx): configuration, not luck. */
  | "rejected";

export type LlmAnswer<T> =
  | { kind: "ok"; value: T; cached: boolean }
  | { kind: "failed"; reason: LlmFailureReason; retryable: boolean; detail: string };

export interface Llm {
  readonly model: string;
  /** Rules' notices below this confidence ask the model (LLM_MIN_CONFIDENCE). */
  readonly minConfidence: number;
  readonly metrics: LlmMetrics;
  readonly logger: Logger;
  complete<T>(req: LlmRequest<T>): Promise<LlmAnswer<T>>;
}

export interface LlmDeps {
  metrics: Registry;
  logger: Logger;
  /** The store: cache and budget are then shared by workers and survive restarts. */
  db?: Sql;
  now: () => Date;
  fetch?: typeof fetch;
  /** Jitter for backoff, in [0, 1). */
  random?: () => number;
  /** Retry schedule; the deadline still bounds it. */
  retry?: { maxRetries: number; baseMs: number; maxMs: number };
  breaker?: CircuitBreaker;
}

export const DEFAULT_MODEL = "gpt-4o-mini";
const DEFAULT_RETRY = { maxRetries: 2, baseMs: 250, maxMs: 4_000 };

/** Null when LLM_PROVIDER=none: then nothing in the process can reach a model. */
export function createLlm(config: Config, deps: LlmDeps): Llm | null {
  if (config.LLM_PROVIDER === "none") return null;
  const model = config.LLM_MODEL ?? DEFAULT_MODEL;
  if (!config.LLM_MODEL) deps.logger.warn({ model }, "LLM_MODEL not set; using the default model");
  const client = openAiClient({
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const limits = {
    maxCallsPerHour: config.LLM_MAX_CALLS_PER_HOUR,
    maxTokensPerDay: config.LLM_MAX_TOKENS_PER_DAY,
  };
  return new OpenAiLlm({
    client,
    model,
    minConfidence: config.LLM_MIN_CONFIDENCE,
    timeoutMs: config.LLM_TIMEOUT_SECONDS * 1000,
    prices: {
      input: config.LLM_USD_PER_MILLION_INPUT_TOKENS,
      output: config.LLM_USD_PER_MILLION_OUTPUT_TOKENS,
    },
    metrics: llmMetrics(deps.metrics),
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
    breaker:
      deps.breaker ??
      createCircuitBreaker({
        name: "llm",
        failureThreshold: 5,
        resetAfterMs: 60_000,
        halfOpenMax: 1,
        now: () => deps.now().getTime(),
        onStateChange: (to, from) => deps.logger.warn({ circuit: "llm", from, to }, "LLM circuit changed"),
      }),
  });
}

interface Parts {
  client: OpenAI;
  model: string;
  minConfidence: number;
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

class OpenAiLlm implements Llm {
  readonly model: string;
  readonly minConfidence: number;
  readonly metrics: LlmMetrics;
  readonly logger: Logger;

  constructor(private readonly p: Parts) {
    this.model = p.model;
    this.minConfidence = p.minConfidence;
    this.metrics = p.metrics;
    this.logger = p.logger;
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
      const r = await attemptChat(this.p.client, chat, deadline, endAt - performance.now());
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

type Failed = Extract<LlmAnswer<never>, { kind: "failed" }>;
type Completed<T> =
  | { kind: "ok"; value: T; raw: unknown; usage: { prompt: number; completion: number } }
  | Failed;

function timedOut(ms: number): Failed {
  return { kind: "failed", reason: "timeout", retryable: true, detail: `no answer within ${ms} ms` };
}

function parseAnswer<T>(r: Extract<AttemptResult, { kind: "answer" }>, schema: z.ZodType<T>): Completed<T> {
  if (r.refusal)
    return { kind: "failed", reason: "refused", retryable: false, detail: r.refusal.slice(0, 200) };
  if (r.finishReason === "length")
    return {
      kind: "failed",
      reason: "malformed",
      retryable: false,
      detail: "answer cut off (finish_reason length)",
    };
  if (r.content === null || r.content.trim() === "")
    return { kind: "failed", reason: "malformed", retryable: false, detail: "empty answer" };
  let json: unknown;
  try {
    json = JSON.parse(r.content);
  } catch {
    return { kind: "failed", reason: "malformed", retryable: false, detail: "answer is not JSON" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    return {
      kind: "failed",
      reason: "malformed",
      retryable: false,
      detail: `answer fails the schema: ${issues}`,
    };
  }
  return { kind: "ok", value: parsed.data, raw: json, usage: r.usage };
}
