/**
 * A Doc read into what the rules work on: its blocks flattened (parts tables stay tables, every
 * other table becomes "label: value" lines), the runs of lines between parts tables, the sentences
 * of those runs, the message-level facts ("label: value" lines, titles, prose dates) and the
 * digest section headings that name one maker. Positions (`pos`) index `flat` throughout.
 */
import { findManufacturerMentions } from "../parts/manufacturers.ts";
import type { Doc } from "./document.ts";
import { type Fact, factsOfLabel, proseDateFacts, titleNoticeId } from "./facts.ts";
import { internalColumns, orderBy } from "./headers.ts";
import { type PosLine, posLine } from "./parts.lists.ts";
import type { PosSentence } from "./parts.prose.ts";
import { findPartsTable, type PartsTable, tableAsLines } from "./parts.table.ts";
import { type ReplacementColumn, replacementColumnOf } from "./replacements.column.ts";
import { kindsInSentence, sentencesOf } from "./signals.ts";

export type Flat =
  | { kind: "line"; text: string; part: string; line: number }
  | { kind: "parts"; rows: string[][]; table: PartsTable; part: string; line: number };

/** A section heading of a digest that names exactly one maker. */
export interface Heading {
  pos: number;
  name: string;
}

export interface MessageText {
  flat: Flat[];
  /** Runs of lines between parts tables. */
  runs: PosLine[][];
  /** Every line of every run, in order. */
  lines: PosLine[];
  sentences: PosSentence[];
  facts: Fact[];
  headings: Heading[];
  /** Replacement columns of tables that have no part column (a workbook's second sheet). */
  replacementColumns: ReplacementColumn[];
}

/** A numbered or lettered section heading of a digest ("2) Bourns – End of Life", "B. Toshiba"). */
const HEADING = /^\s*(?:\d{1,2}[.)]|[A-Z][.)]|#{1,3}|\[\d{1,2}\])\s+\S.{0,78}$/;

/** A cell of a laid-out line that opens with a label ("Part: TGHGCR0100FE", "PCN No.: PCN-2026-041"). */
const LABEL_CELL = /^\p{L}[\p{L}\d .#/'()-]{0,30}?[:：]\s*\S/u;
/** The gap between cells of a laid-out line: two spaces or a tab. */
const CELL_GAP = / {2,}|\t+/;

/**
 * A line that lays out several labels side by side ("Manufacturer: Ohmite      Part: TGHGCR0100FE
 * (our code 206713)", "Issue date: 2026/09/08      Effective date: 2026/12/07") as one line per
 * label: each label's value is its own, and what follows it without a label goes with it.
 */
export function splitLabelCells(text: string): string[] {
  if (!CELL_GAP.test(text.trim())) return [text];
  const cells = text.trim().split(CELL_GAP);
  if (cells.filter((c) => LABEL_CELL.test(c)).length < 2) return [text];
  const out: string[] = [];
  for (const c of cells) {
    if (LABEL_CELL.test(c) || out.length === 0) out.push(c);
    else out[out.length - 1] += `  ${c}`;
  }
  return out;
}

/** Parts tables stay tables; every other table becomes "label: value" lines. */
function flatten(doc: Doc): { flat: Flat[]; replacementColumns: ReplacementColumn[] } {
  const out: Flat[] = [];
  const replacementColumns: ReplacementColumn[] = [];
  const text = doc.blocks
    .filter((b) => b.kind === "line")
    .map((b) => b.text)
    .join(" ");
  const internal = internalColumns(text);
  const order = orderBy(text);
  for (const b of doc.blocks) {
    if (b.kind === "line") {
      for (const text of splitLabelCells(b.text)) out.push(text === b.text ? b : { ...b, text });
      continue;
    }
    const table = findPartsTable(b.rows, internal, order);
    if (table) {
      // Rows above the header ("Notice | RBC-EOL-9", "Last order date | 2026-12-25") are the
      // table's own label lines: facts for the rows below, as such lines are in a text body.
      for (const text of tableAsLines(b.rows.slice(0, table.header)))
        if (text.trim()) out.push({ kind: "line", text, part: b.part, line: b.line });
      out.push({ kind: "parts", rows: b.rows, table, part: b.part, line: b.line });
    } else {
      const col = replacementColumnOf(b.rows, out.length);
      if (col) replacementColumns.push(col);
      for (const text of tableAsLines(b.rows)) out.push({ kind: "line", text, part: b.part, line: b.line });
      out.push({ kind: "line", text: "", part: b.part, line: b.line });
    }
  }
  return { flat: out, replacementColumns };
}

/** Runs of lines between parts tables, each line with its position. */
function lineRuns(flat: readonly Flat[]): PosLine[][] {
  const runs: PosLine[][] = [[]];
  flat.forEach((f, pos) => {
    if (f.kind === "parts") runs.push([]);
    else runs[runs.length - 1]!.push(posLine(f.text, pos, f.part, f.line));
  });
  return runs.filter((r) => r.length > 0);
}

/** Sentences of each paragraph of each run; a sentence takes the position of its paragraph's first line. */
function sentencesOfRuns(runs: readonly PosLine[][]): PosSentence[] {
  const out: PosSentence[] = [];
  for (const run of runs) {
    let para: PosLine[] = [];
    const flush = () => {
      if (para.length === 0) return;
      const first = para[0]!;
      for (const text of sentencesOf(para.map((l) => l.text)))
        out.push({ text, pos: first.pos, part: first.part, line: first.line, kinds: kindsInSentence(text) });
      para = [];
    };
    for (const l of run) {
      if (!l.text.trim()) flush();
      else para.push(l);
    }
    flush();
  }
  return out;
}

/** Facts from "label: value" lines and notice titles; headings from lines that are neither. */
function labelledFacts(lines: readonly PosLine[]): { facts: Fact[]; headings: Heading[] } {
  const facts: Fact[] = [];
  const headings: Heading[] = [];
  for (const l of lines) {
    const kv = l.kv;
    const title = kv || l.text.length > 100 ? null : titleNoticeId(l.text);
    if (kv) facts.push(...factsOfLabel(kv.label, kv.value, l.pos));
    else if (title) {
      facts.push({ kind: "pcn", value: title, vague: null, pos: l.pos, rank: "label" });
    } else if (HEADING.test(l.text)) {
      const names = new Set(findManufacturerMentions(l.text).map((m) => m.name));
      if (names.size === 1) headings.push({ pos: l.pos, name: [...names][0]! });
    }
  }
  return { facts, headings };
}

export function readMessage(doc: Doc): MessageText {
  const { flat, replacementColumns } = flatten(doc);
  const runs = lineRuns(flat);
  const lines = runs.flat();
  const { facts, headings } = labelledFacts(lines);
  const sentences = sentencesOfRuns(runs);
  for (const s of sentences) facts.push(...proseDateFacts(s.text, s.pos));
  return { flat, runs, lines, sentences, facts, headings, replacementColumns };
}
