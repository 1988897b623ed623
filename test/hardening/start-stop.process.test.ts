import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { lockStore } from "../../src/store/store.lock.ts";
import {
  type Proc,
  postAlerts,
  redisAt,
  redisUp,
  spawnEolgate,
  waitUntil,
} from "../pipeline/processes.support.ts";
import { freePort } from "../support/services.ts";
import { createTestDatabase } from "../support/stores.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const dirs: string[] = [];
const procs: Proc[] = [];
const cleanups: (() => void)[] = [];
afterAll(async () => {
  for (const p of procs.splice(0)) await p.kill9();
  for (const c of cleanups.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs `eolgate serve` to its end (it must end by itself) and returns its exit code and output. */
function serveUntilExit(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), "serve"], {
    cwd: ROOT,
    env: { ...process.env, EOLGATE_FROM_SOURCE: "1", LOG_LEVEL: "warn", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    out += d.toString();
  });
  // A bound, not a timing claim: a process that cannot start must not run on.
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(guard);
      resolve({ code, out });
    }),
  );
}

function tempDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "eolgate-start-"));
  dirs.push(d);
  return d;
}

describe("fatal start errors exit at once, naming the cause, releasing the store", () => {
  it("port already taken (EADDRINUSE)", async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(port, "127.0.0.1", r));
    try {
      const dataDir = tempDataDir();
      const r = await serveUntilExit({ PORT: String(port), DATA_DIR: dataDir });
      expect(r.code, r.out).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.out).toMatch(
        new RegExp(`eolgate: cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`),
      );
      // The store is free for the next start (or the CLI).
      const unlock = await lockStore(join(dataDir, "pglite"));
      unlock();
    } finally {
      taken.close();
    }
  }, 90_000);

  it("invalid NOTIFY_ROUTES", async () => {
    const dataDir = tempDataDir();
    const r = await serveUntilExit({
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      NOTIFY_ROUTES: '{"default":["pager:https://example.invalid"]}',
    });
    expect(r.code).toBe(78);
    expect(r.out).toMatch(/eolgate: invalid configuration: NOTIFY_ROUTES: /);
    const unlock = await lockStore(join(dataDir, "pglite"));
    unlock();
  }, 90_000);
});

const noPg = inject("postgresUrl") ? null : `no test PostgreSQL: ${inject("postgresSkipReason")}`;
const hasRedis = spawnSync("sh", ["-c", "command -v redis-server && command -v redis-cli"]).status === 0;
const skip = noPg ?? (hasRedis ? null : "redis-server / redis-cli not installed");

describe.skipIf(skip !== null)(`SIGTERM with Redis unreachable ${skip ? `(skipped: ${skip})` : ""}`, () => {
  it("ends the process within DRAIN_TIMEOUT_SECONDS", async () => {
    const port = await freePort();
    const redis = redisAt(port);
    cleanups.push(redis.stop);
    await waitUntil("redis up", async () => redisUp(port), 10_000);
    const gw = await spawnEolgate(["serve"], {
      DATABASE_URL: await createTestDatabase(),
      REDIS_URL: `redis://127.0.0.1:${port}`,
      DRAIN_TIMEOUT_SECONDS: "3",
    });
    procs.push(gw);
    const { ids } = await postAlerts(gw.url!, 0, 5);
    expect(ids).toHaveLength(5);
    redis.stop();
    await waitUntil("redis down", async () => !redisUp(port), 10_000);
    gw.child.kill("SIGTERM");
    // DRAIN_TIMEOUT_SECONDS is 3; the bound here is generous and only says "it did end".
    const code = await Promise.race([
      new Promise<number | null>((r) => gw.child.once("exit", (c) => r(c))),
      new Promise<"still running">((r) => setTimeout(() => r("still running"), 30_000)),
    ]);
    expect(code, gw.output().slice(-2000)).not.toBe("still running");
  }, 120_000);
});
