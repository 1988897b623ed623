import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { type BomFile, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, type RowResult } from "./bom.rows.ts";

/**
 * Reading one BOM file (DESIGN §7): a CSV stream into validated rows with their line numbers. The
 * header is checked by name; a row with the wrong number of cells is a row error. A CSV syntax error
 * (an unclosed quote) ends the file, since nothing after it can be trusted to be split right.
 * Problems are reported through `fail` (file name, line, reason); the rows that pass are yielded.
 */
export interface BomSource {
  /** Shown in errors: the file name as the user gave it. */
  name: string;
  open: () => Readable;
}
export type BomSources = Partial<Record<BomFile, BomSource>>;

export type RowFailure = (file: string, line: number | null, reason: string) => void;

export async function* readBomRows<T>(
  file: BomFile,
  src: BomSource,
  parseRow: (r: Record<string, string>) => RowResult<T>,
  fail: RowFailure,
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
        if (missing.length > 0) fail(src.name, line, `missing column(s): ${missing.join(", ")}`);
        if (unknown.length > 0) {
          fail(src.name, line, `unknown column(s): ${unknown.join(", ")} (expected ${[...known].join(",")})`);
        }
        if (missing.length > 0 || unknown.length > 0) return;
        continue;
      }
      seen++;
      if (rec.record.length !== header.length) {
        fail(src.name, line, `${rec.record.length} cells where the header has ${header.length}`);
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((h, i) => {
        fields[h] = rec.record[i]!;
      });
      const r = parseRow(fields);
      if (r.kind === "invalid") fail(src.name, line, r.reason);
      else yield { row: r.row, line };
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const at = (err as CsvError & { lines?: number }).lines;
    fail(src.name, typeof at === "number" ? at : null, `CSV: ${err.message}`);
    return;
  } finally {
    parser.destroy();
  }
  if (header === null || seen === 0) fail(src.name, null, "no rows (a header and at least one row expected)");
}
