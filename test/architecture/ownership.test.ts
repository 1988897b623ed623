import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The ownership rules of docs/architecture.md that an import graph cannot show (dependency-cruiser
 * checks the imports, `.dependency-cruiser.cjs`):
 * - SQL appears only in repositories (`*.repository.ts`), read models (`*.query.ts`) and the store's
 *   own adapters (`src/store/`);
 * - every table is written (insert, update, delete) by exactly one file, a `*.repository.ts`
 *   (the store's migration runner owns `schema_migrations`);
 * - HTTP statuses are set only in `src/http/errors.ts`.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** The string and template literals of a TypeScript file, comments skipped. */
function literals(code: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "/" && code[i + 1] === "/") {
      i = code.indexOf("\n", i);
      if (i < 0) break;
    } else if (c === "/" && code[i + 1] === "*") {
      i = code.indexOf("*/", i + 2) + 2;
      if (i < 2) break;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      let text = "";
      while (j < code.length && code[j] !== c) {
        if (code[j] === "\\") {
          text += code[j + 1];
          j += 2;
          continue;
        }
        text += code[j];
        j++;
      }
      out.push(text);
      i = j + 1;
    } else i++;
  }
  return out;
}

/** A literal that is an SQL statement (or the start of one), not prose that happens to say "update". */
const SQL_START =
  /^\s*(select\b[\s\S]*\bfrom\b|select\s+[a-z_]+\(|insert\s+into\b|update\s+[a-z_]+(\s+[a-z_]+)?\s+set\b|delete\s+from\b|with\s+(recursive\s+)?[a-z_]+\s*(\([^)]*\)\s*)?as\s*\(|create\s+(temp\s+)?table\b|alter\s+table\b|vacuum\b)/i;
const WRITES = [
  /\binsert\s+into\s+([a-z_]+)/gi,
  /\bupdate\s+([a-z_]+)(?:\s+[a-z_]+)?\s+set\b/gi,
  /\bdelete\s+from\s+([a-z_]+)/gi,
];

const files = sourceFiles(SRC).map((p) => ({
  path: relative(ROOT, p),
  code: readFileSync(p, "utf8"),
}));
const sqlOf = (code: string) => literals(code).filter((l) => SQL_START.test(l));
const allowsSql = (path: string) =>
  path.endsWith(".repository.ts") || path.endsWith(".query.ts") || path.startsWith("src/store/");

describe("ownership", () => {
  it("finds the SQL it checks (the scanner sees the repositories' statements)", () => {
    const inbox = files.find((f) => f.path === "src/inbox/inbox.repository.ts");
    expect(sqlOf(inbox?.code ?? "").length).toBeGreaterThan(5);
  });

  it("SQL appears only in repositories, read models and the store's adapters", () => {
    const misplaced = files.filter((f) => sqlOf(f.code).length > 0 && !allowsSql(f.path)).map((f) => f.path);
    expect(misplaced).toEqual([]);
  });

  it("every table is written by exactly one repository", () => {
    const writers = new Map<string, Set<string>>();
    for (const f of files)
      for (const sql of sqlOf(f.code))
        for (const re of WRITES)
          for (const m of sql.matchAll(re)) {
            const table = m[1]!.toLowerCase();
            if (table === "bom_stage") continue; // the import's temporary table, dropped at commit
            const set = writers.get(table) ?? new Set<string>();
            set.add(f.path);
            writers.set(table, set);
          }
    expect(writers.size).toBeGreaterThan(10);
    const problems = [...writers].flatMap(([table, paths]) => {
      const list = [...paths];
      const owner =
        list.length === 1 &&
        (list[0]!.endsWith(".repository.ts") ||
          (table === "schema_migrations" && list[0] === "src/store/migrate.ts"));
      return owner ? [] : [`${table}: ${list.join(", ")}`];
    });
    expect(problems).toEqual([]);
  });

  it("HTTP statuses are set only in src/http/errors.ts", () => {
    // Fastify replies (`reply.code(…)`); the demo's stand-in for a customer's webhook receiver is a
    // plain node:http server of its own and answers as such a receiver would.
    const setters = files.filter((f) => /\.code\(\s*[\d\w]/.test(f.code)).map((f) => f.path);
    expect(setters).toEqual(["src/http/errors.ts"]);
  });
});
