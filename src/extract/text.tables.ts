/**
 * Tables written in plain text: fixed-width columns (with or without a dashed rule under the
 * header), pipe tables and tab-separated lines. Cells are cut at the column starts the header (or
 * its rule) sets, so a cell may hold single spaces ("SO PwrPAD", "40-Lead PDIP") but two spaces
 * always separate columns.
 */
import { findDates } from "./dates.ts";
import { roleOfHeader, rolesOfRow } from "./headers.ts";
import { mpnsInCell } from "./mpn.cell.ts";
import { kindOfLabel } from "./signals.ts";

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
const GAP = /\S(?: {2,}|\t)\s*\S/;

interface Chunk {
  text: string;
  start: number;
}

/** East Asian wide characters (CJK, kana, Hangul, full-width forms) take two columns on screen. */
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;

/** Chunks of a line with their display column: tables line up on screen, not by character count. */
function chunks(line: string): Chunk[] {
  const text = line.replace(/\t/g, "  ");
  const out: Chunk[] = [];
  let col = 0;
  let at = 0;
  for (const m of text.matchAll(CHUNK)) {
    for (; at < m.index; at++) col += WIDE.test(text[at]!) ? 2 : 1;
    out.push({ text: m[0], start: col });
  }
  return out;
}

/** Starts of the dash groups of a rule line. */
function ruleStarts(rule: string): number[] {
  return [...rule.matchAll(/[-=_~]{2,}/g)].map((m) => m.index);
}

/**
 * Places each chunk in the column whose start is the last one at or before it (with a little slack).
 * A line with one chunk per column fills them in order, however far its columns drift (wide
 * characters and ideographic spaces rarely line up to the column).
 */
function cut(line: string, starts: readonly number[]): string[] {
  const cs = chunks(line);
  if (cs.length === starts.length && cs.length > 1) return cs.map((c) => c.text);
  const cells = starts.map(() => "");
  for (const c of cs) {
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
    // A header without a rule has at least two chunks, so a gap of two spaces or a tab.
    if (taken[i] || !GAP.test(lines[i]!)) continue;
    const cs = chunks(lines[i]!);
    if (cs.length < 2 || cs.some((c) => c.text.length > 40)) continue;
    // "Type | Successor": a maker's list whose part column is headed "Type" (the cells decide later).
    const { roles, isPartsHeader } = rolesOfRow(cs.map((c) => c.text));
    const typed =
      cs.some((c) => /^(?:type|typ)$/i.test(c.text.trim())) &&
      roles.some((r) => r.role === "replacement" || r.role === "ltb" || r.role === "lts");
    if (!isPartsHeader && !typed) continue;
    const starts = cs.map((c) => c.start);
    let end = dataLines(lines, i + 1, starts);
    // The table ends at the first line that is not cut into columns (a label or a sentence after it).
    const single = lines.slice(i + 1, end).findIndex((l) => chunks(l).length < 2);
    if (single >= 0) end = i + 1 + single;
    const body = lines.slice(i + 1, end);
    if (body.length === 0) continue;
    for (let k = i; k < end; k++) taken[k] = true;
    out.push({ start: i, end, rows: [cs.map((c) => c.text), ...body.map((l) => cut(l, starts))] });
  }
  return out;
}

function delimitedTables(lines: readonly string[], taken: boolean[], sep: "|" | "\t"): TextTable[] {
  const out: TextTable[] = [];
  // A rule under a pipe header may cross its columns with "+" and hold no pipe ("----+----").
  const isRow = (l: string) =>
    sep === "|"
      ? (l.match(/\|/g) ?? []).length >= 2 || (/\+/.test(l) && /-{3}/.test(l) && PIPE_RULE.test(l))
      : l.includes("\t");
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

const SPACED_HEADER_HINT =
  /\b(?:part|p\/n|pn|mpn|opn|device|product|item|article|type|model|ordering|catalog)\b/i;

/** Every way to cut `n` words into `k` runs of consecutive words (k−1 cut points). */
function* cutsOf(n: number, k: number, from = 1): Generator<number[]> {
  if (k === 1) {
    yield [];
    return;
  }
  for (let c = from; c <= n - k + 1; c++) for (const rest of cutsOf(n, k - 1, c + 1)) yield [c, ...rest];
}

/** How well a header words group fits the cells under it: positive when its role and its cells agree. */
function columnFit(header: string, cells: readonly string[]): { score: number; mpn: boolean } {
  const { role, strength } = roleOfHeader(header);
  const share = (ok: (c: string) => boolean) => cells.filter(ok).length / cells.length;
  switch (role) {
    case "mpn": {
      const agree = share((c) => mpnsInCell(c).length > 0) >= 0.8;
      return { score: agree ? 1 + strength : -2, mpn: agree };
    }
    case "replacement":
      return { score: share((c) => mpnsInCell(c).length > 0) >= 0.5 ? 2 : -2, mpn: false };
    case "ltb":
    case "lts":
      return { score: share((c) => findDates(c).length > 0) >= 0.5 ? 2 : -2, mpn: false };
    case "status":
      return { score: share((c) => kindOfLabel(c) !== null) >= 0.5 ? 2 : -2, mpn: false };
    default:
      return { score: 0, mpn: false };
  }
}

/**
 * Tables whose columns are one space apart, as PDF-to-text tools and some mailers write them
 * ("No. Part No. Package Replacement" over "1 BD9E301EFJ-E2 HTSOP-J8 BD9E302EFJ-E2"). Every data line
 * has the same number of words; the header's words are grouped into that many columns in the way
 * whose headers best agree with the cells under them, and a part column must be among them.
 */
function singleSpacedTables(lines: readonly string[], taken: boolean[]): TextTable[] {
  const out: TextTable[] = [];
  for (let i = 0; i < lines.length - 2; i++) {
    const head = lines[i]!.trim();
    if (taken[i] || !head || head.length > 100 || /\s{2,}|\t/.test(head) || !SPACED_HEADER_HINT.test(head))
      continue;
    const words = head.split(" ");
    if (words.length < 2 || words.length > 12) continue;
    let end = i + 1;
    let width = 0;
    const data: string[][] = [];
    for (; end < lines.length; end++) {
      const t = lines[end]!.trim();
      if (!t || taken[end] || /\s{2,}|\t/.test(t)) break;
      const cells = t.split(" ");
      if (width && cells.length !== width) break;
      width = cells.length;
      data.push(cells);
    }
    if (data.length < 2 || width < 2 || width > words.length) continue;
    let best: { score: number; header: string[] } | null = null;
    for (const cuts of cutsOf(words.length, width)) {
      const bounds = [0, ...cuts, words.length];
      const header = bounds.slice(0, -1).map((b, c) => words.slice(b, bounds[c + 1]).join(" "));
      const fits = header.map((h, c) =>
        columnFit(
          h,
          data.map((r) => r[c]!),
        ),
      );
      if (!fits.some((f) => f.mpn)) continue;
      const score = fits.reduce((sum, f) => sum + f.score, 0);
      if (!best || score > best.score) best = { score, header };
    }
    if (!best || best.score <= 0) continue;
    for (let k = i; k < end; k++) taken[k] = true;
    out.push({ start: i, end, rows: [best.header, ...data] });
    i = end - 1;
  }
  return out;
}

/** Every table in a run of lines, in order, without overlaps. */
export function findTextTables(raw: readonly string[]): TextTable[] {
  // An ideographic space is as wide as two spaces, and Japanese notices align columns with it.
  const lines = raw.map((l) => l.replace(/\u3000/g, "  "));
  const taken = lines.map(() => false);
  const found = [
    ...delimitedTables(lines, taken, "|"),
    ...delimitedTables(lines, taken, "\t"),
    ...fixedWidthTables(lines, taken),
    ...headerOnlyTables(lines, taken),
    ...singleSpacedTables(lines, taken),
  ];
  return found.sort((a, b) => a.start - b.start);
}
