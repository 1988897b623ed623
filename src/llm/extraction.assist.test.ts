import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeReply,
  fakeLlmEnv,
  type OpenAiFake,
  startOpenAiFake,
} from "../../test/fakes/openai.fake.ts";
import { buildTestLlm } from "../../test/support/llm.ts";
import { loadConfig } from "../config.ts";
import { extractFromEmail } from "../extract/extract.email.ts";
import type { ExtractedNotice, ExtractionResult, ScoredNotice } from "../extract/notice.ts";
import { parseMime } from "../mail/mime.ts";
import { newRegistry, type Registry } from "../observability/metrics.ts";
import { assistExtraction } from "./extraction.assist.ts";

const logger = pino({ level: "silent" });
const RECEIVED = new Date("2026-11-28T09:00:00Z");

/**
 * A notice the rules miss: no table, no "EOL"/"PDN" keyword, no ID, the date in words relative to
 * the day it was sent, and quoted-printable soft breaks through the replacement part number.
 */
const HARD_NOTICE = [
  "From: Widget Works <notices@widgetworks.example>",
  "To: buyer@example.com",
  "Subject: A note about our analog widget family",
  "Date: Sat, 28 Nov 2026 09:00:00 +0000",
  "Message-ID: <hard-1@widgetworks.example>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Dear customer,",
  "",
  "After many good years we have decided to retire our analog widget family. We w=",
  "ill stop making the widget sold as ABC123-XY after June 30th next year, so plea=",
  "se place your final orders before then. Customers who need a successor can mo=",
  "ve to the A=",
  "BC200-XY, which fits the same footprint.",
  "",
  "Kind regards,",
  "Widget Works =E2=80=93 Customer Care",
  "",
].join("\r\n");

const MISSED: ExtractionResult = { is_lifecycle_notice: false, notices: [] };

const modelNotice = (over: Partial<ExtractedNotice> = {}): ExtractedNotice => ({
  manufacturer: "Widget Works",
  mpn: "ABC123-XY",
  lifecycle_status: "ltb",
  notice_type: "discontinuance",
  pcn_id: null,
  ltb_date: "2027-06-30",
  last_ship_date: null,
  replacement_mpn: "ABC200-XY",
  ...over,
});

let fake: OpenAiFake;
beforeAll(async () => {
  fake = await startOpenAiFake({ apiKey: "sk-test-fake-key" });
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.pending(), "every scripted reply was used").toBe(0);
});

async function value(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const got = await reg.getSingleMetric(name)?.get();
  return got?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

function llmWith(metrics: Registry, env: Record<string, string> = {}) {
  return buildTestLlm(loadConfig(fakeLlmEnv(fake, env)), {
    metrics,
    logger,
    now: () => RECEIVED,
    retry: { maxRetries: 1, baseMs: 10, maxMs: 20 },
  });
}

async function hardInput(rules: ExtractionResult = MISSED) {
  const email = await parseMime(HARD_NOTICE, "json");
  return { text: email.text ?? "", subject: email.subject, from: email.from, rules, now: RECEIVED };
}

describe("assistExtraction", () => {
  it("with LLM_PROVIDER=none returns the rules' result and sends nothing", async () => {
    const before = fake.count();
    const llm = buildTestLlm(loadConfig({ LLM_PROVIDER: "none" }), {
      metrics: newRegistry(),
      logger,
      now: () => RECEIVED,
    });
    const out = await assistExtraction(llm, await hardInput());
    expect(out).toEqual({ result: MISSED, usage: { used: false, reason: "disabled" } });
    expect(fake.count()).toBe(before);
  });

  it("completes a notice the rules missed, and rejects the part number the model invented", async () => {
    const metrics = newRegistry();
    fake.script({
      kind: "json",
      content: {
        is_lifecycle_notice: true,
        notices: [
          modelNotice({ pcn_id: "WW-2026-11" }),
          modelNotice({ mpn: "ABC124-XY" }), // not in the message
        ],
      },
    });
    // The premise: the rule extractor reads nothing here (if it learns to, write a harder notice).
    const email = await parseMime(HARD_NOTICE, "json");
    const rules = await extractFromEmail(email, { now: RECEIVED });
    expect(rules).toEqual(MISSED);
    const out = await assistExtraction(llmWith(metrics), await hardInput(rules));
    const expected: ScoredNotice = {
      ...modelNotice(),
      confidence: 0.5,
      reasons: ["found_by_model"],
      needs_review: true,
      matched_by: "llm",
      evidence: null,
      source: { part: "llm", layout: "model", line: null },
    };
    expect(out.result).toEqual({ is_lifecycle_notice: true, notices: [expected] });
    expect(out.usage).toEqual({ used: true, outcome: "merged", hallucinations: 2, cached: false });
    expect(await value(metrics, "eolgate_llm_hallucinations_total", { field: "mpn" })).toBe(1);
    expect(await value(metrics, "eolgate_llm_hallucinations_total", { field: "pcn_id" })).toBe(1);

    // The model was given the decoded text and the day received (to resolve "next year").
    const body = fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(body.messages[1]!.content).toContain("Received: 2026-11-28");
    expect(body.messages[1]!.content).toContain("move to the ABC200-XY, which");
    expect(body.messages[1]!.content).toContain("Widget Works – Customer Care");
  });

  it("answers the same message again from the cache", async () => {
    const metrics = newRegistry();
    const llm = llmWith(metrics);
    fake.script({ kind: "json", content: { is_lifecycle_notice: true, notices: [modelNotice()] } });
    const input = await hardInput();
    input.subject = `${input.subject} (cache test)`;
    const first = await assistExtraction(llm, input);
    const before = fake.count();
    const second = await assistExtraction(llm, input);
    expect(fake.count()).toBe(before);
    expect(second.result).toEqual(first.result);
    expect(second.usage).toEqual({ used: true, outcome: "merged", hallucinations: 0, cached: true });
  });

  it("fills the gaps of an unsure rules' notice, keeping the rules' values", async () => {
    const rulesNotice: ScoredNotice = {
      manufacturer: null,
      mpn: "abc123-xy",
      lifecycle_status: "eol",
      notice_type: "discontinuance",
      pcn_id: null,
      ltb_date: null,
      last_ship_date: null,
      replacement_mpn: null,
      confidence: 0.4,
      reasons: ["layout:prose"],
      needs_review: true,
      matched_by: "rules",
      evidence: null,
      source: { part: "text", layout: "prose", line: 3 },
    };
    const rules: ExtractionResult = { is_lifecycle_notice: true, notices: [rulesNotice] };
    fake.script({ kind: "json", content: { is_lifecycle_notice: true, notices: [modelNotice()] } });
    const out = await assistExtraction(llmWith(newRegistry()), await hardInput(rules));
    expect(out.result.notices).toEqual([
      {
        ...rulesNotice,
        manufacturer: "Widget Works",
        ltb_date: "2027-06-30",
        replacement_mpn: "ABC200-XY",
        reasons: [
          "layout:prose",
          "model_filled_manufacturer",
          "model_filled_ltb_date",
          "model_filled_replacement_mpn",
        ],
      },
    ]);
  });

  it("does not ask when the rules are confident", async () => {
    const before = fake.count();
    const sure: ExtractionResult = {
      is_lifecycle_notice: true,
      notices: [
        {
          ...modelNotice(),
          confidence: 0.95,
          reasons: ["layout:table"],
          needs_review: false,
          matched_by: "rules",
          evidence: null,
          source: { part: "text", layout: "table", line: 4 },
        },
      ],
    };
    const out = await assistExtraction(llmWith(newRegistry()), await hardInput(sure));
    expect(out).toEqual({ result: sure, usage: { used: false, reason: "confident" } });
    expect(fake.count()).toBe(before);
  });

  const failures: [string, FakeReply[], string][] = [
    ["a slow server", [{ kind: "slow", delayMs: 20_000, reply: { kind: "json", content: {} } }], "timeout"],
    ["429 with a long Retry-After", [{ kind: "rate_limit", retryAfterSeconds: 60 }], "rate_limited"],
    ["500 twice", [{ kind: "server_error" }, { kind: "server_error" }], "server_error"],
    ["malformed JSON", [{ kind: "raw", content: '{"is_lifecycle_notice": true, "notices": [' }], "malformed"],
    [
      "an answer outside the schema",
      [
        {
          kind: "json",
          content: { is_lifecycle_notice: true, notices: [{ mpn: "ABC123-XY", ltb_date: "June 30" }] },
        },
      ],
      "malformed",
    ],
  ];
  it.each(failures)(
    "falls back to the rules' result on %s, with the metric",
    { timeout: 5_000 },
    async (_n, replies, reason) => {
      const metrics = newRegistry();
      fake.script(...replies);
      const input = await hardInput();
      input.subject = `${input.subject} (${_n})`;
      const out = await assistExtraction(llmWith(metrics), input);
      expect(out).toEqual({
        result: MISSED,
        usage: { used: true, outcome: "fallback", reason, hallucinations: 0, cached: false },
      });
      expect(await value(metrics, "eolgate_llm_fallbacks_total", { purpose: "extraction", reason })).toBe(1);
    },
  );

  it("keeps the rules' verdict when every part the model names is invented", async () => {
    const metrics = newRegistry();
    fake.script({
      kind: "json",
      content: {
        is_lifecycle_notice: true,
        notices: [modelNotice({ mpn: "XYZ999" }), modelNotice({ mpn: "ABC123" })],
      },
    });
    const input = await hardInput();
    input.subject = `${input.subject} (all invented)`;
    const out = await assistExtraction(llmWith(metrics), input);
    expect(out.result).toEqual(MISSED);
    expect(out.usage).toMatchObject({ outcome: "merged", hallucinations: 2 });
    expect(await value(metrics, "eolgate_llm_hallucinations_total", { field: "mpn" })).toBe(2);
  });
});
