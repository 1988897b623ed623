import { extractTextItems, getDocumentProxy } from "unpdf";

/**
 * PDF → plain text that keeps tables as tables. unpdf's own `extractText` joins a line's runs with
 * single spaces and drops empty cells, which destroys column structure; so lines are rebuilt from
 * the positioned text items instead: items grouped by baseline, sorted by x, and each item placed
 * at the character column its x position implies. Columns therefore line up across rows and stay
 * at least two spaces apart, which is what fixed-width table detection downstream relies on.
 */

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/** Baselines closer than this fraction of the font size are the same line (sub/superscripts, jitter). */
const SAME_LINE = 0.45;

function charWidth(items: Item[]): number {
  const widths = items
    .filter((i) => i.str.trim().length > 0 && i.width > 0)
    .map((i) => i.width / i.str.length)
    .sort((a, b) => a - b);
  // The median resists a few wide titles; 5 pt is a 10 pt Helvetica average when nothing is measurable.
  return widths.length ? widths[Math.floor(widths.length / 2)]! : 5;
}

function groupLines(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Item[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    const head = line?.[0];
    if (line && head && Math.abs(head.y - item.y) <= SAME_LINE * Math.max(head.fontSize, item.fontSize, 1)) {
      line.push(item);
    } else {
      lines.push([item]);
    }
  }
  for (const line of lines) line.sort((a, b) => a.x - b.x);
  return lines;
}

function renderLine(line: Item[], cw: number, left: number): string {
  let out = "";
  let prevEnd = Number.NEGATIVE_INFINITY;
  for (const item of line) {
    const text = item.str;
    if (!text.trim()) continue;
    const gap = item.x - prevEnd;
    if (out === "") {
      out = " ".repeat(Math.max(0, Math.round((item.x - left) / cw)));
    } else if (gap > cw * 1.2) {
      // A visible gap is a column break: go to the item's own column, never closer than two spaces.
      const column = Math.round((item.x - left) / cw);
      out += " ".repeat(Math.max(2, column - out.length));
    } else if (gap < -cw * 1.2) {
      // A run that starts well inside the one before is a run of its own whose predecessor's width
      // is overstated (a CJK font that gives Latin letters full width): keep them two spaces apart.
      out += "  ";
    } else if (gap > cw * 0.25 && !out.endsWith(" ") && !text.startsWith(" ")) {
      out += " ";
    }
    out += text;
    prevEnd = item.x + item.width;
  }
  return out.trimEnd();
}

/** Rebuilds the text of one page from positioned items (exported for tests of the layout rules). */
export function layoutPage(items: Item[]): string {
  const visible = items.filter((i) => i.str.length > 0);
  if (visible.length === 0) return "";
  const cw = charWidth(visible);
  const left = Math.min(...visible.filter((i) => i.str.trim()).map((i) => i.x));
  return groupLines(visible)
    .map((l) => renderLine(l, cw, left))
    .join("\n");
}

/** Text of every page, pages separated by a blank line. Throws pdf.js's error on a damaged file. */
export async function readPdfText(bytes: Uint8Array): Promise<string> {
  // pdf.js may transfer (detach) the buffer it is given; the caller's bytes stay intact.
  // verbosity 0: pdf.js would otherwise print recovery warnings ("Indexing all PDF objects") to stdout.
  const doc = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
  try {
    const { items } = await extractTextItems(doc);
    return items
      .map((page) => layoutPage(page))
      .filter((t) => t.trim() !== "")
      .join("\n\n");
  } finally {
    await doc.destroy();
  }
}
