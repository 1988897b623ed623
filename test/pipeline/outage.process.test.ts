import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort, startPostgres } from "../support/services.ts";
import { createTestDatabase } from "../support/stores.ts";
import {
  EVIDENCE_SQL,
  type Evidence,
  expectedEvidence,
  type Proc,
  pgQuery,
  postAlerts,
  redisAt,
  redisUp,
  spawnEolgate,
  waitUntil,
} from "./processes.support.ts";

/** Issue 3, done-when: Redis and PostgreSQL outages against real processes. */
const procs: Proc[] = [];
const cleanups: (() => void)[] = [];
afterAll(async () => {
  for (const p of procs.splice(0)) await p.kill9();
  for (const c of cleanups.splice(0)) c();
});

const completedCount = async (url: string, ids: string[]) =>
  Number(
    (
      await pgQuery<{ n: number }>(
        url,
        "select count(*)::int as n from inbox where status = 'completed' and trace_id = any($1::uuid[])",
        [ids],
      )
    )[0]?.n,
  );

const noPg = inject("postgresUrl") ? null : `no test PostgreSQL: ${inject("postgresSkipReason")}`;
const hasRedis = spawnSync("sh", ["-c", "command -v redis-server && command -v redis-cli"]).status === 0;
const redisSkip = noPg ?? (hasRedis ? null : "redis-server / redis-cli not installed");

describe.skipIf(redisSkip !== null)(`Redis outage${redisSkip ? ` skipped: ${redisSkip}` : ""}`, () => {
  it("ingest keeps accepting while Redis is down; nothing is lost; work resumes when it returns", {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    let redis = redisAt(port);
    cleanups.push(() => redis.stop());
    await waitUntil("redis up", async () => redisUp(port), 10_000);
    const databaseUrl = await createTestDatabase();
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${port}` };
    const api = await spawnEolgate(["serve", "--role", "api"], env);
    const worker = await spawnEolgate(["worker"], env);
    procs.push(api, worker);
    const url = api.url ?? "";

    const before = await postAlerts(url, 0, 100);
    await waitUntil(
      "first load completed",
      async () => (await completedCount(databaseUrl, before.ids)) === 100,
    );

    redis.stop();
    await waitUntil("redis down", async () => !redisUp(port), 10_000);
    // The inbox is the record: every alert is still acknowledged.
    const during = await postAlerts(url, 100, 200);
    expect(during.ids).toHaveLength(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain("queue");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // Redis comes back empty (no persistence): the sweeper re-enqueues from the inbox.
    redis = redisAt(port);
    await waitUntil("redis back", async () => redisUp(port), 10_000);
    const ids = [...before.ids, ...during.ids];
    await waitUntil(
      "all completed after Redis returned",
      async () => (await completedCount(databaseUrl, ids)) === 300,
      120_000,
    );
    const [ev] = await pgQuery<Evidence & { [k: string]: number }>(databaseUrl, EVIDENCE_SQL, [ids]);
    expect(ev).toMatchObject(expectedEvidence(300));
    await waitUntil("ready again", async () => (await fetch(`${url}/readyz`)).status === 200, 20_000);
    expect(await api.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  });
});

describe.skipIf(noPg !== null)(`PostgreSQL outage${noPg ? ` skipped: ${noPg}` : ""}`, () => {
  it("answers 503 to ingest, fails /readyz, keeps /healthz, and loses nothing acknowledged", {
    timeout: 180_000,
  }, async () => {
    const pgs = await startPostgres();
    if (!pgs.ok) throw new Error(pgs.reason);
    cleanups.push(pgs.stop);
    const { url: databaseUrl, dir, bin, port } = pgs.value;
    const ctl = (...args: string[]) => {
      const full = [join(bin, "pg_ctl"), "-D", join(dir, "data"), ...args];
      const r =
        process.getuid?.() === 0
          ? spawnSync("runuser", ["-u", "postgres", "--", ...full], { encoding: "utf8" })
          : spawnSync(full[0] ?? "", full.slice(1), { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`pg_ctl ${args.join(" ")}: ${r.stderr}`);
    };
    const gw = await spawnEolgate(["serve"], { DATABASE_URL: databaseUrl });
    procs.push(gw);
    const url = gw.url ?? "";
    const first = await postAlerts(url, 0, 20);
    await waitUntil(
      "first notices completed",
      async () => (await completedCount(databaseUrl, first.ids)) === 20,
    );

    ctl("-m", "fast", "-w", "stop");
    const res = await fetch(`${url}/v1/ingest/component-alert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        source_platform: "x",
        manufacturer_code: "TI",
        part_number: "OUTAGE1",
        lifecycle_status: "EOL",
      }),
    });
    expect(res.status).toBe(503);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain("store");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    ctl(
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-l",
      join(dir, "log"),
      "-w",
      "start",
    );
    await waitUntil("ready again", async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
    const second = await postAlerts(url, 20, 20);
    const ids = [...first.ids, ...second.ids];
    await waitUntil("all completed", async () => (await completedCount(databaseUrl, ids)) === 40, 60_000);
    const [ev] = await pgQuery<Evidence & { [k: string]: number }>(databaseUrl, EVIDENCE_SQL, [ids]);
    expect(ev).toMatchObject(expectedEvidence(40));
    expect(await gw.stop()).toBe(0);
  });
});
