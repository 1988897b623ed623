import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startTestApp } from "../support/gateway.ts";
import { openTestStore } from "../support/stores.ts";

/**
 * One API surface (issue 16): every error body is `{error, message, …}` whoever raised it (a route,
 * Fastify's router, Node's HTTP parser); a wrong method is a 405 naming the allowed ones; an unknown
 * query parameter is a 422; and the OpenAPI document lists every route with its parameters and the
 * statuses it really answers (checked by probing each route).
 */

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: { name: string; in: string }[]; responses: Record<string, unknown>; tags?: string[] }
    >
  >;
};

const UUID = "00000000-0000-4000-8000-000000000000";

describe("the API surface", () => {
  let db: SqlDriver;
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let doc: Doc;
  beforeAll(async () => {
    db = await openTestStore("pglite");
    t = await startTestApp(db);
    doc = (await t.get("/docs/json")).body as Doc;
  });
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  const expectErrorShape = (body: unknown) => {
    expect(body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect((body as { message: string }).message.length).toBeGreaterThan(0);
  };

  it("answers Fastify's own refusals in the one error shape", async () => {
    const badUrl = await t.get("/v1/cases/%");
    expect(badUrl.status).toBe(400);
    expectErrorShape(badUrl.body);
    expect(badUrl.body).toMatchObject({ error: "bad_url" });

    const longParam = await t.get(`/v1/parts/${"A".repeat(300)}/where-used`);
    expect(longParam.status).toBe(414);
    expectErrorShape(longParam.body);

    const badJson = await t.post("/v1/dead-letters/1/replay", "{bad");
    expect(badJson.status).toBe(422);
    expectErrorShape(badJson.body);

    const unknownRoute = await t.get("/v1/nothing-here");
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toEqual({ error: "not_found", message: "no route GET /v1/nothing-here" });
  });

  it("answers a header block over Node's limit in the same shape, on the socket", async () => {
    const { port } = new URL(t.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(port), "127.0.0.1", () => {
        s.write(`GET /v1/cases HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
      });
      let got = "";
      s.on("data", (d) => {
        got += d.toString();
      });
      s.on("close", () => resolve(got));
      s.on("error", reject);
    });
    expect(raw.startsWith("HTTP/1.1 431")).toBe(true);
    expectErrorShape(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)));
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await fetch(`${t.url}/v1/cases`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    const body = await res.json();
    expectErrorShape(body);
    expect(body).toMatchObject({ error: "method_not_allowed", allow: ["GET", "HEAD"] });
    const put = await fetch(`${t.url}/v1/ingest/component-alert`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
  });

  it("refuses unknown query parameters naming those the route takes, and keeps ingest lenient", async () => {
    const r = await t.get("/v1/cases?sort=exposure&product=X&colour=red");
    expect(r.status).toBe(422);
    expectErrorShape(r.body);
    expect((r.body as { issues: { path: string; message: string }[] }).issues).toEqual([
      { path: "query.colour", message: expect.stringContaining("accepted: status, manufacturer, product") },
    ]);
    const none = await t.get(`/v1/notices/${UUID}?verbose=1`);
    expect(none.status).toBe(422);
    expect((none.body as { issues: { message: string }[] }).issues[0]!.message).toContain("takes none");
    // A provider's configured URL may carry its own parameters: the notice is still taken.
    const alert = await t.post("/v1/ingest/component-alert?source=crm", {
      source_platform: "SiliconExpert",
      manufacturer_code: "TI",
      part_number: "TPS54331D",
      lifecycle_status: "LTB",
    });
    expect(alert.status).toBe(202);
  });

  it("takes SendGrid's raw MIME as an uploaded file (curl -F email=@x.eml) as well as a field", async () => {
    const eml = readFileSync(
      join(import.meta.dirname, "..", "..", "examples", "notices", "email-ti-pdn-tps54331d.eml"),
    );
    const asFile = new FormData();
    asFile.append("email", new Blob([eml], { type: "message/rfc822" }), "email-ti-pdn-tps54331d.eml");
    const r1 = await fetch(`${t.url}/v1/ingest/email/sendgrid`, { method: "POST", body: asFile });
    expect(r1.status).toBe(202);
    const first = (await r1.json()) as { trace_id: string; duplicate: boolean };
    expect(first.duplicate).toBe(false);
    const stored = await db.query<{ route: string }>("select route from inbox where trace_id = $1", [
      first.trace_id,
    ]);
    expect(stored.rows[0]?.route).toBe("email/sendgrid");
    // The same message as a field: the same notice (its Message-ID), so a repeat.
    const asField = new FormData();
    asField.append("email", eml.toString("utf8"));
    const r2 = await fetch(`${t.url}/v1/ingest/email/sendgrid`, { method: "POST", body: asField });
    expect(await r2.json()).toMatchObject({ trace_id: first.trace_id, duplicate: true });
  });

  it("names Mailgun's 406 reason and that Mailgun will not retry", async () => {
    const res = await fetch(`${t.url}/v1/ingest/email/mailgun`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "a,b",
    });
    expect(res.status).toBe(406);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ error: "unsupported_media_type", reason: "media_type" });
    expect(body.message).toContain("406 is Mailgun's 'do not retry'");
  });

  it("documents every route, its parameters, and errors whose body has the one shape", () => {
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const r of [
      "POST /v1/ingest/component-alert",
      "POST /v1/ingest/email-forward",
      "POST /v1/ingest/email/sendgrid",
      "POST /v1/ingest/email/mailgun",
      "POST /v1/ingest/email/ses",
      "POST /v1/ingest/email/postmark",
      "GET /v1/notices/{trace_id}",
      "POST /v1/notices/reevaluate",
      "GET /v1/cases",
      "GET /v1/cases/{id}",
      "GET /v1/parts/{mpn}/where-used",
      "GET /v1/parts/{mpn}/assessment",
      "POST /v1/bom/import",
      "GET /v1/dead-letters",
      "POST /v1/dead-letters/{id}/replay",
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
    ])
      expect(routes).toContain(r);
    const params = (path: string, method = "get") =>
      (doc.paths[path]![method]!.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    expect(params("/v1/cases")).toEqual(
      expect.arrayContaining(["query:mpn", "query:q", "query:sort", "query:severity"]),
    );
    expect(params("/v1/parts/{mpn}/assessment")).toEqual([
      "path:mpn",
      "query:as_of",
      "query:ltb_date",
      "query:manufacturer",
      "query:status",
    ]);
    const codes = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses);
    for (const p of ["sendgrid", "mailgun", "ses", "postmark"])
      expect(codes(`/v1/ingest/email/${p}`, "post")).toContain("202");
    expect(codes("/v1/ingest/email/mailgun", "post")).toEqual(expect.arrayContaining(["202", "406", "503"]));
    expect(codes("/v1/ingest/email/mailgun", "post")).not.toContain("422");
  });

  it("answers only statuses its document lists, route by route", async () => {
    // Each route probed with a plausible request, a bad parameter or body, and an unknown query.
    const probes: { method: string; path: string; doc: string; body?: string; type?: string }[] = [
      { method: "GET", path: "/v1/cases", doc: "/v1/cases" },
      { method: "GET", path: "/v1/cases?limit=0", doc: "/v1/cases" },
      { method: "GET", path: `/v1/cases/${UUID}`, doc: "/v1/cases/{id}" },
      { method: "GET", path: "/v1/cases/x", doc: "/v1/cases/{id}" },
      { method: "GET", path: `/v1/notices/${UUID}`, doc: "/v1/notices/{trace_id}" },
      { method: "GET", path: "/v1/notices/x", doc: "/v1/notices/{trace_id}" },
      { method: "POST", path: "/v1/notices/reevaluate", doc: "/v1/notices/reevaluate", body: "{}" },
      {
        method: "POST",
        path: "/v1/notices/reevaluate",
        doc: "/v1/notices/reevaluate",
        body: '{"since":"yesterday"}',
      },
      { method: "GET", path: "/v1/parts/NOPE/where-used", doc: "/v1/parts/{mpn}/where-used" },
      { method: "GET", path: "/v1/parts/NOPE/assessment?as_of=x", doc: "/v1/parts/{mpn}/assessment" },
      { method: "GET", path: "/v1/parts/NOPE/assessment", doc: "/v1/parts/{mpn}/assessment" },
      { method: "POST", path: "/v1/bom/import", doc: "/v1/bom/import", body: "{}" },
      { method: "GET", path: "/v1/dead-letters?limit=x", doc: "/v1/dead-letters" },
      { method: "POST", path: "/v1/dead-letters/7/replay", doc: "/v1/dead-letters/{id}/replay" },
      { method: "POST", path: "/v1/ingest/component-alert", doc: "/v1/ingest/component-alert", body: "{}" },
      {
        method: "POST",
        path: "/v1/ingest/email/mailgun",
        doc: "/v1/ingest/email/mailgun",
        body: "recipient=x",
        type: "application/x-www-form-urlencoded",
      },
      {
        method: "POST",
        path: "/v1/ingest/email/sendgrid",
        doc: "/v1/ingest/email/sendgrid",
        body: "x",
        type: "text/csv",
      },
      { method: "GET", path: "/healthz", doc: "/healthz" },
      { method: "GET", path: "/readyz", doc: "/readyz" },
      { method: "GET", path: "/metrics", doc: "/metrics" },
    ];
    for (const p of probes) {
      const res = await fetch(`${t.url}${p.path}`, {
        method: p.method,
        ...(p.body !== undefined
          ? { body: p.body, headers: { "content-type": p.type ?? "application/json" } }
          : {}),
      });
      const documented = Object.keys(doc.paths[p.doc]![p.method.toLowerCase()]!.responses);
      expect({ probe: `${p.method} ${p.path}`, status: String(res.status) }).toEqual({
        probe: `${p.method} ${p.path}`,
        status: expect.toBeOneOf(documented),
      });
      if (res.status >= 400) expectErrorShape(await res.json());
    }
  });
});
