import type { z } from "zod";
import type { LlmPurpose } from "./llm.metrics.ts";
import type { JsonSchema } from "./strict-schema.ts";

/**
 * The language-model port. One `complete` call is one question with a schema-checked answer; it
 * never throws for anything the server or the network does, and never takes longer than
 * LLM_TIMEOUT_SECONDS (retries and Retry-After waits included). Callers turn every failure into
 * their deterministic fallback.
 */
export interface Llm {
  readonly model: string;
  complete<T>(req: LlmRequest<T>): Promise<LlmAnswer<T>>;
}

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

/**
 * The transport port: one HTTP attempt at a chat completion with a strict JSON schema, classified into
 * what the caller must do next. Retries, Retry-After and the overall deadline are the caller's.
 * The adapter is openai.transport.ts, wired in src/main.ts.
 */
export interface ChatTransport {
  attempt(req: ChatRequest, deadline: AbortSignal, remainingMs: number): Promise<AttemptResult>;
}

export interface ChatRequest {
  model: string;
  system: string;
  user: string;
  schemaName: string;
  schema: JsonSchema;
}

export type AttemptResult =
  | {
      kind: "answer";
      content: string | null;
      refusal: string | null;
      finishReason: string | null;
      usage: { prompt: number; completion: number };
    }
  /** Worth trying again (if time allows): 408/409/429/5xx, connection failures, a per-attempt timeout. */
  | {
      kind: "retryable";
      reason: "rate_limited" | "server_error" | "unreachable" | "timeout";
      retryAfterMs: number | null;
      detail: string;
    }
  /** Trying again cannot help: a 4xx other than the above (bad key, bad request, unknown model). */
  | { kind: "permanent"; status: number | null; detail: string }
  /** The caller's deadline fired during the attempt. */
  | { kind: "deadline" };
