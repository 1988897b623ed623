import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { alertBody } from "../pipeline/pipeline.support.ts";
import { waitUntil } from "../pipeline/processes.support.ts";
import { type ServerProcess, spawnEolgate } from "../support/process.ts";
import { freePort } from "../support/services.ts";

/**
 * Issue 18, done-when: start the embedded gateway, ingest, kill -9 it, restart at once — 20 times
 * in a row. Every acknowledged notice is still there and ends completed; a second live process on the
 * same folder is refused every time.
 */
const ROUNDS = 20;
const ROOT = join(import.meta.dirname, "..", "..");
const dataDir = mkdtempSync(join(tmpdir(), "eolgate-crash-loop-"));
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number): Promise<ServerProcess> {
  const p = await spawnEolgate(
    ["serve"],
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WORKER_LEASE_SECONDS: "2",
      PIPELINE_POLL_MS: "200",
      INGEST_RATE_LIMIT_MAX: "0",
    },
    // A bound for a busy machine (PGlite opens and recovers its folder at each start), not a timing claim.
    { port, healthTimeoutMs: 180_000 },
  );
  running.push(p);
  return p;
}

/** Posts alerts in parallel until killed; returns the trace ids that were acknowledged. */
async function ingestUntilKilled(
  url: string,
  round: number,
  kill: () => Promise<unknown>,
): Promise<string[]> {
  const acked: string[] = [];
  let n = 0;
  let stop = false;
  const poster = async () => {
    while (!stop) {
      const i = round * 1000 + n++;
      try {
        const res = await fetch(`${url}/v1/ingest/component-alert`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alertBody(i, { idempotency_key: `crash-${i}` })),
        });
        const body = (await res.json()) as { trace_id?: string };
        if (res.status === 202 && body.trace_id) acked.push(body.trace_id);
      } catch {
        // the process was killed under this request: not acknowledged, so not owed
      }
    }
  };
  const posters = Array.from({ length: 8 }, poster);
  // Kill once a few notices are acknowledged, while requests are still in flight.
  await waitUntil("some acknowledgements", async () => acked.length >= 5, 60_000);
  await kill();
  stop = true;
  await Promise.all(posters);
  return acked;
}

/**
 * A second gateway on the same folder is refused at once (exit 75, naming the holder). A command
 * such as `dead-letters` would not be: it goes through the running gateway's API instead.
 */
async function secondProcessRefused(): Promise<{ status: number | null; stderr: string }> {
  const port = await freePort();
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "eolgate.js"), "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      EOLGATE_FROM_SOURCE: "1",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

it(`survives ${ROUNDS} kill -9 / restart rounds with every acknowledged notice completed`, async () => {
  const port = await freePort();
  const acked: string[] = [];
  let gw = await start(port);
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 5 === 0) {
      const refused = await secondProcessRefused();
      expect(refused.status, refused.stderr).toBe(75);
      expect(refused.stderr).toMatch(/in use by process \d+/);
    }
    const current = gw;
    acked.push(...(await ingestUntilKilled(current.url, round, () => current.kill("SIGKILL"))));
    // Restart at once, on the same folder and port.
    gw = await start(port);
  }
  expect(acked.length).toBeGreaterThanOrEqual(ROUNDS * 5);
  const status = async (id: string) => {
    const r = await fetch(`${gw.url}/v1/notices/${id}`);
    return r.status === 200 ? ((await r.json()) as { status: string }).status : `http ${r.status}`;
  };
  await waitUntil(
    "every acknowledged notice completed",
    async () => {
      for (const id of acked) if ((await status(id)) !== "completed") return false;
      return true;
    },
    300_000,
  );
  const statuses = await Promise.all(acked.map(status));
  expect(new Set(statuses)).toEqual(new Set(["completed"]));
  await gw.kill("SIGTERM");
}, 1_800_000);
