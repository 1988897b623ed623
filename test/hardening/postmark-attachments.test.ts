import { readFileSync } from "node:fs";
import { request } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";
import { normalizeStoredEmail } from "../../src/email/stored.ts";
import { extractFromEmail } from "../../src/extract/extract.email.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startTestApp } from "../support/gateway.ts";
import { openTestStore } from "../support/stores.ts";

/**
 * Postmark's inbound JSON in its documented shape, the first attachment as `Data` (what its "check"
 * button and some real posts send) and the second damaged: the message must still be taken and read.
 */
const body = readFileSync(new URL("../fixtures/providers/postmark-data-attachments.json", import.meta.url));

let db: SqlDriver;
let gw: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  db = await openTestStore("pglite");
  gw = await startTestApp(db, {});
});
afterAll(async () => {
  await gw.close();
  await db.close();
});

it("accepts Data attachments and records a damaged one as unreadable, reading the rest", async () => {
  const res = await request(`${gw.url}/v1/ingest/email/postmark`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const json = (await res.body.json()) as { trace_id: string };
  expect(res.statusCode, JSON.stringify(json)).toBe(202);
  const row = await db.query<{ raw_payload: Uint8Array; content_type: string }>(
    "select raw_payload, content_type from inbox where trace_id = $1",
    [json.trace_id],
  );
  const email = await normalizeStoredEmail(
    "postmark",
    row.rows[0]!.content_type,
    Buffer.from(row.rows[0]!.raw_payload),
  );
  expect(email.attachments.map((a) => [a.filename, a.unreadable ?? null])).toEqual([
    ["FPCN24681-parts.csv", null],
    ["scan.png", "attachment content is not valid base64"],
  ]);
  expect(Buffer.from(email.attachments[0]!.content).toString()).toMatch(/MC74HC04ADR2G,EOL,2027-06-30/);
  const result = await extractFromEmail(email, { now: new Date("2026-11-05T10:11:12Z") });
  expect(result.notices.map((n) => n.mpn)).toContain("MC74HC04ADR2G");
});

it("still refuses a body that is not Postmark's JSON at all", async () => {
  const res = await request(`${gw.url}/v1/ingest/email/postmark`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ Attachments: "nope" }),
  });
  expect(res.statusCode).toBe(403);
  expect(((await res.body.json()) as { error: string }).error).toBe("validation_failed");
});

it("cleans a NUL and a lone surrogate in an accepted e-mail deterministically, so the pipeline can store it", async () => {
  const json = JSON.parse(body.toString()) as Record<string, unknown>;
  json.MessageID = "nul-and-surrogate";
  json.Subject = "PDN 77\u0000: MC74HC04ADR2G \ud800";
  json.TextBody = "onsemi discontinues MC74HC\u000004ADR2G.\nLast time buy: 2027-06-30.";
  const raw = Buffer.from(JSON.stringify(json));
  const res = await request(`${gw.url}/v1/ingest/email/postmark`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw,
  });
  expect(res.statusCode).toBe(202);
  await res.body.dump();
  const a = await normalizeStoredEmail("postmark", "application/json", raw);
  const b = await normalizeStoredEmail("postmark", "application/json", raw);
  expect(a).toEqual(b);
  expect(a.subject).toBe("PDN 77: MC74HC04ADR2G \ufffd");
  expect(a.text).toMatch(/discontinues MC74HC04ADR2G/);
  // What the pipeline stores from it is plain text now: the store takes it.
  await db.query("select $1::text as s", [a.subject + (a.text ?? "")]);
});
