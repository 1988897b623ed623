/**
 * Replacements given in a table of their own, with no part column: a workbook's "Replacement"
 * sheet, a second PDF table "Recommended part no.", each row in the order of the parts table it
 * answers. Its cells pair with that table's rows in order, and only when the counts agree: a
 * column that cannot be lined up row for row says nothing about any one part.
 */
import { type Candidate, replacementOf } from "./candidate.ts";
import { rolesOfRow } from "./headers.ts";
import { mpnsInCell } from "./mpn.cell.ts";

/** A replacement column of a table without parts, its cells in row order; `pos` places the table. */
export interface ReplacementColumn {
  pos: number;
  cells: string[];
}

/** How many rows from the top its header may sit. */
const HEADER_SEARCH = 5;

/** The one replacement column of a table that has no part column, or null. */
export function replacementColumnOf(rows: readonly string[][], pos: number): ReplacementColumn | null {
  for (let h = 0; h < Math.min(HEADER_SEARCH, rows.length - 1); h++) {
    const { roles } = rolesOfRow(rows[h]!);
    if (roles.some((r) => r.role === "mpn")) return null;
    const cols = roles.flatMap((r, i) => (r.role === "replacement" ? [i] : []));
    if (cols.length !== 1) continue;
    const cells = rows.slice(h + 1).map((r) => (r[cols[0]!] ?? "").trim());
    // Most cells name a part; the rest say there is none ("-", "n/a").
    if (cells.filter((c) => mpnsInCell(c).length > 0).length * 2 < cells.length) return null;
    return { pos, cells };
  }
  return null;
}

/**
 * Gives the rows of the parts table right before each column (else right after it) their
 * replacements in order, when neither the table nor anything else has named one and the row
 * counts agree.
 */
export function pairReplacementColumns(
  candidates: readonly Candidate[],
  columns: readonly ReplacementColumn[],
): void {
  const tables = [...new Set(candidates.filter((c) => c.layout === "table").map((c) => c.pos))].sort(
    (a, b) => a - b,
  );
  for (const col of columns) {
    const pos = tables.filter((p) => p < col.pos).pop() ?? tables.find((p) => p > col.pos);
    if (pos === undefined) continue;
    // One row may name several parts ("A / B"): they share the row's line.
    const rows = new Map<number, Candidate[]>();
    for (const c of candidates)
      if (c.layout === "table" && c.pos === pos && c.line !== null)
        rows.set(c.line, [...(rows.get(c.line) ?? []), c]);
    const ordered = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, cs]) => cs);
    if (ordered.length !== col.cells.length || ordered.flat().some((c) => c.replacement !== undefined))
      continue;
    ordered.forEach((cs, i) => {
      const r = replacementOf(col.cells[i]!, (v) => mpnsInCell(v));
      for (const c of cs) c.replacement = r;
    });
  }
}
