import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openPglite } from "../../src/store/pglite.driver.ts";
import { createTestDatabase } from "../support/stores.ts";
import {
  EVIDENCE_SQL,
  type Evidence,
  expectedEvidence,
  type Proc,
  pgQuery,
  postAlerts,
  spawnEolgate,
  waitUntil,
} from "./processes.support.ts";

/**
 * Done-when of issue 3, against real processes: 1,000 alerts each reach `completed` exactly once,
 * with a worker killed (-9) in the middle of the load and restarted; in distributed mode two
 * workers share one Redis and never hold one notice at the same time.
 */
const N = 1000;
const procs: Proc[] = [];
afterAll(async () => {
  for (const p of procs.splice(0)) await p.kill9();
});

async function progress(url: string): Promise<{ accepted: number; completed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const completed = /^eolgate_notices_total\{outcome="completed"\} (\d+)/m.exec(text);
  const accepted = /^eolgate_ingest_requests_total\{[^}]*result="accepted"[^}]*\} (\d+)/m.exec(text);
  return { accepted: Number(accepted?.[1] ?? 0), completed: Number(completed?.[1] ?? 0) };
}

describe("embedded mode (one process, PGlite)", () => {
  it(`${N} alerts complete exactly once across a kill -9 mid-load`, { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "eolgate-embedded-"));
    try {
      const env = { DATA_DIR: dir, WORKER_CONCURRENCY: "2" };
      // Notices arrive while no worker runs (role api), so a backlog is waiting when one starts.
      const api = await spawnEolgate(["serve", "--role", "api"], env);
      procs.push(api);
      const { ids } = await postAlerts(api.url ?? "", 0, N);
      expect(new Set(ids).size).toBe(N);
      expect(await api.stop()).toBe(0);
      const first = await spawnEolgate(["serve"], env);
      procs.push(first);
      // Look often and kill at the first sign of progress.
      for (const until = Date.now() + 60_000; Date.now() < until; ) {
        const p = await progress(first.url ?? "").catch(() => ({ completed: 0 }));
        if (p.completed > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await first.kill9();

      const second = await spawnEolgate(["serve"], env);
      procs.push(second);
      // A provider retrying gets the first trace ids back, marked duplicate.
      const retried = await postAlerts(second.url ?? "", 0, 50);
      expect(ids).toEqual(expect.arrayContaining(retried.ids));
      await waitUntil(
        "queue drained",
        async () => {
          const text = await (await fetch(`${second.url}/metrics`)).text();
          return /^eolgate_queue_depth\{lane="main"\} 0$/m.test(text);
        },
        180_000,
      );
      expect(await second.stop()).toBe(0);

      const db = await openPglite(join(dir, "pglite"));
      try {
        const [ev] = (await db.query<Evidence>(EVIDENCE_SQL, [ids])).rows;
        expect(ev).toMatchObject(expectedEvidence(N));
        // The kill interrupted at least one claim, which the restarted process took over.
        expect(ev?.lost_runs).toBeGreaterThanOrEqual(1);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const redisBase = inject("redisUrl");
const skip = !inject("postgresUrl")
  ? `no test PostgreSQL: ${inject("postgresSkipReason")}`
  : !redisBase
    ? `no test Redis: ${inject("redisSkipReason")}`
    : null;

describe.skipIf(skip !== null)(
  `distributed mode (api + 2 workers, PostgreSQL + Redis)${skip ? ` skipped: ${skip}` : ""}`,
  () => {
    it(`${N} alerts complete exactly once; a worker killed -9 mid-load; no notice held by two workers at once`, {
      timeout: 240_000,
    }, async () => {
      const databaseUrl = await createTestDatabase();
      const env = { DATABASE_URL: databaseUrl, REDIS_URL: `${redisBase}/3`, WORKER_CONCURRENCY: "4" };
      const api = await spawnEolgate(["serve", "--role", "api"], env);
      procs.push(api);
      const w1 = await spawnEolgate(["worker"], env);
      const w2 = await spawnEolgate(["worker"], env);
      procs.push(w1, w2);
      const { ids } = await postAlerts(api.url ?? "", 0, N);
      expect(new Set(ids).size).toBe(N);
      const completed = async () =>
        Number(
          (
            await pgQuery<{ n: number }>(
              databaseUrl,
              "select count(*)::int as n from inbox where status = 'completed'",
            )
          )[0]?.n,
        );
      await waitUntil("some notices completed", async () => (await completed()) >= 100);
      await w1.kill9();
      const w1again = await spawnEolgate(["worker"], env);
      procs.push(w1again);
      await waitUntil("all completed", async () => (await completed()) === N, 180_000);

      const [ev] = await pgQuery<Evidence & { [k: string]: number }>(databaseUrl, EVIDENCE_SQL, [ids]);
      expect(ev).toMatchObject(expectedEvidence(N));
      expect(ev?.workers).toBeGreaterThanOrEqual(2);
      // The killed worker held notices mid-run; others took them over after the lease.
      expect(ev?.lost_runs).toBeGreaterThanOrEqual(1);
      // Worker processes export their own phase metrics.
      const workerMetrics = await (await fetch(`${w2.url}/metrics`)).text();
      expect(workerMetrics).toMatch(/^eolgate_phase_seconds_count\{phase="notify"\} [1-9]/m);
      expect(workerMetrics).toMatch(/^eolgate_phase_total\{phase="extract",outcome="ok"\} [1-9]/m);
      for (const p of [api, w2, w1again]) expect(await p.stop()).toBe(0);
    });
  },
);
