import { afterAll, beforeAll, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { inboxCount, SEED_ALERT, startTestApp } from "../support/gateway.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";

type Problem = { error: string; issues?: { path: string; message: string }[] };

/** The bad requests of issue 18, each answered 4xx with a JSON error and nothing stored. */
describeEachStore("bad requests never answer 5xx", (kind) => {
  let db: SqlDriver;
  let gw: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    db = await openTestStore(kind);
    gw = await startTestApp(db, {});
  });
  afterAll(async () => {
    await gw.close();
    await db.close();
  });

  it.each(["/v1/ingest/component-alert", "/v1/ingest/email-forward"])(
    "answers 415 to text/plain on %s",
    async (path) => {
      const r = await gw.post(path, JSON.stringify(SEED_ALERT), { "content-type": "text/plain" });
      expect(r.status).toBe(415);
      expect((r.body as Problem).error).toBe("unsupported_media_type");
    },
  );

  it("answers 422 naming the parameter for a NUL in a path parameter", async () => {
    const r = await gw.get("/v1/parts/%00/where-used");
    expect(r.status).toBe(422);
    expect((r.body as Problem).issues).toEqual([{ path: "params.mpn", message: "contains a NUL character" }]);
  });

  it.each([
    ["a NUL byte", "TPS\u0000331", "contains a NUL character"],
    ["a lone surrogate", "TPS\ud800331", "contains a lone UTF-16 surrogate"],
  ])("refuses a part_number with %s with 422 naming the field, storing nothing", async (_, mpn, message) => {
    const before = await inboxCount(db);
    const r = await gw.post(
      "/v1/ingest/component-alert",
      JSON.stringify({ ...SEED_ALERT, part_number: mpn }),
    );
    expect(r.status).toBe(422);
    expect((r.body as Problem).issues).toEqual([{ path: "part_number", message }]);
    expect(await inboxCount(db)).toBe(before);
  });

  it("refuses NUL in a nested field and in an unknown field's name", async () => {
    const r = await gw.post("/v1/ingest/email-forward", {
      sender_domain: "ti.com",
      subject_line: "PDN",
      body_content: "TPS54331D is discontinued",
      attachment_metadata: [{ filename: "a\u0000.pdf" }],
      "x\u0000y": 1,
    });
    expect(r.status).toBe(422);
    expect((r.body as Problem).issues).toEqual([
      { path: "x\\u0000y", message: "field name contains a NUL character" },
      { path: "attachment_metadata.0.filename", message: "contains a NUL character" },
    ]);
  });

  it("keeps a surrogate pair (an emoji) and accepts it", async () => {
    const r = await gw.post("/v1/ingest/component-alert", { ...SEED_ALERT, raw_context: "EOL \ud83d\udea8" });
    expect(r.status).toBe(202);
  });

  it("reports a NUL byte in a BOM CSV as a row error, not a 500", async () => {
    const fd = new FormData();
    fd.append(
      "assemblies",
      new Blob([
        "assembly_id,name,annual_demand,unit_price,end_of_production\nA1,Na\u0000me,10,5,2030-01-01\n",
      ]),
      "assemblies.csv",
    );
    fd.append(
      "parts",
      new Blob(["manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status\n"]),
      "parts.csv",
    );
    fd.append(
      "bom",
      new Blob(["parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per\n"]),
      "bom.csv",
    );
    const res = await fetch(`${gw.url}/v1/bom/import`, { method: "POST", body: fd });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Problem;
    expect(body.issues?.[0]?.message).toMatch(/name contains a NUL character/);
  });

  it("answers a truncated BOM upload with 422 and stays up (found by the route fuzzer)", async () => {
    const boundary = "----trunc";
    const part = (name: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.csv"\r\nContent-Type: text/csv\r\n\r\nx,y\r\n`;
    // A known file part (spooled), then an unknown one (drained) cut off before its boundary.
    const body = `${part("parts")}${part("x")}`;
    const res = await fetch(`${gw.url}/v1/bom/import`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).error).toBe("validation_failed");
    expect((await gw.get("/healthz")).status).toBe(200);
  });

  it("counts an unknown lifecycle_status as drift of that value, and a known one not", async () => {
    await gw.post("/v1/ingest/component-alert", {
      ...SEED_ALERT,
      part_number: "P-DEAD",
      lifecycle_status: "dead",
    });
    await gw.post("/v1/ingest/component-alert", {
      ...SEED_ALERT,
      part_number: "P-NA",
      lifecycle_status: "N/A",
    });
    const text = await gw.metrics.metrics();
    expect(text).toMatch(
      /eolgate_schema_drift_total\{source="SiliconExpert",field="lifecycle_status=dead"\} 1/,
    );
    expect(text).not.toMatch(/lifecycle_status=n\/a/);
  });
});
