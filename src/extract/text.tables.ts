/**
 * Tables written in plain text: fixed-width columns (with or without a dashed rule under the
 * header), pipe tables and tab-separated lines. Cells are cut at the column starts the header (or
 * its rule) sets, so a cell may hold single spaces ("SO PwrPAD", "40-Lead PDIP") but two spaces
 * always separate columns.
 */
import { rolesOfRow } from "./headers.ts";

export interface TextTable {
  /** Index of the first line of the table (its header) in the input. */
  start: number;
  /** Index after the last line. */
  end: number;
  rows: string[][];
}

const RULE = /^\s*[-=_~]{2,}(?:[\s+|]+[-=_~]{2,})+\s*$/;
const PIPE_RULE = /^[\s|:+=-]+$/;
const CHUNK = /\S+(?: \S+)*/g;

interface Chunk {
  text: string;
  start: number;
}

function chunks(line: string): Chunk[] {
  return [...line.replace(/\t/g, "  ").matchAll(CHUNK)].map((m) => ({ text: m[0], start: m.index }));
}

/** Starts of the dash groups of a rule line. */
function ruleStarts(rule: string): number[] {
  return [...rule.matchAll(/[-=_~]{2,}/g)].map((m) => m.index);
}

/** Places each chunk in the column whose start is the last one at or before it (with a little slack). */
function cut(line: string, starts: readonly number[]): string[] {
  const cells = starts.map(() => "");
  for (const c of chunks(line)) {
    let col = 0;
    for (let j = 0; j < starts.length; j++) if (starts[j]! <= c.start + 2) col = j;
    cells[col] = cells[col] ? `${cells[col]} ${c.text}` : c.text;
  }
  return cells;
}

/** Data lines of a fixed-width table: up to a blank line or a line of running prose. */
function dataLines(lines: readonly string[], from: number, starts: readonly number[]): number {
  let i = from;
  const indent = starts[0] ?? 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || RULE.test(line)) break;
    const cs = chunks(line);
    const lead = line.search(/\S/);
    // A sentence that starts left of the table and runs as one chunk is prose after the table.
    if (cs.length === 1 && lead < indent - 1 && line.trim().length > 40) break;
    if (cs.length === 1 && line.trim().length > 60) break;
  }
  return i;
}

function isHeaderContinuation(line: string, starts: readonly number[]): boolean {
  const cs = chunks(line);
  return (
    cs.length >= 2 &&
    cs.every((c) => c.text.length <= 30 && starts.some((s) => Math.abs(s - c.start) <= 1)) &&
    !RULE.test(line)
  );
}

function fixedWidthTables(lines: readonly string[], taken: boolean[]): TextTable[] {
  const out: TextTable[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (taken[i] || !RULE.test(lines[i]!)) continue;
    const header = lines[i - 1]!;
    if (!header.trim() || taken[i - 1]) continue;
    const starts = ruleStarts(lines[i]!);
    const end = dataLines(lines, i + 1, starts);
    if (end === i + 1) continue;
    // A header may wrap onto two lines ("Last Time" over "Buy Date"): the line above joins it when
    // each of its chunks starts at a column.
    const above = i >= 2 && !taken[i - 2] ? lines[i - 2]! : "";
    const wraps = isHeaderContinuation(above, starts);
    const head = cut(header, starts);
    const top = wraps ? cut(above, starts).map((c, k) => `${c} ${head[k]}`.trim()) : head;
    const first = wraps ? i - 2 : i - 1;
    const rows = [top, ...lines.slice(i + 1, end).map((l) => cut(l, starts))];
    for (let k = first; k < end; k++) taken[k] = true;
    out.push({ start: first, end, rows });
  }
  return out;
}

/** A header line of a parts table with no rule under it: its chunks are the column starts. */
function headerOnlyTables(lines: readonly string[], taken: boolean[]): TextTable[] {
  const out: TextTable[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    if (taken[i]) continue;
    const cs = chunks(lines[i]!);
    if (cs.length < 2 || cs.some((c) => c.text.length > 40)) continue;
    if (!rolesOfRow(cs.map((c) => c.text)).isPartsHeader) continue;
    const starts = cs.map((c) => c.start);
    const end = dataLines(lines, i + 1, starts);
    const body = lines.slice(i + 1, end);
    if (body.length === 0 || body.some((l) => chunks(l).length < 2)) continue;
    for (let k = i; k < end; k++) taken[k] = true;
    out.push({ start: i, end, rows: [cs.map((c) => c.text), ...body.map((l) => cut(l, starts))] });
  }
  return out;
}

function delimitedTables(lines: readonly string[], taken: boolean[], sep: "|" | "\t"): TextTable[] {
  const out: TextTable[] = [];
  const isRow = (l: string) => (sep === "|" ? (l.match(/\|/g) ?? []).length >= 2 : l.includes("\t"));
  for (let i = 0; i < lines.length; i++) {
    if (taken[i] || !isRow(lines[i]!)) continue;
    let end = i;
    while (end < lines.length && !taken[end] && isRow(lines[end]!)) end++;
    if (end - i < 2) continue;
    const rows: string[][] = [];
    for (const l of lines.slice(i, end)) {
      if (sep === "|" && PIPE_RULE.test(l)) continue;
      let cells = l.split(sep).map((c) => c.trim());
      if (sep === "|")
        cells = cells.slice(l.trim().startsWith("|") ? 1 : 0, l.trim().endsWith("|") ? -1 : undefined);
      rows.push(cells);
    }
    for (let k = i; k < end; k++) taken[k] = true;
    out.push({ start: i, end, rows });
    i = end - 1;
  }
  return out;
}

/** Every table in a run of lines, in order, without overlaps. */
export function findTextTables(lines: readonly string[]): TextTable[] {
  const taken = lines.map(() => false);
  const found = [
    ...delimitedTables(lines, taken, "|"),
    ...delimitedTables(lines, taken, "\t"),
    ...fixedWidthTables(lines, taken),
    ...headerOnlyTables(lines, taken),
  ];
  return found.sort((a, b) => a.start - b.start);
}
