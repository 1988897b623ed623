import type { SqlDriver } from "../store/driver.ts";
import { assemblyClosureRepository } from "./assembly-closure.repository.ts";
import { type BomSource, type BomSources, readBomRows } from "./bom.csv.ts";
import { findCycle } from "./bom.cycles.ts";
import { bomWrites, type PartIndex, type StagedLine } from "./bom.repository.ts";
import {
  BOM_FILES,
  type BomLineRow,
  parseAlternateRow,
  parseAssemblyRow,
  parseBomLineRow,
  parsePartRow,
} from "./bom.rows.ts";

export type { BomSource, BomSources } from "./bom.csv.ts";

/**
 * BOM import (DESIGN §7): each file is read as a stream (bom.csv.ts), every row validated
 * (bom.rows.ts), references between files checked here, and everything written through the BOM
 * repository in ONE transaction. Any bad row rolls the whole import back, so a failed import applies
 * nothing. Re-importing the same files leaves the store as it was (idempotent upsert):
 * - assemblies by assembly_id, parts by (maker key, folded MPN), alternates by (part, alternate);
 * - a parent assembly named in bom.csv gets exactly the lines the file gives it (its old lines go),
 *   so a line removed from a BOM is removed from the store; parents the file does not name keep theirs.
 */

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

/** A part the import added or changed, by the keys notices are matched with (DESIGN §7). */
export interface ChangedPart {
  manufacturerKey: string;
  mpnNorm: string;
}

export type ImportOutcome =
  | {
      kind: "imported";
      counts: ImportCounts;
      /** This import's BOM version (every import makes one, even when it changes nothing). */
      version: number;
      /** How many stored parts the import added or changed. */
      changedParts: number;
      /** Parts new or changed: their row, alternates, BOM lines, or an assembly above them. */
      changed: ChangedPart[];
    }
  | { kind: "rejected"; errors: ImportError[]; truncated: boolean };

const BATCH = 2_000;

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
  opts: { maxErrors?: number; source?: string } = {},
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
    const done = await db.transaction(async (tx) => {
      // Two imports at once would each check cycles against a graph the other is changing.
      await bomWrites.lockImports(tx);
      await bomWrites.openChangeLog(tx);
      const run = new ImportRun(tx, opts.maxErrors ?? 100);
      const counts = await run.all(sources);
      if (run.errors.length > 0) throw new Rejected(run.errors, run.truncated);
      const recorded = await bomWrites.recordImport(tx, {
        source: opts.source ?? "cli",
        counts: { ...counts },
      });
      return { counts, ...recorded };
    });
    await bomWrites.refreshPlannerState(db);
    return { kind: "imported", ...done };
  } catch (err) {
    if (err instanceof Rejected) return { kind: "rejected", errors: err.errors, truncated: err.truncated };
    throw err;
  }
}

type Tx = Parameters<Parameters<SqlDriver["transaction"]>[0]>[0];

class ImportRun {
  readonly errors: ImportError[] = [];
  truncated = false;
  private index: PartIndex | null = null;
  private readonly fail = (file: string, row: number | null, reason: string): void => {
    if (this.errors.length >= this.maxErrors) {
      this.truncated = true;
      return;
    }
    this.errors.push({ file, row, reason });
  };

  constructor(
    private readonly tx: Tx,
    private readonly maxErrors: number,
  ) {}

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
    if ((sources.assemblies || sources.bom) && this.clean) await assemblyClosureRepository.rebuild(this.tx);
    return counts;
  }

  /**
   * The loop every file shares: rows that pass their own checks are checked against the file so far
   * (a duplicate key names the line it repeats) and written in batches while the import is clean.
   * `accept` turns a row into what is written, or reports why not (an unknown reference) and skips it.
   */
  private async load<R, W>(
    rows: AsyncIterable<{ row: R; line: number }>,
    src: BomSource,
    how: {
      accept: (row: R, line: number) => W | null;
      key: (w: W) => string;
      duplicate: (w: W, firstLine: number) => string;
      write: (batch: W[]) => Promise<void>;
    },
  ): Promise<number> {
    const firstLine = new Map<string, number>();
    let batch: W[] = [];
    const flush = async () => {
      if (this.clean && batch.length > 0) await how.write(batch);
      batch = [];
    };
    for await (const { row, line } of rows) {
      const w = how.accept(row, line);
      if (w === null) continue;
      const k = how.key(w);
      const prev = firstLine.get(k);
      if (prev !== undefined) {
        this.fail(src.name, line, how.duplicate(w, prev));
        continue;
      }
      firstLine.set(k, line);
      batch.push(w);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return firstLine.size;
  }

  private assemblies(src: BomSource): Promise<number> {
    return this.load(readBomRows("assemblies", src, parseAssemblyRow, this.fail), src, {
      accept: (row) => row,
      key: (row) => row.assemblyId,
      duplicate: (row, first) => `duplicate assembly_id ${row.assemblyId} (first at line ${first})`,
      write: (batch) => bomWrites.upsertAssemblies(this.tx, batch),
    });
  }

  private async parts(src: BomSource): Promise<number> {
    const n = await this.load(readBomRows("parts", src, parsePartRow, this.fail), src, {
      accept: (row) => row,
      key: (row) => `${row.manufacturerKey}\u0000${row.mpnFold}`,
      duplicate: (row, first) => `duplicate part ${row.manufacturer} ${row.mpn} (first at line ${first})`,
      write: (batch) => bomWrites.upsertParts(this.tx, batch),
    });
    // The parts file may have added parts the other files refer to.
    this.index = null;
    return n;
  }

  /** Stored parts by identity, loaded once after the parts file. */
  private async partIndex(): Promise<PartIndex> {
    this.index ??= await bomWrites.partIndex(this.tx);
    return this.index;
  }

  private async alternates(src: BomSource): Promise<number> {
    const parts = await this.partIndex();
    return this.load(readBomRows("alternates", src, parseAlternateRow, this.fail), src, {
      accept: (row, line) => {
        const partId = parts.byIdentity.get(`${row.manufacturerKey}\u0000${row.mpnFold}`);
        if (partId !== undefined) return { ...row, partId };
        this.fail(
          src.name,
          line,
          `unknown part ${row.manufacturer} ${row.mpn}: not in parts.csv nor the store`,
        );
        return null;
      },
      key: (row) => `${row.partId}\u0000${row.altManufacturerKey}\u0000${row.altMpnFold}`,
      duplicate: (row, first) => `duplicate alternate ${row.altMpn} for ${row.mpn} (first at line ${first})`,
      write: (batch) => bomWrites.upsertAlternates(this.tx, batch),
    });
  }

  private resolvePart(
    parts: PartIndex,
    row: BomLineRow,
  ): { kind: "ok"; id: number } | { kind: "error"; reason: string } {
    if (row.childManufacturerKey !== null) {
      const id = parts.byIdentity.get(`${row.childManufacturerKey}\u0000${row.childMpnFold}`);
      return id === undefined
        ? {
            kind: "error",
            reason: `unknown part ${row.childRef}: not in parts.csv nor the store for that maker`,
          }
        : { kind: "ok", id };
    }
    const ids = parts.byFold.get(row.childMpnFold!) ?? [];
    if (ids.length === 1) return { kind: "ok", id: ids[0]! };
    return ids.length === 0
      ? { kind: "error", reason: `unknown part ${row.childRef}: not in parts.csv nor the store` }
      : { kind: "error", reason: `part ${row.childRef} is made by several makers: give child_manufacturer` };
  }

  /**
   * BOM lines are staged first (duplicates across the whole file are found by the store, whatever
   * their distance in the file), checked for cycles against the graph they leave, then swapped in.
   */
  private async bom(src: BomSource): Promise<number> {
    const parts = await this.partIndex();
    const known = await bomWrites.assemblyIds(this.tx);
    await bomWrites.openStaging(this.tx);
    const parents = new Set<string>();
    const assemblyEdges: { parent: string; child: string; line: number }[] = [];
    let count = 0;
    let batch: StagedLine[] = [];
    for await (const { row, line } of readBomRows("bom", src, parseBomLineRow, this.fail)) {
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
        const r = this.resolvePart(parts, row);
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
        if (this.clean) await bomWrites.stageLines(this.tx, batch);
        batch = [];
      }
    }
    if (this.clean) await bomWrites.stageLines(this.tx, batch);
    if (!this.clean) return count;

    for (const d of await bomWrites.duplicateStagedLines(this.tx, this.maxErrors)) {
      const [first, ...again] = d.lines;
      for (const l of again)
        this.fail(src.name, l, `duplicate line for ${d.parent} (first at line ${first})`);
    }
    if (!this.clean) return count;

    // The graph after this import: the file's edges, plus stored edges of parents it leaves alone.
    const stored = await bomWrites.storedAssemblyEdges(this.tx);
    const edges = [
      ...assemblyEdges,
      ...stored.filter((e) => !parents.has(e.parent)).map((e) => ({ ...e, line: null })),
    ];
    const cycle = findCycle(edges);
    if (cycle) {
      this.fail(src.name, cycle.line, `cycle in the BOM: ${cycle.path.join(" → ")}`);
      return count;
    }
    await bomWrites.replaceLinesOfStagedParents(this.tx);
    return count;
  }
}
