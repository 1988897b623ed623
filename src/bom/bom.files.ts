import { createReadStream, existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { BomSource, BomSources } from "./bom.csv.ts";
import { BOM_FILES, type BomFile } from "./bom.rows.ts";

/** BOM import sources from files on disk (the CLI, the demo, tests and the benchmark). */
export function fileSource(path: string): BomSource {
  return { name: basename(path), open: () => createReadStream(path) };
}

export function bomSourcesFromPaths(paths: Partial<Record<BomFile, string>>): BomSources {
  const out: BomSources = {};
  for (const f of BOM_FILES) {
    const p = paths[f];
    if (p) out[f] = fileSource(p);
  }
  return out;
}

/** The `<kind>.csv` files present in a folder (assemblies.csv, parts.csv, bom.csv, alternates.csv). */
export function bomSourcesFromDir(dir: string): BomSources {
  const paths: Partial<Record<BomFile, string>> = {};
  for (const f of BOM_FILES) {
    const p = join(dir, `${f}.csv`);
    if (existsSync(p)) paths[f] = p;
  }
  return bomSourcesFromPaths(paths);
}
