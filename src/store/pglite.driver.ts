import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { QueryResult, Sql, SqlDriver } from "./driver.ts";
import { lockStore } from "./store.lock.ts";

export { StoreInUseError } from "./store.lock.ts";

/**
 * PGlite: PostgreSQL compiled to WASM, running in this process and persisting to `dataDir`.
 * It has a single connection; PGlite queues concurrent queries itself, and `transaction` holds the
 * connection for its duration, so callers never interleave inside a transaction.
 */
export async function openPglite(dataDir: string | null): Promise<SqlDriver> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? await lockStore(dataDir) : () => {};
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
