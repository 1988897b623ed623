import { resolve } from "node:path";
import type { StoreConfig } from "../config.ts";
import type { SqlDriver } from "./driver.ts";
import { migrate } from "./migrate.ts";

/**
 * Opens the configured store and brings its schema up to date: PostgreSQL when DATABASE_URL is set,
 * otherwise PGlite persisted under DATA_DIR. Drivers are imported lazily so that the embedded mode
 * never loads `pg` and the distributed mode never loads the WASM build.
 */
export async function openStore(config: StoreConfig, opts: { migrate?: boolean } = {}): Promise<SqlDriver> {
  let db: SqlDriver;
  if (config.DATABASE_URL) {
    const { openPostgres } = await import("./postgres.driver.ts");
    db = await openPostgres({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  } else {
    const { openPglite } = await import("./pglite.driver.ts");
    db = await openPglite(resolve(config.DATA_DIR, "pglite"));
  }
  if (opts.migrate !== false) await migrate(db);
  return db;
}
