/**
 * BOM scale benchmark (issue 6): a generated graph of 100,000 parts, 20,000 assemblies in 5 levels
 * and 1,000,000 BOM lines. Measures the import (one transaction) and where-used + assess p50/p95
 * for parts used by ≥ 1,000 assemblies, on PostgreSQL (a throwaway server) and PGlite (on disk),
 * with the process's peak RSS. Run: node --import tsx bench/impact.bench.ts (BENCH_SCALE=0.1 for a
 * quick run). Writes bench/results/impact.json.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assessPart } from "../src/bom/bom.assess.ts";
import { bomSourcesFromDir } from "../src/bom/bom.files.ts";
import { importBom } from "../src/bom/bom.import.ts";
import { matchParts, whereUsed } from "../src/bom/bom.repository.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../src/impact/impact.settings.ts";
import type { SqlDriver } from "../src/store/driver.ts";
import { migrate } from "../src/store/migrate.ts";
import { openPglite } from "../src/store/pglite.driver.ts";
import { openPostgres } from "../src/store/postgres.driver.ts";
import { startPostgres } from "../test/support/services.ts";
import { rng } from "./rng.ts";
import { makerOf, mpnOf as syntheticMpn } from "./synthetic-parts.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PARTS = Math.round(100_000 * SCALE);
const LEVELS = [1_000, 2_000, 3_000, 5_000, 9_000].map((n) => Math.round(n * SCALE)); // 20,000 assemblies
const BOM_LINES = Math.round(1_000_000 * SCALE);
const CHILDREN_PER_ASSEMBLY = 3;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const AS_OF = new Date("2026-12-01T00:00:00Z");

const mpnOf = (i: number) => syntheticMpn("BP", i);

/**
 * Writes the four CSVs. Two hot parts: BP000000 held directly by 400 leaf boards (used through
 * them by well over 1,000 assemblies), BP000001 held directly by 2,000 assemblies on every level.
 */
export async function generate(dir: string): Promise<{ lines: number }> {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const ids: string[][] = LEVELS.map((n, l) => Array.from({ length: n }, (_, i) => `L${l}-${i}`));
  const all = ids.flat();

  const write = (name: string, header: string, rows: Iterable<string>) =>
    new Promise<void>((resolve, reject) => {
      const out = createWriteStream(join(dir, name));
      out.on("error", reject);
      out.write(`${header}\n`);
      let buf = "";
      for (const r of rows) {
        buf += `${r}\n`;
        if (buf.length > 1 << 20) {
          out.write(buf);
          buf = "";
        }
      }
      out.end(buf, resolve);
    });

  await write(
    "assemblies.csv",
    "assembly_id,name,annual_demand,unit_price,end_of_production,notify_channel",
    (function* () {
      for (const [l, level] of ids.entries()) {
        for (const id of level) {
          const demand =
            l === 0 ? 100 + Math.floor(rand() * 5_000) : rand() < 0.1 ? Math.floor(rand() * 200) : 0;
          const price = l === 0 ? 200 + Math.floor(rand() * 5_000) : 20 + Math.floor(rand() * 200);
          const eop = `${2027 + Math.floor(rand() * 6)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-28`;
          yield `${id},Assembly ${id},${demand},${price},${eop},`;
        }
      }
    })(),
  );
  await write(
    "parts.csv",
    "manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status",
    (function* () {
      for (let i = 0; i < PARTS; i++) {
        yield `${makerOf(i)},${mpnOf(i)},${(0.01 + rand() * 20).toFixed(4)},${Math.floor(rand() * 5_000)},${Math.floor(rand() * 1_000)},active`;
      }
    })(),
  );
  await write(
    "alternates.csv",
    "manufacturer,mpn,alt_manufacturer,alt_mpn,kind,alt_unit_cost",
    (function* () {
      for (let i = 0; i < PARTS; i += 50) {
        yield `${makerOf(i)},${mpnOf(i)},${makerOf(i + 1)},${mpnOf(i + 1)}-ALT,drop_in,${(0.01 + rand() * 20).toFixed(4)}`;
      }
    })(),
  );

  // Per assembly the set of children, so no line repeats; hot parts first, then uniform fill.
  const children = new Map<string, Set<string>>();
  const add = (parent: string, child: string) => {
    const set = children.get(parent) ?? new Set<string>();
    children.set(parent, set);
    if (set.has(child)) return false;
    set.add(child);
    return true;
  };
  let lines = 0;
  for (let l = 0; l < LEVELS.length - 1; l++) {
    for (const id of ids[l]!) {
      for (let c = 0; c < CHILDREN_PER_ASSEMBLY; c++) if (add(id, `A:${pick(ids[l + 1]!)}`)) lines++;
    }
  }
  const leaves = ids[LEVELS.length - 1]!;
  for (let n = 0; n < Math.round(400 * Math.max(SCALE, 0.25)); ) if (add(pick(leaves), `P:0`)) n++;
  for (let n = 0; n < Math.round(2_000 * Math.max(SCALE, 0.25)); ) if (add(pick(all), `P:1`)) n++;
  lines += Math.round(400 * Math.max(SCALE, 0.25)) + Math.round(2_000 * Math.max(SCALE, 0.25));
  while (lines < BOM_LINES) {
    // Most part lines sit on the boards (the lower levels), as in real BOMs.
    const parent = rand() < 0.8 ? pick(leaves) : pick(all);
    if (add(parent, `P:${2 + Math.floor(rand() * (PARTS - 2))}`)) lines++;
  }
  await write(
    "bom.csv",
    "parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per",
    (function* () {
      for (const [parent, set] of children) {
        for (const child of set) {
          if (child.startsWith("A:"))
            yield `${parent},assembly,${child.slice(2)},,${1 + Math.floor(rand() * 2)}`;
          else {
            const i = Number(child.slice(2));
            yield `${parent},part,${mpnOf(i)},${makerOf(i)},${1 + Math.floor(rand() * 8)}`;
          }
        }
      }
    })(),
  );
  return { lines };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    p50_ms: r(percentile(s, 50)),
    p95_ms: r(percentile(s, 95)),
    max_ms: r(s[s.length - 1]!),
    n: s.length,
  };
}

/** Peak RSS while `fn` runs, sampled every 50 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakRssMb: Math.round(peak / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(name: string, db: SqlDriver, dir: string) {
  await migrate(db);
  const t0 = performance.now();
  const imported = await withPeakRss(() => importBom(db, bomSourcesFromDir(dir)));
  const importMs = performance.now() - t0;
  if (imported.value.kind !== "imported") {
    throw new Error(`${name}: import rejected: ${JSON.stringify(imported.value.errors.slice(0, 5))}`);
  }
  console.error(`${name}: imported in ${(importMs / 1000).toFixed(1)} s`, imported.value.counts);
  const hot = [];
  for (const i of [0, 1]) {
    const [part] = await matchParts(db, makerOf(i), mpnOf(i));
    const used = (await whereUsed(db, part!.id)).assemblies;
    const whereUsedMs: number[] = [];
    const assessMs: number[] = [];
    let result = null;
    for (let k = 0; k < ITERATIONS + 5; k++) {
      const a = performance.now();
      await whereUsed(db, part!.id);
      const b = performance.now();
      const out = await assessPart(db, {
        manufacturer: makerOf(i),
        mpn: mpnOf(i),
        status: "ltb",
        ltbDate: "2027-06-30",
        asOf: AS_OF,
        settings: DEFAULT_IMPACT_SETTINGS,
      });
      const c = performance.now();
      if (k >= 5) {
        whereUsedMs.push(b - a);
        assessMs.push(c - b);
      }
      if (out.kind === "assessed") result = out.result;
    }
    hot.push({
      mpn: mpnOf(i),
      assemblies_using: used.length,
      held_directly_by: used.filter((u) => u.direct).length,
      affected_with_future_demand: result?.affected.length ?? 0,
      where_used: stats(whereUsedMs),
      match_where_used_and_assess: stats(assessMs),
    });
    console.error(`${name}: ${mpnOf(i)} used by ${used.length} assemblies`, hot[hot.length - 1]);
  }
  return {
    store: name,
    import_s: Math.round(importMs / 100) / 10,
    import_rows: imported.value.counts,
    import_peak_rss_mb: imported.peakRssMb,
    hot_parts: hot,
  };
}

export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-bom-bench-"));
  const results = [];
  try {
    const g0 = performance.now();
    const { lines } = await generate(dir);
    console.error(
      `generated ${PARTS} parts, ${LEVELS.reduce((a, b) => a + b)} assemblies, ${lines} BOM lines in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );

    const server = await startPostgres();
    if (server.ok) {
      const db = await openPostgres({ url: server.value.url });
      try {
        results.push(await measure("postgres", db, dir));
      } finally {
        await db.close();
        server.stop();
      }
    } else {
      results.push({ store: "postgres", skipped: server.reason });
    }
    const pgliteDir = mkdtempSync(join(tmpdir(), "eolgate-bom-pglite-"));
    const db = await openPglite(pgliteDir);
    try {
      results.push(await measure("pglite", db, dir));
    } finally {
      await db.close();
      rmSync(pgliteDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = {
    benchmark: "impact",
    at: new Date().toISOString(),
    node: process.version,
    scale: {
      parts: PARTS,
      assemblies: LEVELS.reduce((a, b) => a + b),
      levels: LEVELS.length,
      bom_lines: BOM_LINES,
    },
    iterations: ITERATIONS,
    note: "one process, 2 shared cores; p50/p95 over warm repeated calls; RSS is the whole process (PGlite runs in it)",
    results,
  };
  mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
  writeFileSync(join(import.meta.dirname, "results", "impact.json"), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
