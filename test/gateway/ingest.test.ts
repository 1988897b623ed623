import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { signBody } from "../../src/http/auth.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { inboxCount, SEED_ALERT, startTestApp } from "../support/gateway.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Ack = { ack: boolean; trace_id: string; duplicate: boolean };
type Problem = { error: string; issues?: { path: string; message: string }[]; message?: string };

describeEachStore("JSON ingest", (kind) => {
  let db: SqlDriver;
  let gw: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query("truncate inbox cascade");
    gw = await startTestApp(db, { MAX_JSON_BYTES: "4096" });
  });
  afterEach(() => gw.close());

  it("accepts the seed payload with 202 and a uuid, stored before the answer", async () => {
    const r = await gw.post("/v1/ingest/component-alert", SEED_ALERT);
    expect(r.status).toBe(202);
    const ack = r.body as Ack;
    expect(ack).toMatchObject({ ack: true, duplicate: false });
    expect(ack.trace_id).toMatch(UUID);
    const row = await db.query<{ route: string; source: string; status: string; raw_payload: Uint8Array }>(
      "select route, source, status, raw_payload from inbox where trace_id = $1",
      [ack.trace_id],
    );
    expect(row.rows[0]).toMatchObject({
      route: "component-alert",
      source: "SiliconExpert",
      status: "received",
    });
    expect(JSON.parse(Buffer.from(row.rows[0]!.raw_payload).toString("utf8"))).toEqual(SEED_ALERT);
  });

  it("answers a repeat with the first trace id and duplicate: true, by content hash", async () => {
    const a = (await gw.post("/v1/ingest/component-alert", SEED_ALERT)).body as Ack;
    const b = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT });
    expect(b.status).toBe(202);
    expect(b.body).toEqual({ ack: true, trace_id: a.trace_id, duplicate: true });
    expect(await inboxCount(db)).toBe(1);
  });

  it("takes the Idempotency-Key header first, then the idempotency_key field", async () => {
    const h = await gw.post("/v1/ingest/component-alert", SEED_ALERT, { "idempotency-key": "k-1" });
    const h2 = await gw.post(
      "/v1/ingest/component-alert",
      { ...SEED_ALERT, part_number: "OTHER" },
      {
        "idempotency-key": "k-1",
      },
    );
    expect((h2.body as Ack).trace_id).toBe((h.body as Ack).trace_id);
    const f = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT, idempotency_key: "k-2" });
    const f2 = await gw.post("/v1/ingest/component-alert", {
      ...SEED_ALERT,
      idempotency_key: "k-2",
      part_number: "X",
    });
    expect(f2.body).toEqual({ ack: true, trace_id: (f.body as Ack).trace_id, duplicate: true });
    expect(await inboxCount(db)).toBe(2);
  });

  it("makes one row of 20 concurrent repeats of one idempotency key", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        gw.post("/v1/ingest/component-alert", SEED_ALERT, { "idempotency-key": "burst-1" }),
      ),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    const acks = results.map((r) => r.body as Ack);
    expect(new Set(acks.map((a) => a.trace_id)).size).toBe(1);
    expect(acks.filter((a) => !a.duplicate)).toHaveLength(1);
    expect(await inboxCount(db)).toBe(1);
  });

  it("makes one row of concurrent repeats spread over two app instances (two processes' worth)", async () => {
    const other = await startTestApp(db);
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? gw : other).post("/v1/ingest/component-alert", SEED_ALERT, {
            "idempotency-key": "burst-2",
          }),
        ),
      );
      expect(new Set(results.map((r) => (r.body as Ack).trace_id)).size).toBe(1);
      expect(results.map((r) => r.body as Ack).filter((a) => !a.duplicate)).toHaveLength(1);
      expect(await inboxCount(db)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("accepts an email forward, keyed by message id", async () => {
    const email = {
      sender_domain: "TI.com",
      subject_line: "PDN 20260113002",
      body_content: "TPS54331D will be discontinued.",
      message_id: "<abc@ti.com>",
    };
    const a = await gw.post("/v1/ingest/email-forward", email);
    expect(a.status).toBe(202);
    const b = await gw.post("/v1/ingest/email-forward", { ...email, body_content: "resent" });
    expect(b.body).toEqual({ ack: true, trace_id: (a.body as Ack).trace_id, duplicate: true });
    const row = await db.query<{ source: string }>("select source from inbox");
    expect(row.rows).toEqual([{ source: "ti.com" }]);
  });

  it("rejects malformed JSON with 422 and stores nothing", async () => {
    const r = await gw.post("/v1/ingest/component-alert", '{"source_platform": "x",');
    expect(r.status).toBe(422);
    expect((r.body as Problem).error).toBe("validation_failed");
    expect((r.body as Problem).issues?.[0]?.message).toMatch(/not valid JSON/);
    expect(await inboxCount(db)).toBe(0);
  });

  it("lists every missing, empty or mistyped field in one 422", async () => {
    const r = await gw.post("/v1/ingest/component-alert", {
      source_platform: "  ",
      part_number: 42,
      ltb_date: "next spring",
    });
    expect(r.status).toBe(422);
    const issues = (r.body as Problem).issues ?? [];
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath.source_platform).toMatch(/empty/);
    expect(byPath.manufacturer_code).toBe("is required");
    expect(byPath.lifecycle_status).toBe("is required");
    expect(byPath.part_number).toMatch(/string/);
    expect(byPath.ltb_date).toMatch(/ISO date/);
    expect(await inboxCount(db)).toBe(0);
  });

  it("rejects a day that does not exist and keeps the day of an ISO timestamp", async () => {
    const bad = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT, ltb_date: "2027-02-30" });
    expect(bad.status).toBe(422);
    expect((bad.body as Problem).issues).toEqual([{ path: "ltb_date", message: "not a calendar date" }]);
    const ok = await gw.post("/v1/ingest/component-alert", {
      ...SEED_ALERT,
      ltb_date: "2027-03-31T00:00:00Z",
    });
    expect(ok.status).toBe(202);
  });

  it("rejects a JSON array or scalar body with 422", async () => {
    for (const body of ["[]", "42", "null"]) {
      const r = await gw.post("/v1/ingest/email-forward", body);
      expect(r.status).toBe(422);
    }
    expect(await inboxCount(db)).toBe(0);
  });

  it("answers 413 for a body over MAX_JSON_BYTES", async () => {
    const r = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT, raw_context: "x".repeat(5000) });
    expect(r.status).toBe(413);
    expect((r.body as Problem).error).toBe("payload_too_large");
    expect(await inboxCount(db)).toBe(0);
  });

  it("answers 415 for an unsupported media type", async () => {
    const res = await fetch(`${gw.url}/v1/ingest/component-alert`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<alert/>",
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as Problem).error).toBe("unsupported_media_type");
    expect(await inboxCount(db)).toBe(0);
  });

  it("accepts unknown fields, keeps them in the raw payload and counts them in /metrics", async () => {
    const r = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT, vendor_score: 7, region: "EU" });
    expect(r.status).toBe(202);
    const metrics = await gw.get("/metrics");
    expect(metrics.text).toContain(
      'eolgate_schema_drift_total{source="SiliconExpert",field="vendor_score"} 1',
    );
    expect(metrics.text).toContain('eolgate_schema_drift_total{source="SiliconExpert",field="region"} 1');
    expect(metrics.text).toMatch(
      /eolgate_ingest_requests_total\{route="\/v1\/ingest\/component-alert",result="accepted"\} 1/,
    );
    await gw.drift.flush();
    const drift = await db.query<{ field: string; occurrences: number }>(
      "select field, occurrences from schema_drift order by field",
    );
    expect(drift.rows).toEqual([
      { field: "region", occurrences: 1 },
      { field: "vendor_score", occurrences: 1 },
    ]);
  });

  it("shows an accepted notice as received on GET /v1/notices/{trace_id}", async () => {
    const ack = (await gw.post("/v1/ingest/component-alert", SEED_ALERT)).body as Ack;
    const r = await gw.get(`/v1/notices/${ack.trace_id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      trace_id: ack.trace_id,
      status: "received",
      attempts: 0,
      notices: [],
      cases: [],
    });
    expect((await gw.get("/v1/notices/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await gw.get("/v1/notices/not-a-uuid")).status).toBe(422);
  });

  it("serves health, readiness, metrics and the OpenAPI document", async () => {
    expect((await gw.get("/healthz")).body).toEqual({ status: "ok" });
    expect((await gw.get("/readyz")).status).toBe(200);
    const doc = (await gw.get("/docs/json")).body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/ingest/component-alert",
        "/v1/ingest/email-forward",
        "/v1/notices/{trace_id}",
      ]),
    );
  });
});

describeEachStore("origin proofs", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());
  beforeEach(() => db.query("truncate inbox cascade"));

  it("requires the ingest bearer token when INGEST_TOKEN is set", async () => {
    const gw = await startTestApp(db, { INGEST_TOKEN: "ingest-secret-1" });
    try {
      const none = await gw.post("/v1/ingest/component-alert", SEED_ALERT);
      const wrong = await gw.post("/v1/ingest/component-alert", SEED_ALERT, {
        authorization: "Bearer nope-nope",
      });
      expect(none.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(await inboxCount(db)).toBe(0);
      const ok = await gw.post("/v1/ingest/component-alert", SEED_ALERT, {
        authorization: "Bearer ingest-secret-1",
      });
      expect(ok.status).toBe(202);
      expect(JSON.stringify([none.body, wrong.body])).not.toContain("ingest-secret-1");
    } finally {
      await gw.close();
    }
  });

  it("requires a valid body signature when INGEST_HMAC_SECRET is set", async () => {
    const secret = "hmac-secret-123";
    const gw = await startTestApp(db, { INGEST_HMAC_SECRET: secret });
    try {
      const body = JSON.stringify(SEED_ALERT);
      expect((await gw.post("/v1/ingest/component-alert", body)).status).toBe(401);
      const forged = await gw.post("/v1/ingest/component-alert", body, {
        "x-eolgate-signature": signBody("other-secret", body),
      });
      expect(forged.status).toBe(401);
      const tampered = await gw.post("/v1/ingest/component-alert", body.replace("TPS", "XPS"), {
        "x-eolgate-signature": signBody(secret, body),
      });
      expect(tampered.status).toBe(401);
      const malformed = await gw.post("/v1/ingest/component-alert", body, {
        "x-eolgate-signature": "md5=abc",
      });
      expect(malformed.status).toBe(401);
      expect(await inboxCount(db)).toBe(0);
      const ok = await gw.post("/v1/ingest/component-alert", body, {
        "x-eolgate-signature": signBody(secret, body),
      });
      expect(ok.status).toBe(202);
    } finally {
      await gw.close();
    }
  });

  it("checks the signature before reporting malformed JSON", async () => {
    const gw = await startTestApp(db, { INGEST_HMAC_SECRET: "hmac-secret-123" });
    try {
      expect((await gw.post("/v1/ingest/component-alert", "{oops")).status).toBe(401);
    } finally {
      await gw.close();
    }
  });

  it("guards management endpoints with API_TOKEN but leaves health and metrics open", async () => {
    const gw = await startTestApp(db, { API_TOKEN: "api-token-xyz" });
    try {
      const ack = (await gw.post("/v1/ingest/component-alert", SEED_ALERT)).body as Ack;
      expect((await gw.get(`/v1/notices/${ack.trace_id}`)).status).toBe(401);
      expect(
        (await gw.get(`/v1/notices/${ack.trace_id}`, { authorization: "Bearer wrong-token" })).status,
      ).toBe(401);
      expect(
        (await gw.get(`/v1/notices/${ack.trace_id}`, { authorization: "Bearer api-token-xyz" })).status,
      ).toBe(200);
      expect((await gw.get("/healthz")).status).toBe(200);
      expect((await gw.get("/readyz")).status).toBe(200);
      expect((await gw.get("/metrics")).status).toBe(200);
      expect((await gw.get("/docs/json")).status).toBe(401);
    } finally {
      await gw.close();
    }
  });
});

describeEachStore("store outage", (kind) => {
  it("answers 503 (so the provider retries) and fails /readyz when the store cannot take the notice", async () => {
    const db = await openTestStore(kind);
    const gw = await startTestApp(db);
    try {
      await db.close();
      const r = await gw.post("/v1/ingest/component-alert", SEED_ALERT);
      expect(r.status).toBe(503);
      expect((r.body as Problem).error).toBe("store_unavailable");
      expect((await gw.get("/readyz")).status).toBe(503);
      expect((await gw.get("/healthz")).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
