import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake OpenAI-compatible server on loopback: `POST /v1/chat/completions` with a `response_format`
 * of type `json_schema`, checked the way the real API checks it (400 with OpenAI's error body for a
 * bad request, 401 for a wrong key, the strict-mode schema rules). Each request takes the next
 * scripted reply; with none left it answers 500, so a test that makes an unplanned call fails loudly.
 */
export type FakeReply =
  /** A normal completion whose message content is `JSON.stringify(content)` (or computed from the request). */
  | {
      kind: "json";
      content: unknown | ((req: ChatBody) => unknown);
      usage?: { prompt: number; completion: number };
    }
  /** A completion whose content is this text verbatim (malformed JSON, prose…). */
  | { kind: "raw"; content: string; finishReason?: "stop" | "length" }
  | { kind: "refusal"; refusal: string }
  /** Holds the response back; the client is expected to give up first. */
  | { kind: "slow"; delayMs: number; reply: FakeReply }
  | { kind: "rate_limit"; retryAfterSeconds: number | null }
  | { kind: "server_error"; status?: 500 | 502 | 503 };

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format: { type: "json_schema"; json_schema: { name: string; strict?: boolean; schema: unknown } };
  [key: string]: unknown;
}

export interface RecordedRequest {
  headers: IncomingMessage["headers"];
  body: unknown;
  /** The status the fake answered (or would have, when the client hung up first). */
  status: number;
}

export interface OpenAiFake {
  /** e.g. `http://127.0.0.1:PORT/v1`, what LLM_BASE_URL would be. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests received so far (valid or not). */
  count(): number;
  script(...replies: FakeReply[]): void;
  /** Replies scripted but not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  404: "invalid_request_error",
  429: "requests",
  500: "server_error",
  502: "server_error",
  503: "server_error",
};

export async function startOpenAiFake(opts: { apiKey?: string } = {}): Promise<OpenAiFake> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // recorded as text; answered with 400 below
      }
      const rec: RecordedRequest = { headers: req.headers, body, status: 0 };
      requests.push(rec);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        rec.status = status;
        if (res.destroyed) return;
        res.writeHead(status, {
          "content-type": "application/json",
          "x-request-id": `req_${++seq}`,
          ...headers,
        });
        res.end(JSON.stringify(payload));
      };
      const problem = checkRequest(req, body, opts.apiKey);
      if (problem) return send(problem.status, errorBody(problem.status, problem.message, problem.code));
      const reply = queue.shift() ?? { kind: "server_error" as const };
      respond(reply, body as ChatBody, send, res, timers);
    });
  });
  // Idle keep-alive sockets stay open for the whole test: a server closing one just as the client
  // reuses it would make an unplanned retry (the client handles it, but counts would be off by one).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    count: () => requests.length,
    script: (...replies) => queue.push(...replies),
    pending: () => queue.length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;
type Rendered = { status: number; payload: unknown; headers?: Record<string, string> };

function respond(
  reply: FakeReply,
  body: ChatBody,
  send: Send,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  if (reply.kind !== "slow") {
    const r = render(reply, body);
    send(r.status, r.payload, r.headers);
    return;
  }
  const t = setTimeout(() => {
    timers.delete(t);
    respond(reply.reply, body, send, res, timers);
  }, reply.delayMs);
  timers.add(t);
  res.on("close", () => {
    clearTimeout(t);
    timers.delete(t);
  });
}

function render(reply: Exclude<FakeReply, { kind: "slow" }>, body: ChatBody): Rendered {
  switch (reply.kind) {
    case "json": {
      const content = typeof reply.content === "function" ? reply.content(body) : reply.content;
      return {
        status: 200,
        payload: completion(body.model, JSON.stringify(content), null, "stop", reply.usage),
      };
    }
    case "raw":
      return {
        status: 200,
        payload: completion(body.model, reply.content, null, reply.finishReason ?? "stop"),
      };
    case "refusal":
      return { status: 200, payload: completion(body.model, null, reply.refusal, "stop") };
    case "rate_limit": {
      const headers: Record<string, string> = {
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-remaining-requests": "0",
      };
      if (reply.retryAfterSeconds !== null) {
        headers["retry-after"] = String(reply.retryAfterSeconds);
        headers["x-ratelimit-reset-requests"] = `${reply.retryAfterSeconds}s`;
      }
      const message = `Rate limit reached for ${body.model} on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again later.`;
      return { status: 429, payload: errorBody(429, message, "rate_limit_exceeded"), headers };
    }
    case "server_error": {
      const status = reply.status ?? 500;
      const message = "The server had an error while processing your request. Sorry about that!";
      return { status, payload: errorBody(status, message, null) };
    }
  }
}

function completion(
  model: string,
  content: string | null,
  refusal: string | null,
  finishReason: string,
  usage = { prompt: 120, completion: 40 },
) {
  return {
    id: `chatcmpl-fake${Math.random().toString(36).slice(2, 10)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal, annotations: [] },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
    },
    system_fingerprint: "fp_fake",
  };
}

function errorBody(status: number, message: string, code: string | null, param: string | null = null) {
  return { error: { message, type: ERROR_TYPES[status] ?? "invalid_request_error", param, code } };
}

type Problem = { status: number; message: string; code: string | null };

/** The checks the real endpoint makes that a client of ours could get wrong. */
function checkRequest(req: IncomingMessage, body: unknown, apiKey: string | undefined): Problem | null {
  if (req.method !== "POST" || req.url !== "/v1/chat/completions")
    return { status: 404, message: `Invalid URL (${req.method} ${req.url})`, code: null };
  if (apiKey !== undefined && req.headers.authorization !== `Bearer ${apiKey}`)
    return { status: 401, message: "Incorrect API key provided.", code: "invalid_api_key" };
  if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
    return { status: 400, message: "Invalid Content-Type header, expected application/json.", code: null };
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { status: 400, message: "We could not parse the JSON body of your request.", code: null };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || b.model === "")
    return { status: 400, message: "you must provide a model parameter", code: null };
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    return { status: 400, message: "[] is too short - 'messages'", code: null };
  for (const [i, m] of b.messages.entries()) {
    const msg = m as Record<string, unknown>;
    if (!["system", "developer", "user", "assistant"].includes(String(msg?.role)))
      return { status: 400, message: `Invalid value for 'messages[${i}].role'.`, code: "invalid_value" };
    if (typeof msg.content !== "string")
      return { status: 400, message: `Invalid type for 'messages[${i}].content'.`, code: "invalid_type" };
  }
  const rf = b.response_format as Record<string, unknown> | undefined;
  if (rf?.type !== "json_schema")
    return { status: 400, message: "this fake only serves response_format json_schema", code: null };
  const js = rf.json_schema as Record<string, unknown> | undefined;
  if (!js || typeof js.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(js.name))
    return { status: 400, message: "Invalid 'response_format.json_schema.name'.", code: "invalid_value" };
  if (js.strict !== true) return { status: 400, message: "this fake expects strict: true", code: null };
  const schemaProblem = strictSchemaProblem(js.schema, "");
  if (schemaProblem)
    return {
      status: 400,
      message: `Invalid schema for response_format '${js.name}': ${schemaProblem}`,
      code: "invalid_json_schema",
    };
  return null;
}

/** Strict mode: the root is an object; every object lists all its properties as required and allows no others. */
function strictSchemaProblem(schema: unknown, ctx: string): string | null {
  if (typeof schema !== "object" || schema === null) return `In context=(${ctx}), schema must be an object.`;
  const s = schema as Record<string, unknown>;
  if (ctx === "" && s.type !== "object") return "schema must be a JSON Schema of 'type: \"object\"'.";
  if (s.type === "object" || s.properties) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    if (s.additionalProperties !== false)
      return `In context=(${ctx}), 'additionalProperties' is required to be supplied and to be false.`;
    const required = Array.isArray(s.required) ? (s.required as unknown[]) : [];
    const missing = Object.keys(props).filter((k) => !required.includes(k));
    if (missing.length > 0)
      return `In context=(${ctx}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [k, v] of Object.entries(props)) {
      const p = strictSchemaProblem(v, `${ctx}${ctx ? ", " : ""}'properties', '${k}'`);
      if (p) return p;
    }
  }
  if (s.items) return strictSchemaProblem(s.items, `${ctx}, 'items'`);
  if (Array.isArray(s.anyOf))
    for (const [i, v] of s.anyOf.entries()) {
      const p = strictSchemaProblem(v, `${ctx}, 'anyOf', '${i}'`);
      if (p) return p;
    }
  return null;
}

/** The environment that points eolgate's LLM settings at this fake (merge into a config's env). */
export function fakeLlmEnv(fake: OpenAiFake, over: Record<string, string> = {}): Record<string, string> {
  return {
    LLM_PROVIDER: "openai",
    LLM_BASE_URL: fake.baseUrl,
    LLM_API_KEY: "sk-test-fake-key",
    LLM_MODEL: "gpt-fake-1",
    LLM_TIMEOUT_SECONDS: "1",
    ...over,
  };
}
