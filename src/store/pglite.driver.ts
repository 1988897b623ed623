import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { QueryResult, Sql, SqlDriver } from "./driver.ts";

/** Another live process holds the embedded store; PGlite must never be opened twice. */
export class StoreInUseError extends Error {
  override readonly name = "StoreInUseError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded store in ${dataDir} is in use by process ${pid} (eolgate serve?). ` +
        "Stop it first, or go through its HTTP API (e.g. POST /v1/bom/import).",
    );
  }
}

/**
 * PGlite is one process's database: two processes on one folder corrupt it. A lock file holding the
 * owner's pid keeps a second opener out; a lock left by a dead process (kill -9) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "eolgate.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) throw new StoreInUseError(dataDir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock the embedded store in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite: PostgreSQL compiled to WASM, running in this process and persisting to `dataDir`.
 * It has a single connection; PGlite queues concurrent queries itself, and `transaction` holds the
 * connection for its duration, so callers never interleave inside a transaction.
 */
export async function openPglite(dataDir: string | null): Promise<SqlDriver> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  } catch (err) {
    unlock();
    throw err;
  }
  const wrap = (q: Pick<PGlite, "query">): Sql => ({
    async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const r = await q.query<Row>(text, params ? [...params] : undefined);
      return { rows: r.rows, affected: r.affectedRows ?? 0 };
    },
  });
  const base = wrap(db);
  return {
    kind: "pglite",
    query: base.query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (text) => {
      await db.exec(text);
    },
    ping: async () => {
      await db.query("select 1");
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
