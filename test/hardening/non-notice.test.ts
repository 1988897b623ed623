import { readFileSync } from "node:fs";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { extractFromEmail } from "../../src/extract/extract.email.ts";
import { assistExtraction } from "../../src/llm/extraction.assist.ts";
import { nonNoticeKind } from "../../src/llm/non-notice.ts";
import { parseMime } from "../../src/mail/mime.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { fakeLlmEnv, type OpenAiFake, startOpenAiFake } from "../fakes/openai.fake.ts";
import { buildTestLlm } from "../support/llm.ts";

const CORPUS = new URL("../../../shared/corpus/emails/", import.meta.url);
const RECEIVED = new Date("2026-07-01T09:00:00Z");

let fake: OpenAiFake;
beforeAll(async () => {
  fake = await startOpenAiFake({ apiKey: "sk-test-fake-key" });
});
afterAll(() => fake.close());

const llm = () =>
  buildTestLlm(loadConfig(fakeLlmEnv(fake, {})), {
    metrics: newRegistry(),
    logger: pino({ level: "silent" }),
    now: () => RECEIVED,
  });

it.each([
  ["023-mouser-newsletter-not-a-notice.eml", "newsletter"],
  ["024-out-of-office-auto-reply.eml", "auto_reply"],
])("never sends %s to the model (%s), though it quotes lifecycle words", async (file, kind) => {
  const email = await parseMime(readFileSync(new URL(file, CORPUS)), "json");
  const rules = await extractFromEmail(email, { now: RECEIVED });
  expect(rules.notices).toEqual([]);
  const before = fake.count();
  const out = await assistExtraction(llm(), {
    text: email.text ?? "",
    subject: email.subject,
    from: email.from,
    rules,
    now: RECEIVED,
  });
  expect(out.usage).toEqual({ used: false, reason: kind });
  expect(fake.count()).toBe(before);
});

it("tells a bounce, and does not take a plain notice for any of them", () => {
  expect(
    nonNoticeKind({ subject: "Undeliverable: PDN 2026-01", from: "postmaster@example.com", text: "" }),
  ).toBe("delivery_report");
  expect(
    nonNoticeKind({
      subject: "A note about our analog widget family",
      from: "notices@widgetworks.example",
      text: "We will stop making ABC123-XY; please register your last orders by June 30th.",
    }),
  ).toBeNull();
});
