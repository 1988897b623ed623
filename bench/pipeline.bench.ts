/**
 * End-to-end pipeline throughput (issue 3): notices per second from ingest to `completed`, and the
 * time from each 202 to its `completed`, p50/p99, in three set-ups:
 *   1. embedded: one `eolgate serve` on PGlite (in-process worker)
 *   2. distributed, 1 worker process: `serve --role api` + `worker`, PostgreSQL + Redis
 *   3. distributed, 2 worker processes
 * Each run posts BENCH_PIPELINE_NOTICES distinct alerts (64 in flight), waits until all are
 * completed, and reads the completion times from the store (a burst: its latency is mostly queueing
 * behind the backlog); then posts at a paced BENCH_PIPELINE_PACED_RATE per second for 5 s, below
 * saturation, for the latency of the pipeline itself. Writes bench/results/pipeline.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { SqlDriver } from "../src/store/driver.ts";
import { openPglite } from "../src/store/pglite.driver.ts";
import { alertBody } from "../test/pipeline/pipeline.support.ts";
import { type Proc, spawnEolgate } from "../test/pipeline/processes.support.ts";
import { startPostgres, startRedis } from "../test/support/services.ts";

const ROOT = join(import.meta.dirname, "..");
const N = Number(process.env.BENCH_PIPELINE_NOTICES ?? 3000);
const PARALLEL = 64;
/** A rate every set-up sustains, for latency without a backlog. */
const PACED_RATE = Number(process.env.BENCH_PIPELINE_PACED_RATE ?? 50);
const PACED_N = PACED_RATE * 5;

interface Run {
  name: string;
  notices: number;
  notices_per_s: number;
  ingest_per_s: number;
  ack_to_completed_p50_ms: number;
  ack_to_completed_p99_ms: number;
  wall_s: number;
  paced?: ReturnType<typeof pacedLatency>;
}

async function post(
  url: string,
  tag: string,
): Promise<{ acks: Map<string, number>; start: number; end: number }> {
  const acks = new Map<string, number>();
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < N) {
        const i = next++;
        const res = await fetch(`${url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alertBody(i, { idempotency_key: `${tag}-${i}` })),
        });
        const body = (await res.json()) as { trace_id?: string };
        if (res.status !== 202 || !body.trace_id) throw new Error(`ingest ${res.status}`);
        acks.set(body.trace_id, Date.now());
      }
    }),
  );
  return { acks, start, end: Date.now() };
}

/** Posts `n` alerts at `perSecond`, one at a time on schedule: latency below saturation. */
async function postPaced(url: string, tag: string, n: number, perSecond: number) {
  const acks = new Map<string, number>();
  const start = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        const res = await fetch(`${url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alertBody(i, { idempotency_key: `${tag}-paced-${i}` })),
        });
        const body = (await res.json()) as { trace_id?: string };
        if (res.status !== 202 || !body.trace_id) throw new Error(`ingest ${res.status}`);
        acks.set(body.trace_id, Date.now());
      })(),
    );
  }
  await Promise.all(inFlight);
  return { acks, start, end: Date.now() };
}

function pacedLatency(posted: { acks: Map<string, number> }, completedAt: Map<string, number>) {
  const lat = [...posted.acks]
    .map(([id, ack]) => Math.max(0, (completedAt.get(id) ?? Number.NaN) - ack))
    .sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN);
  return {
    rate_per_s: PACED_RATE,
    notices: posted.acks.size,
    ack_to_completed_p50_ms: q(0.5),
    ack_to_completed_p99_ms: q(0.99),
  };
}

async function depthZero(url: string): Promise<void> {
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (/^eolgate_queue_depth\{lane="main"\} 0$/m.test(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function summarise(
  name: string,
  posted: Awaited<ReturnType<typeof post>>,
  completedAt: Map<string, number>,
): Run {
  const lat: number[] = [];
  let last = 0;
  for (const [id, ack] of posted.acks) {
    const done = completedAt.get(id);
    if (done === undefined) throw new Error(`${name}: ${id} not completed`);
    lat.push(Math.max(0, done - ack));
    last = Math.max(last, done);
  }
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN;
  const wall = (last - posted.start) / 1000;
  return {
    name,
    notices: N,
    notices_per_s: Math.round(N / wall),
    ingest_per_s: Math.round(N / ((posted.end - posted.start) / 1000)),
    ack_to_completed_p50_ms: Math.round(q(0.5)),
    ack_to_completed_p99_ms: Math.round(q(0.99)),
    wall_s: Math.round(wall * 10) / 10,
  };
}

const COMPLETED_SQL =
  "select trace_id, extract(epoch from updated_at) * 1000 as at from inbox where status = 'completed'";

async function completedFrom(db: Pick<SqlDriver, "query">): Promise<Map<string, number>> {
  const r = await db.query<{ trace_id: string; at: number }>(COMPLETED_SQL);
  return new Map(r.rows.map((x) => [x.trace_id, Number(x.at)]));
}

async function embedded(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-bench-pipeline-"));
  try {
    const gw = await spawnEolgate(["serve"], { DATA_DIR: dir, LOG_LEVEL: "warn", PIPELINE_POLL_MS: "1000" });
    const posted = await post(gw.url ?? "", "emb");
    await depthZero(gw.url ?? "");
    const paced = await postPaced(gw.url ?? "", "emb", PACED_N, PACED_RATE);
    await depthZero(gw.url ?? "");
    await gw.stop();
    const db = await openPglite(join(dir, "pglite"));
    try {
      const completed = await completedFrom(db);
      return {
        ...summarise("embedded (PGlite, 1 process)", posted, completed),
        paced: pacedLatency(paced, completed),
      };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function distributed(pgUrl: string, redisUrl: string, workers: number, db: number): Promise<Run> {
  const name = `bench_pipeline_${workers}w_${Date.now()}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const env = {
    DATABASE_URL: u.toString(),
    REDIS_URL: `${redisUrl}/${db}`,
    LOG_LEVEL: "warn",
    PIPELINE_POLL_MS: "1000",
    WORKER_LEASE_SECONDS: "30",
    INGEST_RATE_LIMIT_MAX: "0",
  };
  const procs: Proc[] = [];
  try {
    const api = await spawnEolgate(["serve", "--role", "api"], env);
    procs.push(api);
    for (let i = 0; i < workers; i++) procs.push(await spawnEolgate(["worker"], env));
    const posted = await post(api.url ?? "", `d${workers}`);
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const drained = async () => {
      for (;;) {
        const r = await client.query<{ n: number }>(
          "select count(*)::int as n from inbox where status <> 'completed'",
        );
        if (Number(r.rows[0]?.n) === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await drained();
      const paced = await postPaced(api.url ?? "", `d${workers}`, PACED_N, PACED_RATE);
      await drained();
      const completed = await completedFrom({
        query: async <Row>(text: string) => ({ rows: (await client.query(text)).rows as Row[], affected: 0 }),
      });
      const label = `distributed (PostgreSQL + Redis, ${workers} worker process${workers > 1 ? "es" : ""})`;
      return { ...summarise(label, posted, completed), paced: pacedLatency(paced, completed) };
    } finally {
      await client.end();
    }
  } finally {
    for (const p of procs) await p.stop();
  }
}

export async function main(): Promise<void> {
  const runs: Run[] = [];
  runs.push(await embedded());
  const [pgs, redis] = await Promise.all([startPostgres(), startRedis()]);
  const skipped: string[] = [];
  try {
    if (pgs.ok && redis.ok) {
      runs.push(await distributed(pgs.value.url, redis.value.url, 1, 5));
      runs.push(await distributed(pgs.value.url, redis.value.url, 2, 6));
    } else {
      skipped.push(`distributed: ${!pgs.ok ? pgs.reason : ""} ${!redis.ok ? redis.reason : ""}`.trim());
    }
  } finally {
    if (pgs.ok) pgs.stop();
    if (redis.ok) redis.stop();
  }
  const out = {
    benchmark: "pipeline end to end (ingest → extract → assess → persist → notify → completed)",
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    notices_per_run: N,
    in_flight_requests: PARALLEL,
    worker_concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4),
    phases:
      "gateway phases as composed in src/pipeline/pipeline.phases.ts: alert normalisation → cases assessNotices (no BOM loaded: no match, exposure 0) → extracted_notices → notify (no case: no message)",
    runs,
    skipped,
  };
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "pipeline.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `| set-up | notices/s (end to end, burst of ${N}) | ingest/s | burst 202→completed p50 / p99 | at ${PACED_RATE}/s: p50 / p99 |`,
  );
  console.log("|---|---|---|---|---|");
  for (const r of runs)
    console.log(
      `| ${r.name} | ${r.notices_per_s} | ${r.ingest_per_s} | ${r.ack_to_completed_p50_ms} / ${r.ack_to_completed_p99_ms} ms | ${r.paced?.ack_to_completed_p50_ms} / ${r.paced?.ack_to_completed_p99_ms} ms |`,
    );
  for (const s of skipped) console.log(`skipped ${s}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
