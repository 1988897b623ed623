import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fakeLlmEnv, type OpenAiFake, startOpenAiFake } from "../../test/fakes/openai.fake.ts";
import { buildTestLlm } from "../../test/support/llm.ts";
import { loadConfig } from "../config.ts";
import { newRegistry, type Registry } from "../observability/metrics.ts";
import { checkBrief } from "./brief.check.ts";
import { type BriefFacts, templateBrief } from "./brief.facts.ts";
import { writeBrief } from "./brief.writer.ts";

const FACTS: BriefFacts = {
  caseId: "CASE-2026-0042",
  manufacturer: "Texas Instruments",
  mpn: "TPS54331DR",
  status: "ltb",
  asOf: "2026-11-28",
  ltbDate: "2027-03-31",
  lastShipDate: "2027-09-30",
  daysLeft: 123,
  currency: "USD",
  revenueAtRisk: 1_234_567.89,
  demandUnits: 48_210,
  supplyUnits: 12_000,
  shortfallUnits: 36_210,
  recommendation: { kind: "last_time_buy", cost: 12_345.67 },
  options: [
    { kind: "alternate", cost: 45_000 },
    { kind: "broker", cost: 72_420 },
    { kind: "redesign", cost: 2_236_000 },
  ],
  cashOutlay: 36_210,
  counterfeitRisk: true,
  affectedProducts: [
    { id: "A100", name: "Motor controller MC-200", qtyPerUnit: 2 },
    { id: "B200", name: null, qtyPerUnit: 1 },
  ],
  supplyEnds: true,
  severity: "high",
  runOutDate: "2027-02-14",
  coverageMonths: 2.6,
  decisionBy: "2027-03-31",
  bridges: [{ option: "redesign", units: 21_905, source: "last_time_buy" }],
  assumptions: [
    "attrition 3% on demand: common practice, not a published standard",
    "holding cost 20% of stock value per year: common practice, not a published standard",
    "broker price 3x unit cost: common practice, not a published standard",
  ],
};

const GOOD_BRIEF = `TI has put TPS54331DR on last-time buy (case CASE-2026-0042): orders close 2027-03-31, 123 days from now,
last shipment September 30, 2027. About $1.2M of revenue across 2 products (Motor controller MC-200, B200) is at risk:
demand is 48,210 units against 12,000 in stock, a 36,210-unit shortfall. We recommend a last-time buy:
P&L impact $12,346, cash outlay $36,210. Alternatives: drop-in alternate $45k, brokers $72,420 (counterfeit risk),
redesign $2.24M. Assumes 3% attrition and a 20% holding cost.`;

describe("checkBrief", () => {
  it("accepts the template text for any facts (it states only facts)", () => {
    expect(checkBrief(templateBrief(FACTS), FACTS)).toEqual({ kind: "ok" });
    const none: BriefFacts = {
      ...FACTS,
      recommendation: null,
      options: [],
      affectedProducts: [],
      cashOutlay: null,
    };
    expect(checkBrief(templateBrief(none), none)).toEqual({ kind: "ok" });
    expect(templateBrief(FACTS)).toContain(
      "Stock runs out on 2027-02-14 (2.6 months); severity high; decide by 2027-03-31.",
    );
    // A review item (DESIGN §6 step 0): products use it, but it can still be bought as usual.
    const watch: BriefFacts = {
      ...none,
      status: "nrnd",
      supplyEnds: false,
      affectedProducts: FACTS.affectedProducts,
    };
    expect(templateBrief(watch)).toContain("can still be bought as usual: nothing to buy now");
    expect(templateBrief(watch)).toContain("watch it");
    expect(templateBrief(watch)).not.toContain("No product with future demand");
  });

  it("accepts rounded, abbreviated and differently written forms of the facts", () => {
    expect(checkBrief(GOOD_BRIEF, FACTS)).toEqual({ kind: "ok" });
    expect(checkBrief("Exposure: USD 1,234,567.89 (1.23 million); LTB 31 March 2027.", FACTS)).toEqual({
      kind: "ok",
    });
  });

  it.each([
    ["$1.3M at risk", "$1.3M"],
    ["a shortfall of 36,211 units", "36,211"],
    ["LTB cost $12,400", "$12,400"],
    ["orders close 2027-03-30", "2027-03-30"],
    ["orders close March 30, 2027", "March 30, 2027"],
    ["buy by 31/03/2028", "31/03/2028"],
    ["saves 15% versus brokers", "15%"],
    ["a total of $57,345.67 over both options", "$57,345.67"],
    ["5 products are affected", "5"],
    ["€ 2.5 bn", "€ 2.5 bn"],
  ])("rejects %j (states %s)", (text, raw) => {
    const v = checkBrief(text, FACTS);
    expect(v.kind).toBe("rejected");
    expect(v.kind === "rejected" && v.problems.map((p) => p.raw.trim())).toContain(raw);
  });

  it("does not read identifiers or list numbering as numbers", () => {
    expect(checkBrief("1. Case CASE-2026-0042\n2) TPS54331DR in A100 and B200", FACTS)).toEqual({
      kind: "ok",
    });
  });
});

const logger = pino({ level: "silent" });
let fake: OpenAiFake;
beforeAll(async () => {
  fake = await startOpenAiFake();
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.pending(), "every scripted reply was used").toBe(0);
});

async function value(reg: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const got = await reg.getSingleMetric(name)?.get();
  return got?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

function llmWith(metrics: Registry) {
  return buildTestLlm(loadConfig(fakeLlmEnv(fake)), {
    metrics,
    logger,
    now: () => new Date("2026-11-28T09:00:00Z"),
    retry: { maxRetries: 1, baseMs: 10, maxMs: 20 },
  });
}

describe("writeBrief", () => {
  it("without a model: the template, and no request", async () => {
    const before = fake.count();
    const llm = buildTestLlm(loadConfig({ LLM_PROVIDER: "none" }), {
      metrics: newRegistry(),
      logger,
      now: () => new Date(),
    });
    expect(await writeBrief(llm, FACTS)).toEqual({
      text: templateBrief(FACTS),
      source: "template",
      reason: "disabled",
    });
    expect(fake.count()).toBe(before);
  });

  it("uses the model's brief when every number in it is a fact", async () => {
    const metrics = newRegistry();
    fake.script({ kind: "json", content: { text: GOOD_BRIEF } });
    expect(await writeBrief(llmWith(metrics), FACTS)).toEqual({ text: GOOD_BRIEF, source: "llm" });
    const sent = fake.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(JSON.parse(sent.messages[1]!.content)).toEqual(FACTS);
  });

  it("discards a brief with a wrong number for the template, and counts it", async () => {
    const metrics = newRegistry();
    fake.script({ kind: "json", content: { text: GOOD_BRIEF.replace("$12,346", "$21,346") } });
    const brief = await writeBrief(llmWith(metrics), FACTS);
    expect(brief).toEqual({ text: templateBrief(FACTS), source: "template", reason: "unverified_number" });
    expect(
      await value(metrics, "eolgate_llm_fallbacks_total", { purpose: "brief", reason: "unverified_number" }),
    ).toBe(1);
    expect(await value(metrics, "eolgate_llm_hallucinations_total", { field: "brief_number" })).toBe(1);
  });

  it("discards an over-long brief", async () => {
    const metrics = newRegistry();
    fake.script({ kind: "json", content: { text: `${GOOD_BRIEF}\n`.repeat(4) } });
    expect(await writeBrief(llmWith(metrics), FACTS)).toMatchObject({
      source: "template",
      reason: "too_long",
    });
  });

  it.each([
    ["malformed JSON", [{ kind: "raw" as const, content: "Here is your brief: ..." }], "malformed"],
    ["500s", [{ kind: "server_error" as const }, { kind: "server_error" as const }], "server_error"],
    ["429 beyond the timeout", [{ kind: "rate_limit" as const, retryAfterSeconds: 20 }], "rate_limited"],
    [
      "a slow server",
      [
        {
          kind: "slow" as const,
          delayMs: 20_000,
          reply: { kind: "json" as const, content: { text: "late" } },
        },
      ],
      "timeout",
    ],
  ])("falls back to the template on %s, with the metric", { timeout: 5_000 }, async (_n, replies, reason) => {
    const metrics = newRegistry();
    fake.script(...replies);
    expect(await writeBrief(llmWith(metrics), FACTS)).toEqual({
      text: templateBrief(FACTS),
      source: "template",
      reason,
    });
    expect(await value(metrics, "eolgate_llm_fallbacks_total", { purpose: "brief", reason })).toBe(1);
  });
});
