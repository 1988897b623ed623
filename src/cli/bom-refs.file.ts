/**
 * The BOM parts and alternates of a folder of import CSVs (DESIGN §7: parts.csv and, when present,
 * alternates.csv), as the BOM scan's references. For `eolgate extract --bom DIR`: checking what a
 * message names against a BOM without a database.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { BomRef } from "../extract/bom.scan.ts";

type Row = Record<string, string | undefined>;

function rowsOf(path: string): Row[] {
  return parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Row[];
}

export function readBomRefs(dir: string): BomRef[] {
  const parts = join(dir, "parts.csv");
  if (!existsSync(parts)) throw new Error(`no parts.csv in ${dir}`);
  const refs: BomRef[] = [];
  for (const r of rowsOf(parts))
    if (r.mpn) refs.push({ mpn: r.mpn, manufacturer: r.manufacturer || null, role: "part" });
  const alternates = join(dir, "alternates.csv");
  if (existsSync(alternates))
    for (const r of rowsOf(alternates))
      if (r.alt_mpn)
        refs.push({ mpn: r.alt_mpn, manufacturer: r.alt_manufacturer || null, role: "alternate" });
  return refs;
}
