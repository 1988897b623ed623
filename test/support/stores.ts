import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, inject } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPglite } from "../../src/store/pglite.driver.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";

export type StoreKind = "pglite" | "postgres";

/** A fresh, empty PostgreSQL database on the test server; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const base = inject("postgresUrl");
  if (!base) throw new Error("no test PostgreSQL");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh migrated store of the given kind (PGlite in memory, or a new PostgreSQL database). */
export async function openTestStore(kind: StoreKind, opts: { migrate?: boolean } = {}): Promise<SqlDriver> {
  const db =
    kind === "pglite" ? await openPglite(null) : await openPostgres({ url: await createTestDatabase() });
  if (opts.migrate !== false) await migrate(db);
  return db;
}

/**
 * Runs the same suite on PGlite and on PostgreSQL. The PostgreSQL run is skipped, with the reason in
 * its name, when the test setup could not start a server.
 */
export function describeEachStore(name: string, fn: (kind: StoreKind) => void): void {
  describe(`${name} [pglite]`, () => fn("pglite"));
  const reason = inject("postgresSkipReason");
  if (reason) describe.skip(`${name} [postgres] skipped: ${reason}`, () => fn("postgres"));
  else describe(`${name} [postgres]`, () => fn("postgres"));
}
