import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import {
  isSameLiveProcess,
  lockStore,
  readOwner,
  StoreInUseError,
  startTicksOf,
} from "../../src/store/store.lock.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const LOCK_MODULE = join(ROOT, "src", "store", "store.lock.ts");
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "eolgate-lock-"));
  dirs.push(d);
  return d;
}

/** A process that takes the lock and prints its pid. `viaShell` parents it to a shell that execs
 *  `sleep`, which never reaps children: once killed, the holder stays a zombie. */
function holder(dir: string, viaShell = false): Promise<{ pid: number; proc: ChildProcess }> {
  const script = `import(${JSON.stringify(LOCK_MODULE)}).then(async (m) => { await m.lockStore(${JSON.stringify(dir)}); console.log(process.pid); setInterval(() => {}, 1000); })`;
  const node = [process.execPath, "--import", "tsx", "-e", script];
  const proc = viaShell
    ? spawn("sh", ["-c", `"$0" "$@" & exec sleep 60`, ...node], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      })
    : spawn(node[0]!, node.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(proc);
  return new Promise((resolve, reject) => {
    proc.stdout!.once("data", (b: Buffer) => resolve({ pid: Number(b.toString().trim()), proc }));
    proc.once("exit", (code) => reject(new Error(`holder exited ${code}`)));
  });
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 800 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
}

it("refuses a second live process and names it", async () => {
  const dir = tempDir();
  const h = await holder(dir);
  await expect(lockStore(dir)).rejects.toThrow(StoreInUseError);
  await expect(lockStore(dir)).rejects.toThrow(new RegExp(`in use by process ${h.pid}`));
}, 30_000);

it("starts over a lock whose owner is a not-yet-reaped zombie", async () => {
  const dir = tempDir();
  const h = await holder(dir, true);
  process.kill(h.pid, "SIGKILL");
  await waitFor(() => startTicksOf(h.pid) === null);
  // The holder is a zombie now: its pid still exists (kill -0 succeeds) but it holds nothing.
  expect(() => process.kill(h.pid, 0)).not.toThrow();
  expect(readFileSync(`/proc/${h.pid}/stat`, "utf8")).toMatch(/\) Z /);
  const unlock = await lockStore(dir);
  expect(readOwner(join(dir, "eolgate.lock"))?.pid).toBe(process.pid);
  unlock();
}, 30_000);

it("starts over a lock file naming a live process that reused the pid", async () => {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  // pid 1 is alive (the container's init), but it did not write this lock: its start time differs.
  const stale = { pid: 1, startTicks: "1" };
  writeFileSync(join(dir, "eolgate.lock"), JSON.stringify(stale));
  expect(isSameLiveProcess(stale)).toBe(startTicksOf(1) === "1");
  const unlock = await lockStore(dir);
  unlock();
  // A lock file from an older version (bare pid) does not stop a start either.
  writeFileSync(join(dir, "eolgate.lock"), "1\n");
  const again = await lockStore(dir);
  again();
});

it("is free again the moment its owner is killed", async () => {
  const dir = tempDir();
  const h = await holder(dir);
  h.proc.kill("SIGKILL");
  await new Promise((r) => h.proc.once("exit", r));
  const unlock = await lockStore(dir);
  unlock();
}, 30_000);
