import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";

/** Another live process holds the embedded store; PGlite must never be opened twice. */
export class StoreInUseError extends Error {
  override readonly name = "StoreInUseError";
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `the embedded store in ${dataDir} is in use by process ${pid ?? "(unknown)"} (eolgate serve?). ` +
        "Stop it first, or go through its HTTP API (e.g. POST /v1/bom/import).",
    );
  }
}

/** Who holds a lock: the pid and, on Linux, the process's start time (so a reused pid is not it). */
export interface LockOwner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot), null where /proc is absent. */
  startTicks: string | null;
}

/**
 * The lock the kernel releases: a listening socket in Linux's abstract namespace, named after the
 * folder. Binding is atomic (two starters cannot both win) and the name disappears the moment the
 * owner's descriptors close, when it exits or is killed, long before a zombie is reaped and whatever
 * later process reuses its pid. The lock file beside it only names the owner for the error message;
 * where abstract sockets do not exist (not Linux) the file alone decides, by pid and start time.
 */
export async function lockStore(dataDir: string): Promise<() => void> {
  const held = HELD.get(dataDir);
  if (held) {
    // The same process opening its own store again (tests reopen after a simulated crash): allowed,
    // as before; the lock goes when the last opener closes.
    held.refs++;
    return () => release(dataDir);
  }
  const file = join(dataDir, "eolgate.lock");
  let server: Server | null = null;
  if (process.platform === "linux") {
    const name = abstractName(dataDir);
    server = await listenAbstract(name);
    // An owner killed a moment ago can already be a zombie while its other threads are still
    // tearing down, its descriptors not yet closed: when the lock file says the owner is gone, wait
    // (bounded) for the kernel to release the name. A live owner is refused at once.
    for (let i = 0; !server && i < 100; i++) {
      const owner = readOwner(file);
      if (owner && isSameLiveProcess(owner)) break;
      await new Promise((r) => setTimeout(r, 50));
      server = await listenAbstract(name);
    }
    if (!server) throw new StoreInUseError(dataDir, readOwner(file)?.pid ?? null);
  } else {
    const owner = readOwner(file);
    if (owner && owner.pid !== process.pid && isSameLiveProcess(owner))
      throw new StoreInUseError(dataDir, owner.pid);
  }
  writeOwner(file, { pid: process.pid, startTicks: startTicksOf(process.pid) });
  HELD.set(dataDir, { refs: 1, server, file });
  return () => release(dataDir);
}

const HELD = new Map<string, { refs: number; server: Server | null; file: string }>();

function release(dataDir: string): void {
  const h = HELD.get(dataDir);
  if (!h || --h.refs > 0) return;
  HELD.delete(dataDir);
  const owner = readOwner(h.file);
  if (owner?.pid === process.pid) rmSync(h.file, { force: true });
  h.server?.close();
}

function abstractName(dataDir: string): string {
  let real = dataDir;
  try {
    real = realpathSync(dataDir);
  } catch {
    // not created yet: the caller creates it before locking; fall back to the path as given
  }
  return `\0eolgate-store-${createHash("sha256").update(real).digest("hex").slice(0, 40)}`;
}

/** Binds the abstract socket; null when another process holds the name. */
function listenAbstract(name: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") resolve(null);
      else reject(err);
    });
    server.listen({ path: name, exclusive: true }, () => {
      // The lock must not keep the event loop alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

/** Written to a temporary file and renamed, so a reader never sees half a lock file. */
function writeOwner(file: string, owner: LockOwner): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function readOwner(file: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
  // Older lock files held the bare pid.
  if (/^\d+$/.test(text)) return { pid: Number(text), startTicks: null };
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    return typeof v.pid === "number" ? { pid: v.pid, startTicks: v.startTicks ?? null } : null;
  } catch {
    return null;
  }
}

/**
 * The process's start time from /proc/<pid>/stat, or null when it has none (gone, or no /proc).
 * A zombie (state Z) or a dead task (X) counts as gone: it holds nothing any more.
 */
export function startTicksOf(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ")": split after the last one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  if (state === "Z" || state === "X") return null;
  return fields[19] ?? null;
}

/** The lock's owner is still the same running process (not a zombie, not a newcomer with its pid). */
export function isSameLiveProcess(owner: LockOwner): boolean {
  const ticks = startTicksOf(owner.pid);
  if (ticks !== null) return owner.startTicks === null || ticks === owner.startTicks;
  if (startTicksOf(process.pid) !== null) return false; // /proc works and has no live entry: gone
  try {
    process.kill(owner.pid, 0);
    return true; // no /proc: the pid alone is all there is to go on
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
