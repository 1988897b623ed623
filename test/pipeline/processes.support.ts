import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../support/services.ts";
import { alertBody } from "./pipeline.support.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export interface Proc {
  child: ChildProcess;
  url: string | null;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

/** Spawns `node bin/eolgate.js ARGS` from source; waits for its /healthz (API, or a worker's metrics endpoint). */
export async function spawnEolgate(args: string[], env: Record<string, string>): Promise<Proc> {
  const http = true;
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      EOLGATE_FROM_SOURCE: "1",
      LOG_LEVEL: "warn",
      // An API answers on PORT, a worker-only process on WORKER_PORT: one of them per process.
      PORT: String(port),
      WORKER_PORT: String(port),
      HOST: "127.0.0.1",
      WORKER_LEASE_SECONDS: "3",
      PIPELINE_POLL_MS: "200",
      DRAIN_TIMEOUT_SECONDS: "5",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A test that times out may never reach its cleanup: never leave a gateway behind the run.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  child.once("exit", () => process.off("exit", orphanGuard));
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const url = http ? `http://127.0.0.1:${port}` : null;
  if (url) {
    const until = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`eolgate ${args.join(" ")} exited: ${out.slice(-2000)}`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > until)
        throw new Error(`eolgate ${args.join(" ")} did not come up: ${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      return exited;
    },
    async kill9() {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Posts alerts `from`…`from+n-1` (idempotency key `load-i`, so a repeat is the same notice) with
 * `parallel` requests in flight. Returns the acknowledged trace ids and how many requests got no
 * 202 (e.g. the server was killed under them); with `tolerate` false any such request throws.
 */
export async function postAlerts(
  url: string,
  from: number,
  n: number,
  opts: { parallel?: number; tolerate?: boolean } = {},
): Promise<{ ids: string[]; failed: number }> {
  const ids: string[] = [];
  let failed = 0;
  let next = from;
  const worker = async () => {
    while (next < from + n) {
      const i = next++;
      try {
        const res = await fetch(`${url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alertBody(i, { idempotency_key: `load-${i}` })),
        });
        const body = (await res.json()) as { trace_id?: string };
        if (res.status !== 202 || !body.trace_id)
          throw new Error(`alert ${i}: ${res.status} ${JSON.stringify(body)}`);
        ids.push(body.trace_id);
      } catch (err) {
        if (!opts.tolerate) throw err;
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.parallel ?? 32 }, worker));
  return { ids, failed };
}

export async function pgQuery<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * The exactly-once evidence for a set of acknowledged trace ids, from the store: each completed,
 * completed once (append-only audit), its persist effect applied once, four phase records, and no
 * two claims of one notice overlapping in time.
 */
export const EVIDENCE_SQL = `
  with acked as (select unnest($1::uuid[]) as trace_id)
  select
    (select count(*) from acked a join inbox i using (trace_id) where i.status = 'completed')::int as completed,
    (select count(*) from acked a left join inbox i using (trace_id) where i.trace_id is null)::int as missing,
    (select count(*) from audit_log l join acked a on a.trace_id = l.trace_id where l.action = 'completed')::int as completions,
    (select count(*) from extracted_notices e join acked a using (trace_id))::int as effects,
    (select count(*) from pipeline_phases p join acked a using (trace_id) where p.status = 'ok')::int as phases,
    (select count(*) from pipeline_runs x join pipeline_runs y
        on x.trace_id = y.trace_id and x.id < y.id
       and x.started_at < coalesce(y.finished_at, 'infinity') and y.started_at < coalesce(x.finished_at, 'infinity')
       join acked a on a.trace_id = x.trace_id)::int as overlapping_runs,
    (select count(*) from pipeline_runs x join acked a using (trace_id) where x.outcome = 'lost')::int as lost_runs,
    (select count(distinct worker) from pipeline_runs x join acked a using (trace_id))::int as workers`;

export interface Evidence {
  completed: number;
  missing: number;
  completions: number;
  effects: number;
  phases: number;
  overlapping_runs: number;
  lost_runs: number;
  workers: number;
}

export function expectedEvidence(n: number) {
  return { completed: n, missing: 0, completions: n, effects: n, phases: 4 * n, overlapping_runs: 0 };
}

export async function waitUntil(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A redis-server on a given port (so a test can stop it and bring it back at the same address). */
export function redisAt(port: number): { stop: () => void } {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  return { stop: () => child.kill("SIGKILL") };
}

export function redisUp(port: number): boolean {
  return spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG";
}
