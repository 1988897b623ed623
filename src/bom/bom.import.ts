import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { Sql, SqlDriver } from "../store/driver.ts";
import { findCycle } from "./bom.cycles.ts";
import {
  type AlternateRow,
  type AssemblyRow,
  BOM_FILES,
  type BomFile,
  type BomLineRow,
  OPTIONAL_COLUMNS,
  type PartRow,
  parseAlternateRow,
  parseAssemblyRow,
  parseBomLineRow,
  parsePartRow,
  REQUIRED_COLUMNS,
  type RowResult,
} from "./bom.rows.ts";

/**
 * BOM import (DESIGN §7): each file is parsed as a stream, every row validated, and everything is
 * written in ONE transaction. Any bad row rolls the whole import back, so a failed import applies
 * nothing. Re-importing the same files leaves the store as it was (idempotent upsert):
 * - assemblies by assembly_id, parts by (maker key, folded MPN), alternates by (part, alternate);
 * - a parent assembly named in bom.csv gets exactly the lines the file gives it (its old lines go),
 *   so a line removed from a BOM is removed from the store; parents the file does not name keep theirs.
 */

export interface BomSource {
  /** Shown in errors: the file name as the user gave it. */
  name: string;
  open: () => Readable;
}
export type BomSources = Partial<Record<BomFile, BomSource>>;

export interface ImportError {
  file: string;
  /** Line in the file (the header is line 1); null for a whole-file or whole-graph problem. */
  row: number | null;
  reason: string;
}

export interface ImportCounts {
  assemblies: number;
  parts: number;
  alternates: number;
  bom_lines: number;
}

export type ImportOutcome =
  | { kind: "imported"; counts: ImportCounts }
  | { kind: "rejected"; errors: ImportError[]; truncated: boolean };

const BATCH = 2_000;
const IMPORT_LOCK = 7_243_906;

class Rejected extends Error {
  constructor(
    readonly errors: ImportError[],
    readonly truncated: boolean,
  ) {
    super("import rejected");
  }
}

export async function importBom(
  db: SqlDriver,
  sources: BomSources,
  opts: { maxErrors?: number } = {},
): Promise<ImportOutcome> {
  if (!BOM_FILES.some((f) => sources[f])) {
    return {
      kind: "rejected",
      errors: [
        { file: "-", row: null, reason: "no file given: expected assemblies, parts, bom or alternates" },
      ],
      truncated: false,
    };
  }
  try {
    const counts = await db.transaction(async (tx) => {
      // Two imports at once would each check cycles against a graph the other is changing.
      await tx.query("select pg_advisory_xact_lock($1)", [IMPORT_LOCK]);
      const run = new ImportRun(tx, opts.maxErrors ?? 100);
      const counts = await run.all(sources);
      if (run.errors.length > 0) throw new Rejected(run.errors, run.truncated);
      return counts;
    });
    await refreshPlannerState(db);
    return { kind: "imported", counts };
  } catch (err) {
    if (err instanceof Rejected) return { kind: "rejected", errors: err.errors, truncated: err.truncated };
    throw err;
  }
}

/**
 * After a bulk load the where-used query would be planned as if the tables were empty, and its
 * index-only scans would still visit the heap (measured 3x slower on PostgreSQL); PGlite has no
 * autovacuum to fix either. VACUUM cannot run inside the import's transaction, so it runs after
 * the commit; the import has already succeeded, so a failure here (a role without the right to
 * vacuum) only leaves that work to autovacuum.
 */
async function refreshPlannerState(db: SqlDriver): Promise<void> {
  try {
    await db.exec("vacuum (analyze) assemblies, parts, bom_lines, part_alternates, assembly_closure");
  } catch {
    // Not fatal: see above.
  }
}

class ImportRun {
  readonly errors: ImportError[] = [];
  truncated = false;
  private partIds: Map<string, number> | null = null;
  private partIdsByFold: Map<string, number[]> | null = null;

  constructor(
    private readonly tx: Sql,
    private readonly maxErrors: number,
  ) {}

  private fail(file: string, row: number | null, reason: string): void {
    if (this.errors.length >= this.maxErrors) {
      this.truncated = true;
      return;
    }
    this.errors.push({ file, row, reason });
  }

  /** Writes happen only while the import is still clean; validation carries on to report more. */
  private get clean(): boolean {
    return this.errors.length === 0;
  }

  async all(sources: BomSources): Promise<ImportCounts> {
    const counts: ImportCounts = { assemblies: 0, parts: 0, alternates: 0, bom_lines: 0 };
    if (sources.assemblies) counts.assemblies = await this.assemblies(sources.assemblies);
    if (sources.parts) counts.parts = await this.parts(sources.parts);
    if (sources.alternates) counts.alternates = await this.alternates(sources.alternates);
    if (sources.bom) counts.bom_lines = await this.bom(sources.bom);
    if ((sources.assemblies || sources.bom) && this.clean) await this.rebuildClosure();
    return counts;
  }

  /**
   * The assembly closure (migration 008): for every assembly, each assembly above it with the units
   * per unit summed over all paths. Rebuilt whole: imports are rare, where-used lookups are not.
   */
  private async rebuildClosure(): Promise<void> {
    await this.tx.query("delete from assembly_closure");
    await this.tx.query(
      `insert into assembly_closure (descendant, ancestor, qty)
       with recursive up (descendant, ancestor, qty, depth) as (
         select assembly_id, assembly_id, 1::numeric, 0 from assemblies
         union all
         select up.descendant, b.parent_assembly_id, up.qty * b.qty_per, up.depth + 1
         from up join bom_lines b on b.child_assembly_id = up.ancestor
         where up.depth < 64
       )
       select descendant, ancestor, sum(qty) from up group by descendant, ancestor`,
    );
  }

  /**
   * Parsed, validated rows of one file with their line numbers. The header is checked by name; a
   * row with the wrong number of cells is a row error. A CSV syntax error (an unclosed quote) ends
   * the file, since nothing after it can be trusted to be split right.
   */
  private async *rows<T>(
    file: BomFile,
    src: BomSource,
    parseRow: (r: Record<string, string>) => RowResult<T>,
  ): AsyncGenerator<{ row: T; line: number }> {
    const required = REQUIRED_COLUMNS[file];
    const known = new Set([...required, ...OPTIONAL_COLUMNS[file]]);
    const parser = src
      .open()
      .pipe(parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true }));
    let header: string[] | null = null;
    let seen = 0;
    try {
      for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = rec.info.lines;
        if (header === null) {
          header = rec.record.map((h) => h.trim().toLowerCase());
          const missing = required.filter((c) => !header!.includes(c));
          const unknown = header.filter((c) => !known.has(c));
          if (missing.length > 0) this.fail(src.name, line, `missing column(s): ${missing.join(", ")}`);
          if (unknown.length > 0) {
            this.fail(
              src.name,
              line,
              `unknown column(s): ${unknown.join(", ")} (expected ${[...known].join(",")})`,
            );
          }
          if (missing.length > 0 || unknown.length > 0) return;
          continue;
        }
        seen++;
        if (rec.record.length !== header.length) {
          this.fail(src.name, line, `${rec.record.length} cells where the header has ${header.length}`);
          continue;
        }
        const fields: Record<string, string> = {};
        header.forEach((h, i) => {
          fields[h] = rec.record[i]!;
        });
        const r = parseRow(fields);
        if (r.kind === "invalid") this.fail(src.name, line, r.reason);
        else yield { row: r.row, line };
      }
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      const at = (err as CsvError & { lines?: number }).lines;
      this.fail(src.name, typeof at === "number" ? at : null, `CSV: ${err.message}`);
      return;
    } finally {
      parser.destroy();
    }
    if (header === null || seen === 0)
      this.fail(src.name, null, "no rows (a header and at least one row expected)");
  }

  private async assemblies(src: BomSource): Promise<number> {
    const firstLine = new Map<string, number>();
    let batch: AssemblyRow[] = [];
    for await (const { row, line } of this.rows("assemblies", src, parseAssemblyRow)) {
      const prev = firstLine.get(row.assemblyId);
      if (prev !== undefined) {
        this.fail(src.name, line, `duplicate assembly_id ${row.assemblyId} (first at line ${prev})`);
        continue;
      }
      firstLine.set(row.assemblyId, line);
      batch.push(row);
      if (batch.length >= BATCH) {
        await this.writeAssemblies(batch);
        batch = [];
      }
    }
    await this.writeAssemblies(batch);
    return firstLine.size;
  }

  private async writeAssemblies(rows: AssemblyRow[]): Promise<void> {
    if (!this.clean || rows.length === 0) return;
    await this.tx.query(
      `insert into assemblies (assembly_id, name, annual_demand, unit_price, end_of_production, notify_channel)
       select * from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::date[], $6::text[])
       on conflict (assembly_id) do update set name = excluded.name, annual_demand = excluded.annual_demand,
         unit_price = excluded.unit_price, end_of_production = excluded.end_of_production,
         notify_channel = excluded.notify_channel, updated_at = now()`,
      [
        rows.map((r) => r.assemblyId),
        rows.map((r) => r.name),
        rows.map((r) => r.annualDemand),
        rows.map((r) => r.unitPrice),
        rows.map((r) => r.endOfProduction),
        rows.map((r) => r.notifyChannel),
      ],
    );
  }

  private async parts(src: BomSource): Promise<number> {
    const firstLine = new Map<string, number>();
    let batch: PartRow[] = [];
    for await (const { row, line } of this.rows("parts", src, parsePartRow)) {
      const key = `${row.manufacturerKey}\u0000${row.mpnFold}`;
      const prev = firstLine.get(key);
      if (prev !== undefined) {
        this.fail(src.name, line, `duplicate part ${row.manufacturer} ${row.mpn} (first at line ${prev})`);
        continue;
      }
      firstLine.set(key, line);
      batch.push(row);
      if (batch.length >= BATCH) {
        await this.writeParts(batch);
        batch = [];
      }
    }
    await this.writeParts(batch);
    this.partIds = null;
    return firstLine.size;
  }

  private async writeParts(rows: PartRow[]): Promise<void> {
    if (!this.clean || rows.length === 0) return;
    await this.tx.query(
      `insert into parts (manufacturer, mpn, manufacturer_key, mpn_fold, mpn_norm, unit_cost, on_hand, on_order,
         lifecycle_status, lifecycle_status_raw)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[],
         $7::bigint[], $8::bigint[], $9::text[], $10::text[])
       on conflict (manufacturer_key, mpn_fold) do update set manufacturer = excluded.manufacturer,
         mpn = excluded.mpn, mpn_norm = excluded.mpn_norm, unit_cost = excluded.unit_cost,
         on_hand = excluded.on_hand, on_order = excluded.on_order, lifecycle_status = excluded.lifecycle_status,
         lifecycle_status_raw = excluded.lifecycle_status_raw, updated_at = now()`,
      [
        rows.map((r) => r.manufacturer),
        rows.map((r) => r.mpn),
        rows.map((r) => r.manufacturerKey),
        rows.map((r) => r.mpnFold),
        rows.map((r) => r.mpnNorm),
        rows.map((r) => r.unitCost),
        rows.map((r) => r.onHand),
        rows.map((r) => r.onOrder),
        rows.map((r) => r.status),
        rows.map((r) => r.statusRaw),
      ],
    );
  }

  /** Stored parts by identity, loaded once after the parts file (which may have added some). */
  private async loadPartIndex(): Promise<void> {
    if (this.partIds) return;
    const ids = new Map<string, number>();
    const byFold = new Map<string, number[]>();
    const { rows } = await this.tx.query<{ id: number; manufacturer_key: string; mpn_fold: string }>(
      "select id::float8 as id, manufacturer_key, mpn_fold from parts",
    );
    for (const r of rows) {
      ids.set(`${r.manufacturer_key}\u0000${r.mpn_fold}`, r.id);
      const list = byFold.get(r.mpn_fold);
      if (list) list.push(r.id);
      else byFold.set(r.mpn_fold, [r.id]);
    }
    this.partIds = ids;
    this.partIdsByFold = byFold;
  }

  private async alternates(src: BomSource): Promise<number> {
    await this.loadPartIndex();
    const firstLine = new Map<string, number>();
    let batch: (AlternateRow & { partId: number })[] = [];
    for await (const { row, line } of this.rows("alternates", src, parseAlternateRow)) {
      const partId = this.partIds!.get(`${row.manufacturerKey}\u0000${row.mpnFold}`);
      if (partId === undefined) {
        this.fail(
          src.name,
          line,
          `unknown part ${row.manufacturer} ${row.mpn}: not in parts.csv nor the store`,
        );
        continue;
      }
      const key = `${partId}\u0000${row.altManufacturerKey}\u0000${row.altMpnFold}`;
      const prev = firstLine.get(key);
      if (prev !== undefined) {
        this.fail(src.name, line, `duplicate alternate ${row.altMpn} for ${row.mpn} (first at line ${prev})`);
        continue;
      }
      firstLine.set(key, line);
      batch.push({ ...row, partId });
      if (batch.length >= BATCH) {
        await this.writeAlternates(batch);
        batch = [];
      }
    }
    await this.writeAlternates(batch);
    return firstLine.size;
  }

  private async writeAlternates(rows: (AlternateRow & { partId: number })[]): Promise<void> {
    if (!this.clean || rows.length === 0) return;
    await this.tx.query(
      `insert into part_alternates (part_id, alt_manufacturer, alt_mpn, alt_manufacturer_key, alt_mpn_fold, kind,
         alt_unit_cost)
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
       on conflict (part_id, alt_manufacturer_key, alt_mpn_fold) do update set alt_manufacturer = excluded.alt_manufacturer,
         alt_mpn = excluded.alt_mpn, kind = excluded.kind, alt_unit_cost = excluded.alt_unit_cost`,
      [
        rows.map((r) => r.partId),
        rows.map((r) => r.altManufacturer),
        rows.map((r) => r.altMpn),
        rows.map((r) => r.altManufacturerKey),
        rows.map((r) => r.altMpnFold),
        rows.map((r) => r.kind),
        rows.map((r) => r.altUnitCost),
      ],
    );
  }

  private resolvePart(row: BomLineRow): { kind: "ok"; id: number } | { kind: "error"; reason: string } {
    if (row.childManufacturerKey !== null) {
      const id = this.partIds!.get(`${row.childManufacturerKey}\u0000${row.childMpnFold}`);
      return id === undefined
        ? {
            kind: "error",
            reason: `unknown part ${row.childRef}: not in parts.csv nor the store for that maker`,
          }
        : { kind: "ok", id };
    }
    const ids = this.partIdsByFold!.get(row.childMpnFold!) ?? [];
    if (ids.length === 1) return { kind: "ok", id: ids[0]! };
    return ids.length === 0
      ? { kind: "error", reason: `unknown part ${row.childRef}: not in parts.csv nor the store` }
      : { kind: "error", reason: `part ${row.childRef} is made by several makers: give child_manufacturer` };
  }

  private async bom(src: BomSource): Promise<number> {
    await this.loadPartIndex();
    const known = new Set(
      (await this.tx.query<{ assembly_id: string }>("select assembly_id from assemblies")).rows.map(
        (r) => r.assembly_id,
      ),
    );
    await this.tx.query(
      `create temp table bom_stage (line integer not null, parent text not null, child_assembly text,
         child_part bigint, qty numeric not null) on commit drop`,
    );
    const parents = new Set<string>();
    const assemblyEdges: { parent: string; child: string; line: number }[] = [];
    let count = 0;
    let batch: {
      line: number;
      parent: string;
      childAssembly: string | null;
      childPart: number | null;
      qty: number;
    }[] = [];
    for await (const { row, line } of this.rows("bom", src, parseBomLineRow)) {
      if (!known.has(row.parentAssemblyId)) {
        this.fail(src.name, line, `unknown assembly ${row.parentAssemblyId} (parent_assembly_id)`);
        continue;
      }
      let childAssembly: string | null = null;
      let childPart: number | null = null;
      if (row.childType === "assembly") {
        if (!known.has(row.childRef)) {
          this.fail(src.name, line, `unknown assembly ${row.childRef} (child_ref)`);
          continue;
        }
        childAssembly = row.childRef;
        assemblyEdges.push({ parent: row.parentAssemblyId, child: row.childRef, line });
      } else {
        const r = this.resolvePart(row);
        if (r.kind === "error") {
          this.fail(src.name, line, r.reason);
          continue;
        }
        childPart = r.id;
      }
      parents.add(row.parentAssemblyId);
      count++;
      batch.push({ line, parent: row.parentAssemblyId, childAssembly, childPart, qty: row.qtyPer });
      if (batch.length >= BATCH) {
        await this.stageLines(batch);
        batch = [];
      }
    }
    await this.stageLines(batch);
    if (!this.clean) return count;

    const dups = await this.tx.query<{ parent: string; child: string; lines: number[] }>(
      `select parent, coalesce(child_assembly, child_part::text) as child, array_agg(line order by line) as lines
       from bom_stage group by parent, child_assembly, child_part having count(*) > 1 order by min(line) limit $1`,
      [this.maxErrors],
    );
    for (const d of dups.rows) {
      const [first, ...again] = d.lines;
      for (const l of again)
        this.fail(src.name, l, `duplicate line for ${d.parent} (first at line ${first})`);
    }
    if (!this.clean) return count;

    // The graph after this import: the file's edges, plus stored edges of parents it leaves alone.
    const stored = await this.tx.query<{ parent: string; child: string }>(
      `select parent_assembly_id as parent, child_assembly_id as child from bom_lines where child_assembly_id is not null`,
    );
    const edges = [
      ...assemblyEdges,
      ...stored.rows.filter((e) => !parents.has(e.parent)).map((e) => ({ ...e, line: null })),
    ];
    const cycle = findCycle(edges);
    if (cycle) {
      this.fail(src.name, cycle.line, `cycle in the BOM: ${cycle.path.join(" → ")}`);
      return count;
    }
    await this.tx.query(
      "delete from bom_lines where parent_assembly_id in (select distinct parent from bom_stage)",
    );
    await this.tx.query(
      `insert into bom_lines (parent_assembly_id, child_assembly_id, child_part_id, qty_per)
       select parent, child_assembly, child_part, qty from bom_stage`,
    );
    return count;
  }

  private async stageLines(
    rows: {
      line: number;
      parent: string;
      childAssembly: string | null;
      childPart: number | null;
      qty: number;
    }[],
  ): Promise<void> {
    if (!this.clean || rows.length === 0) return;
    await this.tx.query(
      `insert into bom_stage select * from unnest($1::integer[], $2::text[], $3::text[], $4::bigint[], $5::numeric[])`,
      [
        rows.map((r) => r.line),
        rows.map((r) => r.parent),
        rows.map((r) => r.childAssembly),
        rows.map((r) => r.childPart),
        rows.map((r) => r.qty),
      ],
    );
  }
}
