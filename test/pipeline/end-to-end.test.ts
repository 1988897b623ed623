import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { silent, waitFor } from "./pipeline.support.ts";

/**
 * The whole flow in one embedded gateway: the corpus BOM is loaded, a platform alert and the maker's
 * email about the same part arrive, one case is made, and the product's Slack route gets one message
 * for the case and one update saying what the email changed; repeats add nothing.
 */
const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus");
let gw: Gateway;
let slack: HttpFake;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-e2e-"));
  slack = await startFakeSlack({ ratePerSec: 50 });
  gw = await startGateway(
    loadConfig({
      DATA_DIR: dir,
      PORT: "0",
      LOG_LEVEL: "silent",
      PIPELINE_POLL_MS: "50",
      NOTIFY_ROUTES: JSON.stringify({ instruments: [`slack:${slack.url}`] }),
    }),
    silent,
  );
  const imported = await importBom(gw.db, bomSourcesFromDir(join(CORPUS, "bom")));
  expect(imported.kind).toBe("imported");
});
afterAll(async () => {
  await gw?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: string, contentType: string) {
  const res = await fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { trace_id: string; duplicate: boolean };
}

const completed = (id: string) =>
  waitFor(
    () => fetch(`${gw.url}/v1/notices/${id}`).then((r) => r.json() as Promise<Record<string, unknown>>),
    (s) => s.status === "completed" || s.status === "dead",
    `notice ${id} done`,
  );

it("turns an alert and the maker's email into one case, one message and one update", async () => {
  const alert = JSON.stringify({
    source_platform: "SiliconExpert",
    manufacturer_code: "TI",
    part_number: "TLV70233DBVT",
    lifecycle_status: "LTB",
    ltb_date: "2027-03-31",
  });
  const a = await post("/v1/ingest/component-alert", alert, "application/json");
  const first = await completed(a.trace_id);
  expect(first.status).toBe("completed");
  const cases = first.cases as { case_id: string; revenue_at_risk: number; recommendation: string }[];
  expect(cases).toHaveLength(1);
  expect(cases[0]!.revenue_at_risk).toBeGreaterThan(0);
  const caseId = cases[0]!.case_id;
  await waitFor(
    async () => slack.accepted().length,
    (n) => n >= 1,
    "first Slack message",
  );

  // The maker's own notice (corpus 001) names the same part with the last-ship date: same case,
  // re-assessed, one update. Sent through the Mailgun route as raw MIME.
  const mime = readFileSync(join(CORPUS, "emails", "001-ti-pdn-tps54331-tlv702-ltb.eml"), "utf8");
  const e = await post(
    "/v1/ingest/email/mailgun",
    new URLSearchParams({ recipient: "pcn@example.com", "body-mime": mime }).toString(),
    "application/x-www-form-urlencoded",
  );
  const second = await completed(e.trace_id);
  expect(second.status).toBe("completed");
  const emailCases = second.cases as { case_id: string | null }[];
  expect(emailCases.map((c) => c.case_id)).toContain(caseId);

  const detail = (await (await fetch(`${gw.url}/v1/cases/${caseId}`)).json()) as {
    last_ship_date: string | null;
    reports: { version: number }[];
  };
  expect(detail.last_ship_date).toBe("2027-09-30");
  expect(detail.reports.map((r) => r.version).sort()).toEqual([1, 2]);

  // Repeats of both deliveries are duplicates and make nothing new.
  expect((await post("/v1/ingest/component-alert", alert, "application/json")).duplicate).toBe(true);
  await new Promise((r) => setTimeout(r, 1500));
  const forCase = slack.accepted().filter((m) => m.raw.includes("TLV70233DBVT"));
  expect(forCase).toHaveLength(2);
  // The update says what changed: the last-ship date the email added.
  expect(forCase[1]!.raw).toContain("2027-09-30");
  expect(forCase[0]!.raw).not.toContain("2027-09-30");
  expect(slack.duplicates()).toEqual([]);
  expect(slack.invalid).toEqual([]);
});

it("makes a product change on an active part a review case: a message without buy advice", async () => {
  // Corpus 004: ST adds a wafer fab for STM32F103 parts that stay active (DESIGN §6 step 0).
  const mime = readFileSync(join(CORPUS, "emails", "004-st-pcn-stm32f103-additional-fab.eml"), "utf8");
  const e = await post(
    "/v1/ingest/email/mailgun",
    new URLSearchParams({ recipient: "pcn@example.com", "body-mime": mime }).toString(),
    "application/x-www-form-urlencoded",
  );
  const done = await completed(e.trace_id);
  expect(done.status).toBe("completed");
  const cases = done.cases as { case_id: string | null; revenue_at_risk: number; recommendation: string }[];
  const matched = cases.filter((c) => c.case_id !== null);
  expect(matched.length).toBeGreaterThan(0);
  for (const c of matched) expect(c).toMatchObject({ revenue_at_risk: 0, recommendation: "none" });
  const detail = (await (await fetch(`${gw.url}/v1/cases/${matched[0]!.case_id}`)).json()) as Record<
    string,
    unknown
  >;
  expect(detail).toMatchObject({ event_kind: "product_change", severity: "none", decision_by: null });
  const review = await waitFor(
    async () => slack.accepted().filter((m) => m.raw.includes("STM32F103")),
    (ms) => ms.length >= 1,
    "the review message",
  );
  expect(review[0]!.raw).toContain("Review the change: still orderable, no buy needed");
  expect(review[0]!.raw).not.toContain("Last-time buy");
});
