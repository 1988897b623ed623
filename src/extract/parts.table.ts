/**
 * Parts tables, whatever they were written in (text, HTML, CSV, a spreadsheet): find the header
 * row by meaning, pick the part column whose header and cells agree, and read each row's own
 * replacement, dates, status, maker and notice ID. A table without a part column is not lost: it
 * is handed back as "label: value" lines (a dates table, a header block laid out as a table).
 */
import { type Candidate, replacementOf } from "./candidate.ts";
import { findDates, vagueDate } from "./dates.ts";
import { cleanNoticeId, proseDateFacts } from "./facts.ts";
import { type HeaderRole, normalizeHeader, ORDERING_CODE, type OrderBy, rolesOfRow } from "./headers.ts";
import { firstPartIn, mpnsInCell, orderingCode } from "./mpn.cell.ts";
import { decideKind, kindOfLabel } from "./signals.ts";

export interface PartsTable {
  header: number;
  roles: HeaderRole[];
  mpnCol: number;
}

const ACTIVE_ONLY = /^\s*(?:active|production|in production|prod|mass production|available)\s*$/i;

/** How many rows from the top a header may sit (title rows, a blank row, a merged banner). */
const HEADER_SEARCH = 5;

/**
 * The header row and part column of a parts table, or null when the table has no part column.
 * `internal` names columns the message says hold the maker's internal numbers (headers.internalColumns).
 */
export function findPartsTable(
  rows: readonly string[][],
  internal: readonly string[] = [],
  order: OrderBy = null,
): PartsTable | null {
  for (let h = 0; h < Math.min(HEADER_SEARCH, rows.length - 1); h++) {
    // A banner spread over the whole width by colspan ("Affected products" ×5) is a title, not a header.
    const filled = rows[h]!.filter((c) => c.trim());
    if (filled.length > 1 && new Set(filled).size === 1) continue;
    const read = rolesOfRow(rows[h]!, internal);
    const body = rows.slice(h + 1);
    const roles = read.roles.map((r, col) => typeColumn(rows[h]![col] ?? "", r, body, col));
    if (!read.isPartsHeader && !roles.some((r) => r.role === "mpn")) continue;
    const usable: { col: number; strength: number; ratio: number }[] = [];
    roles.forEach((r, col) => {
      if (r.role !== "mpn") return;
      const cells = body.map((row) => row[col] ?? "").filter((c) => c.trim());
      if (cells.length === 0) return;
      const whole = ORDERING_CODE.test(normalizeHeader(rows[h]![col] ?? ""));
      const ratio =
        cells.filter((c) => (whole && orderingCode(c)) || mpnsInCell(c).length > 0).length / cells.length;
      if (ratio >= 0.5) usable.push({ col, strength: r.strength, ratio });
    });
    let best = usable[0];
    for (const u of usable.slice(1))
      if (u.strength > best!.strength || (u.strength === best!.strength && u.ratio > best!.ratio)) best = u;
    if (!best) continue;
    // A type name and a catalogue number side by side ("Typ | Artikel-Nr."): the name is the part
    // customers and BOMs use, unless the message says to order by the number.
    const numeric = (col: number) => body.every((row) => !/\p{L}/u.test(row[col] ?? ""));
    const named = usable.filter((u) => !numeric(u.col));
    if (order === "number") best = usable.find((u) => numeric(u.col)) ?? best;
    else if (numeric(best.col) && named.length > 0) best = named[0]!;
    // A column whose cells extend the chosen one's ("XC7A35T" → "XC7A35T-1CPG236C") holds the
    // orderable parts; the shorter one names the device or family.
    const longer = usable.find((u) => u.col !== best!.col && extends_(body, best!.col, u.col));
    return { header: h, roles, mpnCol: (longer ?? best).col };
  }
  return null;
}

/**
 * "Type" names a notice type in a digest ("PCN", "EOL") and a part in a maker's list ("8412 N/2GH"):
 * the cells decide. A "Type" column of parts is a part column.
 */
function typeColumn(header: string, role: HeaderRole, body: readonly string[][], col: number): HeaderRole {
  if (role.role !== "status" || !/^(?:type|typ|types)$/i.test(header.trim())) return role;
  const cells = body.map((row) => row[col] ?? "").filter((c) => c.trim());
  const parts = cells.filter((c) => mpnsInCell(c).length > 0 && kindOfLabel(c) === null).length;
  return cells.length > 0 && parts * 2 > cells.length ? { role: "mpn", strength: 1 } : role;
}

/** Whether most rows' cell in column `b` starts with, and is longer than, their cell in column `a`. */
function extends_(body: readonly string[][], a: number, b: number): boolean {
  let yes = 0;
  let rowsWithBoth = 0;
  for (const row of body) {
    const x = (row[a] ?? "").trim().toUpperCase();
    const y = (row[b] ?? "").trim().toUpperCase();
    if (!x || !y) continue;
    rowsWithBoth++;
    if (y.length > x.length && y.startsWith(x)) yes++;
  }
  return rowsWithBoth > 0 && yes / rowsWithBoth >= 0.8;
}

function stated(cell: string | undefined): { iso: string | null; vague: ReturnType<typeof vagueDate> } {
  const text = cell ?? "";
  const dates = findDates(text);
  return { iso: dates[dates.length - 1]?.iso ?? null, vague: dates.length ? null : vagueDate(text) };
}

/** The candidates of a parts table; `pos`, `part` and `line` place them in the message. */
export function readPartsTable(
  rows: readonly string[][],
  t: PartsTable,
  at: { pos: number; part: string; line: number },
): Candidate[] {
  const out: Candidate[] = [];
  // Of two date columns of one role ("Original LTB | Revised LTB"), the revised one holds the date.
  const colOf = (role: HeaderRole["role"]) => {
    const cols = t.roles.flatMap((r, i) => (r.role === role ? [i] : []));
    const header = rows[t.header]!;
    return (
      cols.find((i) => REVISED.test(header[i] ?? "") && !ORIGINAL.test(header[i] ?? "")) ?? cols[0] ?? -1
    );
  };
  const repCol = colOf("replacement");
  const ltbCol = colOf("ltb");
  const ltsCol = colOf("lts");
  const datesCol = colOf("dates");
  // A digest may state a row's event and its new status apart ("PCN" | "Active", "Status change" |
  // "NRND"): the strongest kind of them is the row's, and it is "active only" when none says more.
  const statusCols = t.roles.flatMap((r, i) => (r.role === "status" ? [i] : []));
  const makerCol = colOf("maker");
  const noticeCol = colOf("notice");
  const headerKind = kindOfLabel(rows[t.header]![t.mpnCol] ?? "");
  const orderable = ORDERING_CODE.test(normalizeHeader(rows[t.header]![t.mpnCol] ?? ""));
  const strength = t.roles[t.mpnCol]!.strength;
  for (let r = t.header + 1; r < rows.length; r++) {
    const row = rows[r]!;
    // A repeated header (a page break in a PDF or spreadsheet) holds no part number, so yields nothing.
    const cell = row[t.mpnCol] ?? "";
    const whole = orderable ? orderingCode(cell) : null;
    for (const mpn of whole ? [whole] : mpnsInCell(cell)) {
      const c: Candidate = {
        mpn,
        pos: at.pos,
        part: at.part,
        layout: "table",
        line: at.line + (r - t.header),
        headerKind,
        strength,
      };
      // A replacement cell may say more than the part ("Successor HX83102-E; supply continues").
      if (repCol >= 0)
        c.replacement = replacementOf(row[repCol] ?? "", (v) => {
          const code = orderable ? orderingCode(v) : null;
          if (code) return [code];
          const parts = mpnsInCell(v);
          return parts.length ? parts : firstPartIn(v);
        });
      if (ltbCol >= 0) c.ltb = stated(row[ltbCol]);
      if (ltsCol >= 0) c.lts = stated(row[ltsCol]);
      if (datesCol >= 0)
        for (const f of proseDateFacts(row[datesCol] ?? "", at.pos)) {
          if (f.kind === "ltb") c.ltb ??= { iso: f.value, vague: f.vague };
          else c.lts ??= { iso: f.value, vague: f.vague };
        }
      if (statusCols.length) {
        const cells = statusCols.map((i) => row[i] ?? "").filter((v) => v.trim());
        c.kind = decideKind(cells.map(kindOfLabel).filter((k) => k !== null));
        if (cells.length && cells.every((v) => ACTIVE_ONLY.test(v))) c.activeOnly = true;
      }
      if (makerCol >= 0 && row[makerCol]?.trim()) c.maker = row[makerCol]!.trim();
      if (noticeCol >= 0) c.pcn = cleanNoticeId(row[noticeCol] ?? "");
      out.push(c);
    }
  }
  return out;
}

const REVISED = /\b(?:revised|new|current|updated|extended|amended|rev\.?\s*[1-9])\b/i;
const ORIGINAL = /\b(?:original|old|previous|initial|superseded|rev\.?\s*0)\b/i;

/**
 * A table that holds no parts, as "label: value" lines. When its header has an original and a
 * revised column ("Original (Rev.0) | Revised (Rev.1)"), only the revised value is kept.
 */
export function tableAsLines(rows: readonly string[][]): string[] {
  const head = rows[0] ?? [];
  const revisedCol = head.findIndex((c, i) => i > 0 && REVISED.test(c));
  const hasOriginal = head.some((c, i) => i > 0 && ORIGINAL.test(c));
  return rows.map((row, r) => {
    const cells = row.map((c) => c.replace(/\s*\n\s*/g, " ").trim());
    const label = cells[0] ?? "";
    const rest =
      r > 0 && revisedCol > 0 && hasOriginal
        ? (cells[revisedCol] ?? "")
        : cells.slice(1).filter(Boolean).join("  ");
    if (!rest) return label;
    return label ? `${label.replace(/:\s*$/, "")}: ${rest}` : rest;
  });
}
