import type { z } from "zod";
import type { AttemptResult, LlmAnswer } from "./llm.port.ts";

/** What one model answer is worth: schema-valid JSON, or the reason it is not. Pure. */

export type Failed = Extract<LlmAnswer<never>, { kind: "failed" }>;
export type Completed<T> =
  | { kind: "ok"; value: T; raw: unknown; usage: { prompt: number; completion: number } }
  | Failed;

export function timedOut(ms: number): Failed {
  return { kind: "failed", reason: "timeout", retryable: true, detail: `no answer within ${ms} ms` };
}

export function parseAnswer<T>(
  r: Extract<AttemptResult, { kind: "answer" }>,
  schema: z.ZodType<T>,
): Completed<T> {
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
