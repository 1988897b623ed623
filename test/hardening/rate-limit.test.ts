import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { SEED_ALERT, startTestApp } from "../support/gateway.ts";
import { openTestStore } from "../support/stores.ts";

let db: SqlDriver;
const apps: Awaited<ReturnType<typeof startTestApp>>[] = [];
beforeAll(async () => {
  db = await openTestStore("pglite");
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await db.close();
});

async function app(env: Record<string, string>) {
  const a = await startTestApp(db, { INGEST_RATE_LIMIT_MAX: "3", ...env });
  apps.push(a);
  return a;
}

const alert = (i: number) => ({ ...SEED_ALERT, part_number: `RL-${i}-${Math.random()}` });

it("answers 429 with Retry-After past the per-client limit, counts it, and leaves other routes alone", async () => {
  const a = await app({});
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await a.post("/v1/ingest/component-alert", alert(i))).status);
  expect(statuses).toEqual([202, 202, 202, 429]);
  const res = await fetch(`${a.url}/v1/ingest/email-forward`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await res.json()).toMatchObject({ error: "rate_limited" });
  expect((await a.get("/healthz")).status).toBe(200);
  expect(await a.metrics.metrics()).toMatch(
    /eolgate_ingest_rate_limited_total\{route="\/v1\/ingest\/email-forward"\} 1/,
  );
});

it("answers SNS with 503 and Retry-After (a status SNS retries), never a drop", async () => {
  const a = await app({ INGEST_RATE_LIMIT_MAX: "1" });
  await a.post("/v1/ingest/component-alert", alert(0));
  const res = await fetch(`${a.url}/v1/ingest/email/ses`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "{}",
  });
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).not.toBeNull();
});

it("is off with INGEST_RATE_LIMIT_MAX=0", async () => {
  const a = await app({ INGEST_RATE_LIMIT_MAX: "0" });
  for (let i = 0; i < 5; i++) expect((await a.post("/v1/ingest/component-alert", alert(i))).status).toBe(202);
});

describe("behind a proxy (TRUST_PROXY)", () => {
  const from = (client: string) => ({ "x-forwarded-for": client });

  it("gives each forwarded client its own bucket when the proxy is trusted", async () => {
    const a = await app({ INGEST_RATE_LIMIT_MAX: "2", TRUST_PROXY: "127.0.0.1" });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await a.post("/v1/ingest/component-alert", alert(i), from("203.0.113.7"))).status);
    // Another client behind the same proxy is not refused for the first one's requests.
    statuses.push((await a.post("/v1/ingest/component-alert", alert(9), from("198.51.100.4"))).status);
    expect(statuses).toEqual([202, 202, 429, 202]);
  });

  it("ignores forwarded addresses by default, so a client cannot choose a fresh bucket", async () => {
    const a = await app({ INGEST_RATE_LIMIT_MAX: "2" });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await a.post("/v1/ingest/component-alert", alert(i), from(`192.0.2.${i}`))).status);
    expect(statuses).toEqual([202, 202, 429]);
  });
});

const redisUrl = inject("redisUrl");
describe.skipIf(!redisUrl)("shared through Redis", () => {
  it("counts one client's requests across two API processes", async () => {
    const env = { REDIS_URL: redisUrl!, INGEST_RATE_LIMIT_WINDOW_SECONDS: "30", INGEST_RATE_LIMIT_MAX: "4" };
    const a = await app(env);
    const b = await app(env);
    // Another test run may have counted this address already: clear the key first.
    const { Redis } = await import("ioredis");
    const r = new Redis(redisUrl!);
    const keys = await r.keys("eolgate-ingest-rl-*");
    if (keys.length > 0) await r.del(...keys);
    r.disconnect();
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await (i % 2 ? b : a).post("/v1/ingest/component-alert", alert(i))).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
  });
});
