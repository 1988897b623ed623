import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { StoreConfig } from "../config.ts";
import type { SqlDriver } from "./driver.ts";
import { migrate } from "./migrate.ts";

/**
 * Which store the configuration names, said so a person can check it: the embedded store's folder
 * (absolute) or PostgreSQL's URL without its password.
 */
export type StoreLocation =
  | { kind: "pglite"; dataDir: string; dir: string; exists: boolean; display: string }
  | { kind: "postgres"; display: string };

export function storeLocation(config: StoreConfig): StoreLocation {
  if (config.DATABASE_URL) return { kind: "postgres", display: `PostgreSQL ${safeUrl(config.DATABASE_URL)}` };
  const dataDir = resolve(config.DATA_DIR);
  const dir = join(dataDir, "pglite");
  return {
    kind: "pglite",
    dataDir,
    dir,
    // PGlite writes PG_VERSION when it creates a cluster: without it the folder holds no store.
    exists: existsSync(join(dir, "PG_VERSION")),
    display: `embedded store (PGlite) in ${dataDir}`,
  };
}

/** A PostgreSQL URL as it may be printed: user, host, port and database, never the password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    u.search = "";
    return u.toString().replace(/:@/, "@");
  } catch {
    return "(a URL that does not parse)";
  }
}

/** The store cannot be reached as configured: one line naming the setting and the cause. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
}

/**
 * Opens the configured store and brings its schema up to date: PostgreSQL when DATABASE_URL is set,
 * otherwise PGlite persisted under DATA_DIR. Drivers are imported lazily so that the embedded mode
 * never loads `pg` and the distributed mode never loads the WASM build.
 */
export async function openStore(config: StoreConfig, opts: { migrate?: boolean } = {}): Promise<SqlDriver> {
  let db: SqlDriver;
  if (config.DATABASE_URL) {
    const { openPostgres } = await import("./postgres.driver.ts");
    try {
      db = await openPostgres({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
    } catch (err) {
      throw new StoreUnavailableError(postgresProblem(config.DATABASE_URL, err));
    }
  } else {
    const { openPglite } = await import("./pglite.driver.ts");
    db = await openPglite(resolve(config.DATA_DIR, "pglite"));
  }
  if (opts.migrate !== false) await migrate(db);
  // PGlite runs no autovacuum, so nothing else ever gathers the planner's statistics: without them a
  // list of 10,000 cases joins its parts row by row (5× slower, bench/console.bench.ts). Gathered
  // once per start; a long-running process keeps those of its start.
  if (db.kind === "pglite") await db.exec("analyze");
  return db;
}

/** What went wrong connecting, in the terms of the setting a person changes. */
function postgresProblem(url: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  let where = "the server";
  let database = "";
  let user = "";
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || "5432"}`;
    database = decodeURIComponent(u.pathname.slice(1));
    user = decodeURIComponent(u.username);
  } catch {
    // reported with the driver's words below
  }
  const head = `DATABASE_URL (${safeUrl(url)})`;
  switch (e.code) {
    case "ECONNREFUSED":
      return `${head}: nothing accepts connections at ${where} (ECONNREFUSED); is PostgreSQL running there?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `${head}: the host of ${where} is not known (${e.code})`;
    case "ETIMEDOUT":
      return `${head}: no answer from ${where} (ETIMEDOUT)`;
    case "3D000":
      return `${head}: database "${database}" does not exist on ${where}; create it (createdb ${database}) or fix the URL`;
    case "28P01":
    case "28000":
      return `${head}: PostgreSQL refused user "${user}" (${e.code}: wrong password or no access)`;
  }
  if (e.message?.includes("timeout")) return `${head}: no answer from ${where} within 5 s`;
  return `${head}: cannot connect: ${e.message ?? String(err)}`;
}
