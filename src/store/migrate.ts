import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlDriver } from "./driver.ts";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files in version order. Versions are unique and only ever appended. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir)) {
    const m = /^(\d{3,})_([\w-]+)\.sql$/.exec(file);
    if (!m) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: readFileSync(join(dir, file), "utf8") });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version)
      throw new Error(`duplicate migration version ${out[i]!.version}`);
  }
  return out;
}

/**
 * Applies every migration not yet recorded, in order, all in one transaction (all or none). Forward only.
 * An advisory lock makes concurrent starters (several API processes on one PostgreSQL) take turns.
 */
export async function migrate(db: SqlDriver, migrations = loadMigrations()): Promise<number[]> {
  await db.exec(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(7243901)");
    const done = new Set(
      (await tx.query<{ version: number }>("select version from schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      applied.push(m.version);
    }
  });
  return applied;
}

/**
 * Splits a migration into statements on semicolons at line ends, outside dollar-quoted bodies.
 * Parameterless `query` runs one statement at a time on both drivers, inside the transaction.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let inDollar = false;
  for (const line of sql.split("\n")) {
    const stripped = line.replace(/--.*$/, "");
    const dollars = (stripped.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) inDollar = !inDollar;
    current += `${line}\n`;
    if (!inDollar && /;\s*$/.test(stripped)) {
      if (current.trim().replace(/;$/, "").trim()) out.push(current.trim());
      current = "";
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
