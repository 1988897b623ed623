import OpenAI from "openai";
import type { AttemptResult, ChatRequest, ChatTransport } from "./llm.port.ts";

/**
 * The chat transport (llm.port.ts) over the official `openai` client: one HTTP attempt at
 * `POST {LLM_BASE_URL}/chat/completions`, classified into what the caller must do next. The SDK's own
 * retries are off: retries, Retry-After and the overall deadline are the caller's, so that one
 * budget bounds the whole call.
 */
export function openAiTransport(opts: {
  baseUrl: string | undefined;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}): ChatTransport {
  const client = openAiClient(opts);
  return { attempt: (req, deadline, remainingMs) => attemptChat(client, req, deadline, remainingMs) };
}

export function openAiClient(opts: {
  baseUrl: string | undefined;
  apiKey: string | undefined;
  fetch?: typeof fetch;
}): OpenAI {
  return new OpenAI({
    // OpenAI-compatible local servers (Ollama, vLLM, llama.cpp) take any key; the SDK insists on one.
    apiKey: opts.apiKey ?? "not-needed",
    baseURL: opts.baseUrl ?? "https://api.openai.com/v1",
    maxRetries: 0,
    logLevel: "off",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

export async function attemptChat(
  client: OpenAI,
  req: ChatRequest,
  deadline: AbortSignal,
  remainingMs: number,
): Promise<AttemptResult> {
  try {
    const res = await client.chat.completions.create(
      {
        model: req.model,
        temperature: 0,
        messages: [
          { role: "system", content: req.system },
          { role: "user", content: req.user },
        ],
        response_format: {
          type: "json_schema",
          json_schema: { name: req.schemaName, strict: true, schema: req.schema },
        },
      },
      { signal: deadline, timeout: Math.max(1, Math.floor(remainingMs)), maxRetries: 0 },
    );
    const choice = res.choices[0];
    return {
      kind: "answer",
      content: choice?.message.content ?? null,
      refusal: choice?.message.refusal ?? null,
      finishReason: choice?.finish_reason ?? null,
      usage: { prompt: res.usage?.prompt_tokens ?? 0, completion: res.usage?.completion_tokens ?? 0 },
    };
  } catch (err) {
    if (deadline.aborted) return { kind: "deadline" };
    return classify(err);
  }
}

function classify(err: unknown): AttemptResult {
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return { kind: "retryable", reason: "timeout", retryAfterMs: null, detail: "request timed out" };
  if (err instanceof OpenAI.APIConnectionError)
    return { kind: "retryable", reason: "unreachable", retryAfterMs: null, detail: err.message };
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? null;
    const detail = `HTTP ${status ?? "?"}: ${err.message}`;
    if (status === 429)
      return { kind: "retryable", reason: "rate_limited", retryAfterMs: retryAfterMs(err.headers), detail };
    if (status !== null && (status >= 500 || status === 408 || status === 409))
      return { kind: "retryable", reason: "server_error", retryAfterMs: retryAfterMs(err.headers), detail };
    return { kind: "permanent", status, detail };
  }
  // Anything else is a bug or an environment fault, not an answer from the server.
  throw err;
}

/** `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. Null when absent or unusable. */
export function retryAfterMs(headers: Headers | undefined, nowMs = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return null;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : null;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
