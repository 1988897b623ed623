import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Throwaway PostgreSQL and Redis servers for the test run, started when their binaries exist.
 * Each start returns either a handle or the reason it could not start, which the suites print
 * when they skip.
 */
export type Started<T> = { ok: true; value: T; stop: () => void } | { ok: false; reason: string };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function which(cmd: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function postgresBinDir(): string | null {
  const pgConfig = which("pg_config");
  if (pgConfig) {
    const dir = execFileSync(pgConfig, ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  const initdb = which("initdb");
  return initdb ? join(initdb, "..") : null;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** initdb into a temp dir and start PostgreSQL on a free loopback port, trust auth. */
export async function startPostgres(): Promise<
  Started<{ url: string; port: number; dir: string; bin: string }>
> {
  if (process.env.EOLGATE_TEST_DATABASE_URL) {
    return {
      ok: true,
      value: { url: process.env.EOLGATE_TEST_DATABASE_URL, port: 0, dir: "", bin: "" },
      stop: () => {},
    };
  }
  const bin = postgresBinDir();
  if (!bin)
    return { ok: false, reason: "PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql" };
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !which("runuser")) return { ok: false, reason: "running as root without runuser" };
  const dir = mkdtempSync(join(tmpdir(), "eolgate-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  const run = (args: string[]) => {
    const cmd = asRoot ? "runuser" : args[0]!;
    const full = asRoot ? ["-u", "postgres", "--", ...args] : args.slice(1);
    return spawnSync(cmd, full, { encoding: "utf8" });
  };
  const init = run([
    join(bin, "initdb"),
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  if (init.status !== 0) return { ok: false, reason: `initdb failed: ${init.stderr.slice(0, 400)}` };
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = run([
    join(bin, "pg_ctl"),
    "-D",
    data,
    "-o",
    opts,
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "30",
    "start",
  ]);
  if (start.status !== 0) return { ok: false, reason: `pg_ctl start failed: ${start.stderr.slice(0, 400)}` };
  return {
    ok: true,
    value: { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, bin },
    stop: () => {
      run([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis with no persistence on a free loopback port. */
export async function startRedis(): Promise<Started<{ url: string; port: number }>> {
  if (process.env.EOLGATE_TEST_REDIS_URL) {
    return { ok: true, value: { url: process.env.EOLGATE_TEST_REDIS_URL, port: 0 }, stop: () => {} };
  }
  const bin = which("redis-server");
  if (!bin) return { ok: false, reason: "redis-server not found; install redis-server" };
  const port = await freePort();
  const child = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const cli = which("redis-cli");
  const up = await waitFor(() => {
    if (!cli) return true;
    return spawnSync(cli, ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG";
  }, 10_000);
  if (!up) {
    child.kill("SIGKILL");
    return { ok: false, reason: "redis-server did not answer PING within 10 s" };
  }
  return { ok: true, value: { url: `redis://127.0.0.1:${port}`, port }, stop: () => child.kill("SIGKILL") };
}
