import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPglite } from "../../src/store/pglite.driver.ts";
import { startTestApp } from "../support/gateway.ts";

/**
 * How the API process serves the console (DESIGN §12): its pages at their client routes, its hashed
 * assets cached for a year, everything compressed and under security headers; /v1, /docs, /healthz,
 * /readyz and /metrics are never shadowed, and an unknown path stays a JSON 404.
 */
const TOKEN = "console-routes-admin-token";
const CASE = "3f1c1130-9a7d-4e36-b8f0-c2a1d9e7b3f4";
let db: SqlDriver;
let dir: string;
let app: Awaited<ReturnType<typeof startTestApp>>;
const bundle = `console.log(${JSON.stringify("x".repeat(4000))});`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-console-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, "assets", "index-Ab12Cd34.js"), bundle);
  writeFileSync(join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  db = await openPglite(null);
  await migrate(db);
  app = await startTestApp(db, { API_TOKEN: TOKEN }, { consoleDir: dir });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(app.url + path, { headers, redirect: "manual" });

describe("the console's pages", () => {
  it("answer every client route with index.html, without credentials, revalidated on each load", async () => {
    for (const path of [
      "/",
      "/cases",
      `/cases/${CASE}`,
      "/notices",
      "/review",
      "/dead-letters",
      "/bom",
      "/health",
    ]) {
      const res = await get(path, { accept: "text/html" });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it("carry a CSP without inline script, no framing, nosniff", async () => {
    const res = await get("/cases");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    // Behind TLS (no proxy trusted here, so a forwarded header changes nothing).
    expect(
      (await get("/cases", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security"),
    ).toBeNull();
  });

  it("send a case link followed by an API client to the case's JSON", async () => {
    const res = await get(`/cases/${CASE}`, { accept: "application/json" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/v1/cases/${CASE}`);
    // The JSON route itself still asks who is calling.
    expect((await get(`/v1/cases/${CASE}`, { accept: "application/json" })).status).toBe(401);
    const found = await get(`/v1/cases/${CASE}`, { authorization: `Bearer ${TOKEN}` });
    expect(found.status).toBe(404);
    expect(await found.json()).toMatchObject({ error: "not_found" });
  });
});

describe("the console's files", () => {
  it("serve hashed assets cached for a year, compressed when the client accepts it", async () => {
    const res = await get("/assets/index-Ab12Cd34.js", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const raw = Buffer.from(await res.arrayBuffer());
    // fetch decodes gzip itself; either way the bytes are the bundle.
    const body = raw.toString("utf8").startsWith("console.log") ? raw : gunzipSync(raw);
    expect(body.toString("utf8")).toBe(bundle);
  });

  it("serve other files revalidated, and nothing else from the folder", async () => {
    expect((await get("/favicon.svg")).headers.get("cache-control")).toBe("no-cache");
    const missing = await get("/assets/other.js", { authorization: `Bearer ${TOKEN}` });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
    expect((await get("/assets/../index.html")).status).not.toBe(500);
  });
});

describe("what the console never shadows", () => {
  it("keeps /v1, /docs, /healthz, /readyz and /metrics and unknown paths as they were", async () => {
    expect((await get("/v1/cases")).status).toBe(401);
    expect(await (await get("/healthz")).json()).toEqual({ status: "ok" });
    expect((await get("/readyz")).status).toBe(200);
    expect(await (await get("/metrics")).text()).toContain("# HELP");
    const auth = { authorization: `Bearer ${TOKEN}` };
    const docs = await get("/docs/json", auth);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const unknown = await get("/no/such/page", { accept: "text/html", ...auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "not_found" });
  });

  it("answers an unchanged GET with 304 when the client has its ETag", async () => {
    const first = await get("/v1/cases", { authorization: `Bearer ${TOKEN}` });
    const tag = first.headers.get("etag");
    expect(tag).toBeTruthy();
    const again = await get("/v1/cases", { authorization: `Bearer ${TOKEN}`, "if-none-match": tag! });
    expect(again.status).toBe(304);
  });
});

describe("an installation without the built console", () => {
  it("answers its pages with 503 naming the fix, and the API as usual", async () => {
    const bare = await startTestApp(db, { API_TOKEN: TOKEN });
    try {
      const res = await fetch(`${bare.url}/cases`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: "console_not_built" });
      expect((await fetch(`${bare.url}/healthz`)).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
