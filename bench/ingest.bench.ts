/**
 * Ingest throughput against the seed design (issue "Gateway core"). One run, the same wrk load
 * (POST of the seed's component alert, distinct per request, 64 connections, 1 thread) against:
 *   1. the seed design (FastAPI + uvicorn, 2 workers) — the baseline; not durable
 *   2. a bare node:http server that parses and answers 202 — this runtime's ceiling
 *   3. eolgate embedded (PGlite, one process, durable 202)
 *   4. eolgate on PostgreSQL (durable 202)
 * Writes bench/results/ingest-<timestamp>.json and prints a Markdown table.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { freePort, startPostgres } from "../test/support/services.ts";

const ROOT = join(import.meta.dirname, "..");
const DURATION = process.env.BENCH_DURATION ?? "15s";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

interface Result {
  name: string;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  non_2xx: number;
  errors: string;
  note?: string;
}

function wrk(url: string, duration = DURATION): Omit<Result, "name"> {
  const r = spawnSync(
    "wrk",
    ["-t1", `-c${CONNECTIONS}`, `-d${duration}`, "--latency", "-s", join(ROOT, "bench", "alert.lua"), url],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const pct = (p: string) => toMs(new RegExp(`\\s${p}%\\s+([\\d.]+\\w+)`).exec(out)?.[1] ?? "0ms");
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:.*$/m.exec(out)?.[0] ?? "";
  return { requests_per_s: rps, p50_ms: pct("50"), p99_ms: pct("99"), non_2xx: non2xx, errors };
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

async function waitUntilUp(url: string, child: ChildProcess, what: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      await fetch(url, { method: "GET" });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${what} did not start`);
}

async function measure(
  name: string,
  start: (port: number) => ChildProcess,
  note?: string,
): Promise<Result | null> {
  const port = await freePort();
  const child = start(port);
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/`, child, name);
    wrk(`http://127.0.0.1:${port}`, "3s"); // warm-up: JIT, pools, PGlite caches
    const r = { name, ...wrk(`http://127.0.0.1:${port}`), ...(note ? { note } : {}) };
    console.error(`${name}: ${r.requests_per_s.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
    return r;
  } catch (err) {
    console.error(`${name}: skipped (${(err as Error).message})\n${log.slice(-2000)}`);
    return null;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    child.kill("SIGKILL");
  }
}

function eolgate(env: Record<string, string>) {
  return (port: number) =>
    spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), "serve"], {
      cwd: ROOT,
      // One client at full speed: the per-client ingest limit would be what is measured.
      env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn", INGEST_RATE_LIMIT_MAX: "0", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
}

export async function main(): Promise<void> {
  for (const bin of ["wrk"]) {
    if (spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0) {
      throw new Error(`${bin} is not installed (apt-get install -y wrk)`);
    }
  }
  const results: Result[] = [];
  const haveSeed =
    spawnSync("/usr/bin/python3", ["-c", "import fastapi, uvicorn"], { encoding: "utf8" }).status === 0;
  const haveFastSeed =
    haveSeed &&
    spawnSync("/usr/bin/python3", ["-c", "import uvloop, httptools"], { encoding: "utf8" }).status === 0;
  const seed = (loop: string, http: string) => (port: number) =>
    spawn(
      "/usr/bin/python3",
      ["-m", "uvicorn", "app:app", "--workers", "2", "--port", String(port), "--log-level", "warning"].concat(
        ["--loop", loop, "--http", http],
      ),
      { cwd: join(ROOT, "bench", "seed-reference"), stdio: ["ignore", "ignore", "pipe"] },
    );
  if (haveSeed) {
    // The baseline the issue names: Debian's python3-fastapi and python3-uvicorn (asyncio + h11).
    const plain = await measure("seed design (FastAPI, 2 workers)", seed("asyncio", "h11"));
    if (plain) results.push(plain);
    // A stricter comparison when the optional C event loop and parser are installed.
    if (haveFastSeed) {
      const fast = await measure("seed design, uvloop + httptools", seed("uvloop", "httptools"));
      if (fast) results.push(fast);
    }
  } else {
    console.error("seed design: skipped (apt-get install -y python3-fastapi python3-uvicorn)");
  }
  const bare = await measure("bare node:http (ceiling)", (port) =>
    spawn(process.execPath, [join(ROOT, "bench", "bare-node.mjs"), String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  if (bare) results.push(bare);

  const dataDir = mkdtempSync(join(tmpdir(), "eolgate-bench-"));
  const embedded = await measure("eolgate embedded (PGlite)", eolgate({ DATA_DIR: dataDir }));
  if (embedded) results.push(embedded);
  rmSync(dataDir, { recursive: true, force: true });

  const pg = await startPostgres();
  if (pg.ok) {
    const onPg = await measure(
      "eolgate on PostgreSQL",
      eolgate({ DATABASE_URL: pg.value.url, DATA_DIR: join(tmpdir(), "unused") }),
    );
    if (onPg) results.push(onPg);
    pg.stop();
  } else {
    console.error(`eolgate on PostgreSQL: skipped (${pg.reason})`);
  }

  const seedRps = results.find((r) => r.name === "seed design (FastAPI, 2 workers)")?.requests_per_s;
  const fastSeedRps = results.find((r) => r.name.startsWith("seed design, uvloop"))?.requests_per_s;
  const bareRps = results.find((r) => r.name.startsWith("bare"))?.requests_per_s;
  const rows = results.map((r) => ({
    ...r,
    x_seed: seedRps ? round(r.requests_per_s / seedRps) : null,
    x_fast_seed: fastSeedRps ? round(r.requests_per_s / fastSeedRps) : null,
    x_bare: bareRps ? round(r.requests_per_s / bareRps) : null,
  }));
  const report = {
    bench: "ingest",
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      mem_gib: round(totalmem() / 2 ** 30),
      node: process.version,
    },
    load: {
      tool: "wrk",
      threads: 1,
      connections: CONNECTIONS,
      duration: DURATION,
      script: "bench/alert.lua",
    },
    results: rows,
  };
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  const file = join(ROOT, "bench", "results", `ingest-${report.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `\n| target | req/s | p50 ms | p99 ms | × seed | × seed (uvloop) | × bare node | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|`,
  );
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.requests_per_s.toFixed(0)} | ${r.p50_ms} | ${r.p99_ms} | ${r.x_seed ?? "–"} | ${r.x_fast_seed ?? "–"} | ${r.x_bare ?? "–"} | ${r.non_2xx} |`,
    );
  }
  console.log(`\nwritten to ${file}`);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
