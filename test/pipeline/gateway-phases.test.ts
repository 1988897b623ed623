import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { silent, waitFor } from "./pipeline.support.ts";

/** The gateway's own phases (wired to extraction and cases) on an email forward and an alert. */
let gw: Gateway;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-wired-"));
  gw = await startGateway(
    loadConfig({ DATA_DIR: dir, PORT: "0", LOG_LEVEL: "silent", PIPELINE_POLL_MS: "50" }),
    silent,
  );
});
afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ingest(path: string, body: unknown): Promise<string> {
  const res = await fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return String(((await res.json()) as { trace_id: string }).trace_id);
}

const status = (id: string) =>
  fetch(`${gw.url}/v1/notices/${id}`).then((r) => r.json() as Promise<Record<string, unknown>>);

it("extracts an email forward's notices from its text and completes it", async () => {
  const id = await ingest("/v1/ingest/email-forward", {
    sender_domain: "ti.com",
    subject_line: "Product Discontinuance Notice PDN-2026-118",
    body_content:
      "Texas Instruments announces the discontinuance of the following device.\n\n" +
      "Part Number: TPS62130RGTR\nLast Time Buy Date: 2027-03-31\nLast Ship Date: 2027-09-30\n",
  });
  const done = await waitFor(
    () => status(id),
    (s) => s.status === "completed" || s.status === "dead",
    "done",
  );
  expect(done.status).toBe("completed");
  const notices = done.notices as { mpn: string; ltb_date: string | null }[];
  expect(notices.map((n) => n.mpn)).toContain("TPS62130RGTR");
  expect(notices.find((n) => n.mpn === "TPS62130RGTR")?.ltb_date).toBe("2027-03-31");
});

it("assesses an alert against the stored BOM: no matching part gives no case and exposure 0", async () => {
  const id = await ingest("/v1/ingest/component-alert", {
    source_platform: "siliconexpert",
    manufacturer_code: "ADI",
    part_number: "NOT-IN-ANY-BOM-1",
    lifecycle_status: "Obsolete",
  });
  const done = await waitFor(
    () => status(id),
    (s) => s.status === "completed",
    "completed",
  );
  expect(done.cases).toEqual([
    expect.objectContaining({ notice_index: 0, case_id: null, revenue_at_risk: 0, recommendation: "none" }),
  ]);
  const links = await gw.db.query<{ outcome: string }>(
    "select outcome from case_notices where trace_id = $1",
    [id],
  );
  expect(links.rows).toEqual([{ outcome: "no_match" }]);
});
