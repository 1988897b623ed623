/**
 * Plain text (a text/plain body, a PDF's text, a forwarded message) into a Doc: ">" quoting is
 * peeled off and remembered as depth, forwards and replies become sections, and text tables are
 * cut out of the lines they were written in.
 */
import { type Block, type Doc, type LineBlock, sectionLines } from "./document.ts";
import { findTextTables } from "./text.tables.ts";

const QUOTE_PREFIX = /^((?:\s{0,3}>)+)\s?/;

/** Splits lines into runs of the same part and cuts the tables out of each run. */
export function linesToBlocks(lines: readonly LineBlock[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && lines[j]!.part === lines[i]!.part) j++;
    const run = lines.slice(i, j);
    const tables = findTextTables(run.map((l) => l.text));
    let k = 0;
    for (const t of tables) {
      out.push(...run.slice(k, t.start));
      out.push({
        kind: "table",
        rows: t.rows,
        part: run[t.start]!.part,
        line: run[t.start]!.line,
        layout: "text-table",
      });
      k = t.end;
    }
    out.push(...run.slice(k));
    i = j;
  }
  return out;
}

export function textToDoc(text: string, basePart = "text"): Doc {
  const raw = text.replace(/\r\n?/g, "\n").split("\n");
  const lines = raw.map((l, idx) => {
    const q = QUOTE_PREFIX.exec(l);
    const depth = q ? (q[1]!.match(/>/g) ?? []).length : 0;
    return { text: q ? l.slice(q[0].length) : l, depth, line: idx + 1 };
  });
  const { blocks, quotedSenders, quotedSubjects } = sectionLines(lines, basePart);
  return { blocks: linesToBlocks(blocks), quotedSenders, quotedSubjects };
}
