import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fakeLlmEnv, type OpenAiFake, startOpenAiFake } from "../../test/fakes/openai.fake.ts";
import { buildTestLlm } from "../../test/support/llm.ts";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { loadConfig } from "../config.ts";
import { newRegistry, type Registry } from "../observability/metrics.ts";
import { createCircuitBreaker } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { LlmDeps } from "./llm.client.ts";
import type { Llm, LlmRequest } from "./llm.port.ts";

const logger = pino({ level: "silent" });
const NOW = new Date("2026-11-28T10:00:00Z");

const Answer = z.object({
  colour: z.enum(["red", "green"]),
  count: z.number().int(),
  note: z.string().nullable(),
});
const ask = (user = "what colour?"): LlmRequest<z.infer<typeof Answer>> => ({
  purpose: "extraction",
  promptVersion: "t1",
  schemaName: "colour_answer",
  schema: Answer,
  system: "answer in JSON",
  user,
});

async function value(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = reg.getSingleMetric(name);
  if (!metric) return 0;
  const got = await metric.get();
  const hit = got.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return hit?.value ?? 0;
}

let fake: OpenAiFake;
beforeAll(async () => {
  fake = await startOpenAiFake({ apiKey: "sk-test-fake-key" });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.pending(), "every scripted reply was used").toBe(0);
});

function build(
  env: Record<string, string> = {},
  deps: Partial<Pick<LlmDeps, "breaker" | "db" | "retry">> = {},
) {
  const metrics = newRegistry();
  const assist = buildTestLlm(loadConfig(fakeLlmEnv(fake, env)), {
    metrics,
    logger,
    now: () => NOW,
    random: () => 0.5,
    retry: { maxRetries: 2, baseMs: 10, maxMs: 40 },
    ...deps,
  });
  if (!assist) throw new Error("expected an Llm");
  return { llm: assist.llm, metrics };
}

describe("createLlm", () => {
  it("is null with LLM_PROVIDER=none, and nothing is sent", () => {
    const before = fake.count();
    expect(buildTestLlm(loadConfig({}), { metrics: newRegistry(), logger, now: () => NOW })).toBeNull();
    expect(fake.count()).toBe(before);
  });
});

describe("Llm.complete against the fake OpenAI server", () => {
  it("sends a strict json_schema request the API accepts and returns the validated answer", async () => {
    const { llm, metrics } = build({
      LLM_USD_PER_MILLION_INPUT_TOKENS: "2",
      LLM_USD_PER_MILLION_OUTPUT_TOKENS: "8",
    });
    fake.script({
      kind: "json",
      content: { colour: "red", count: 3, note: null },
      usage: { prompt: 1000, completion: 500 },
    });
    const before = fake.count();
    expect(await llm.complete(ask("first"))).toEqual({
      kind: "ok",
      value: { colour: "red", count: 3, note: null },
      cached: false,
    });
    expect(fake.count()).toBe(before + 1);
    const sent = fake.requests.at(-1)!;
    expect(sent.status).toBe(200);
    const body = sent.body as { model: string; response_format: { json_schema: { schema: unknown } } };
    expect(body.model).toBe("gpt-fake-1");
    expect(body.response_format.json_schema.schema).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["colour", "count", "note"],
    });
    expect(await value(metrics, "eolgate_llm_tokens_total", { kind: "prompt" })).toBe(1000);
    expect(await value(metrics, "eolgate_llm_tokens_total", { kind: "completion" })).toBe(500);
    expect(await value(metrics, "eolgate_llm_cost_usd_total", { purpose: "extraction" })).toBeCloseTo(
      0.006,
      9,
    );
    expect(await value(metrics, "eolgate_llm_requests_total", { outcome: "ok" })).toBe(1);
  });

  it("answers a repeated question from the cache without a request", async () => {
    const { llm, metrics } = build();
    fake.script({ kind: "json", content: { colour: "green", count: 1, note: "x" } });
    const before = fake.count();
    await llm.complete(ask("cache me"));
    const again = await llm.complete(ask("cache me"));
    expect(again).toMatchObject({ kind: "ok", cached: true, value: { colour: "green" } });
    expect(fake.count()).toBe(before + 1);
    expect(await value(metrics, "eolgate_llm_requests_total", { outcome: "cached" })).toBe(1);
  });

  it("retries a 429 after its Retry-After and then succeeds", async () => {
    const { llm, metrics } = build({ LLM_TIMEOUT_SECONDS: "5" });
    fake.script(
      { kind: "rate_limit", retryAfterSeconds: 1 },
      { kind: "json", content: { colour: "red", count: 0, note: null } },
    );
    const before = fake.count();
    expect(await llm.complete(ask("rate limited once"))).toMatchObject({ kind: "ok" });
    expect(fake.count()).toBe(before + 2);
    expect(fake.requests.at(-2)!.status).toBe(429);
    expect(await value(metrics, "eolgate_llm_retries_total", { reason: "rate_limited" })).toBe(1);
  });

  it("gives up at once on a 429 whose Retry-After is beyond the timeout", async () => {
    const { llm, metrics } = build();
    fake.script({ kind: "rate_limit", retryAfterSeconds: 30 });
    const before = fake.count();
    const r = await llm.complete(ask("rate limited long"));
    expect(r).toMatchObject({ kind: "failed", reason: "rate_limited", retryable: true });
    expect(r.kind === "failed" && r.detail).toMatch(/30000 ms would pass the 1000 ms timeout/);
    expect(fake.count()).toBe(before + 1);
    expect(await value(metrics, "eolgate_llm_requests_total", { outcome: "rate_limited" })).toBe(1);
  });

  it("retries 5xx with backoff, then reports server_error when retries run out", async () => {
    const { llm } = build();
    fake.script(
      { kind: "server_error" },
      { kind: "server_error", status: 503 },
      { kind: "server_error", status: 502 },
    );
    const before = fake.count();
    expect(await llm.complete(ask("always 5xx"))).toMatchObject({ kind: "failed", reason: "server_error" });
    expect(fake.count()).toBe(before + 3);
  });

  it("recovers from one 500", async () => {
    const { llm } = build();
    fake.script(
      { kind: "server_error" },
      { kind: "json", content: { colour: "green", count: 2, note: null } },
    );
    expect(await llm.complete(ask("one 500"))).toMatchObject({ kind: "ok", value: { count: 2 } });
  });

  // The test's own timeout is the "never blocks longer" check: the fake would hold the reply 30 s.
  it("stops waiting for a slow server at LLM_TIMEOUT_SECONDS", { timeout: 5_000 }, async () => {
    const { llm, metrics } = build();
    fake.script({
      kind: "slow",
      delayMs: 30_000,
      reply: { kind: "json", content: { colour: "red", count: 1, note: null } },
    });
    const before = fake.count();
    expect(await llm.complete(ask("slow"))).toMatchObject({ kind: "failed", reason: "timeout" });
    expect(fake.count()).toBe(before + 1);
    expect(await value(metrics, "eolgate_llm_requests_total", { outcome: "timeout" })).toBe(1);
  });

  it.each([
    ["not JSON", { kind: "raw" as const, content: '{"colour": "red", "count": ' }, /not JSON/],
    [
      "JSON outside the schema",
      { kind: "json" as const, content: { colour: "blue", count: 1, note: null } },
      /colour/,
    ],
    ["cut off", { kind: "raw" as const, content: "{}", finishReason: "length" as const }, /cut off/],
  ])("reports a malformed answer (%s) without retrying or caching it", async (_name, reply, detail) => {
    const { llm } = build();
    fake.script(reply, reply);
    const before = fake.count();
    const r = await llm.complete(ask(`malformed ${_name}`));
    expect(r).toMatchObject({ kind: "failed", reason: "malformed", retryable: false });
    expect(r.kind === "failed" && r.detail).toMatch(detail);
    expect(fake.count()).toBe(before + 1);
    expect(await llm.complete(ask(`malformed ${_name}`))).toMatchObject({
      kind: "failed",
      reason: "malformed",
    });
  });

  it("reports a refusal", async () => {
    const { llm } = build();
    fake.script({ kind: "refusal", refusal: "I can't help with that." });
    expect(await llm.complete(ask("refuse"))).toMatchObject({ kind: "failed", reason: "refused" });
  });

  it("does not retry a request the server rejects (wrong API key → 401)", async () => {
    const { llm } = build({ LLM_API_KEY: "sk-wrong-key-0000" });
    const before = fake.count();
    const r = await llm.complete(ask("bad key"));
    expect(r).toMatchObject({ kind: "failed", reason: "rejected", retryable: false });
    expect(r.kind === "failed" && r.detail).toMatch(/401/);
    expect(r.kind === "failed" && r.detail).not.toMatch(/sk-wrong/);
    expect(fake.count()).toBe(before + 1);
  });

  it("opens the circuit after repeated service failures and then sends nothing", async () => {
    let t = NOW.getTime();
    const breaker = createCircuitBreaker({
      name: "llm",
      failureThreshold: 2,
      resetAfterMs: 60_000,
      halfOpenMax: 1,
      now: () => t,
    });
    const { llm, metrics } = build({}, { breaker, retry: { maxRetries: 0, baseMs: 10, maxMs: 10 } });
    fake.script({ kind: "server_error" }, { kind: "server_error" });
    await llm.complete(ask("cb 1"));
    await llm.complete(ask("cb 2"));
    const before = fake.count();
    expect(await llm.complete(ask("cb 3"))).toMatchObject({ kind: "failed", reason: "circuit_open" });
    expect(fake.count()).toBe(before);
    expect(await value(metrics, "eolgate_llm_requests_total", { outcome: "circuit_open" })).toBe(1);
    t += 60_000;
    fake.script({ kind: "json", content: { colour: "red", count: 5, note: null } });
    expect(await llm.complete(ask("cb 4"))).toMatchObject({ kind: "ok" });
    expect(breaker.state()).toBe("closed");
  });

  it("refuses calls over LLM_MAX_CALLS_PER_HOUR before sending them", async () => {
    const { llm } = build({ LLM_MAX_CALLS_PER_HOUR: "1" });
    fake.script({ kind: "json", content: { colour: "red", count: 1, note: null } });
    const before = fake.count();
    await llm.complete(ask("budget 1"));
    expect(await llm.complete(ask("budget 2"))).toMatchObject({
      kind: "failed",
      reason: "budget_exhausted",
      detail: "calls_per_hour",
    });
    expect(fake.count()).toBe(before + 1);
  });
});

describeEachStore("Llm cache and budget in the store", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());

  it("shares answers and the token budget between instances on one database", async () => {
    const env = { LLM_MAX_TOKENS_PER_DAY: "150" };
    const a: Llm = build(env, { db }).llm;
    fake.script({
      kind: "json",
      content: { colour: "green", count: 9, note: null },
      usage: { prompt: 100, completion: 60 },
    });
    const before = fake.count();
    expect(await a.complete(ask(`stored ${kind}`))).toMatchObject({ kind: "ok", cached: false });

    // A new process on the same database: the answer is cached, and the day's tokens are spent.
    const b: Llm = build(env, { db }).llm;
    expect(await b.complete(ask(`stored ${kind}`))).toEqual({
      kind: "ok",
      value: { colour: "green", count: 9, note: null },
      cached: true,
    });
    expect(await b.complete(ask(`other ${kind}`))).toMatchObject({
      kind: "failed",
      reason: "budget_exhausted",
      detail: "tokens_per_day",
    });
    expect(fake.count()).toBe(before + 1);
    const rows = await db.query<{ calls: number }>("select calls from llm_budget where window_kind = 'hour'");
    expect(rows.rows.map((r) => Number(r.calls))).toEqual([1]);
  });
});
