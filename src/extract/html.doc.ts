/**
 * HTML into a Doc. Data tables keep their cells (rowspan and colspan expanded into a full grid);
 * layout tables (tables holding tables) are read as containers. Block elements and <br> end lines,
 * list items become "- " lines, <blockquote> raises the quote depth, and struck-through text
 * (<s>, <del>, <strike>) is dropped, because notices strike out superseded dates.
 */
import { HTMLElement, type Node, parse, TextNode } from "node-html-parser";
import { type Block, type Doc, type LineBlock, sectionLines } from "./document.ts";
import { linesToBlocks } from "./text.doc.ts";

const SKIP = new Set(["head", "style", "script", "title", "s", "del", "strike", "noscript", "template"]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "hr",
  "center",
  "address",
  "form",
  "body",
  "html",
]);

/** Elements after which plain text would have a blank line. */
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "hr", "blockquote"]);

type Item =
  | { kind: "line"; text: string; depth: number }
  | { kind: "table"; rows: string[][]; depth: number };

class Walker {
  readonly items: Item[] = [];
  private buf = "";
  private depth = 0;

  flush(): void {
    const text = this.buf.replace(/[ \t\u00a0]+/g, " ").trim();
    this.buf = "";
    if (text && text !== "-") this.items.push({ kind: "line", text, depth: this.depth });
  }

  /** A blank line, once: paragraphs, lists and tables end with one, as in plain text. */
  paragraphBreak(): void {
    this.flush();
    const last = this.items[this.items.length - 1];
    if (last && !(last.kind === "line" && last.text === ""))
      this.items.push({ kind: "line", text: "", depth: this.depth });
  }

  walk(node: Node): void {
    if (node instanceof TextNode) {
      this.buf += node.text.replace(/\s+/g, " ");
      return;
    }
    if (!(node instanceof HTMLElement)) return;
    const tag = node.rawTagName?.toLowerCase() ?? "";
    if (SKIP.has(tag)) return;
    if (tag === "br") {
      if (this.buf.trim()) this.flush();
      else this.paragraphBreak();
      return;
    }
    if (tag === "pre") {
      this.flush();
      for (const l of node.text.replace(/\r\n?/g, "\n").split("\n"))
        this.items.push({ kind: "line", text: l, depth: this.depth });
      return;
    }
    if (tag === "table") {
      this.flush();
      if (node.querySelector("table")) {
        // A layout table: its cells are containers of ordinary content (and of the data tables).
        for (const tr of directRows(node)) {
          for (const cell of tr.childNodes) {
            if (!(cell instanceof HTMLElement)) continue;
            this.walkChildren(cell);
            this.flush();
          }
        }
        return;
      }
      const rows = gridOf(node);
      if (rows.length) this.items.push({ kind: "table", rows, depth: this.depth });
      this.paragraphBreak();
      return;
    }
    if (tag === "blockquote") {
      this.flush();
      this.depth++;
      this.walkChildren(node);
      this.paragraphBreak();
      this.depth--;
      return;
    }
    if (tag === "li") {
      this.flush();
      this.buf = "- ";
      this.walkChildren(node);
      this.flush();
      return;
    }
    const block = BLOCK.has(tag) || tag === "tr";
    if (block) this.flush();
    this.walkChildren(node);
    if (PARAGRAPH.has(tag)) this.paragraphBreak();
    else if (block) this.flush();
  }

  private walkChildren(node: HTMLElement): void {
    for (const child of node.childNodes) this.walk(child);
  }
}

/** The rows of a table itself, not of tables nested in its cells. */
function directRows(table: HTMLElement): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const child of table.childNodes) {
    if (!(child instanceof HTMLElement)) continue;
    const tag = child.rawTagName.toLowerCase();
    if (tag === "tr") out.push(child);
    else if (tag === "tbody" || tag === "thead" || tag === "tfoot") out.push(...directRows(child));
  }
  return out;
}

/** Text of a table cell: <br> and block children become line breaks; struck text is dropped. */
function cellText(cell: HTMLElement): string {
  const w = new Walker();
  for (const child of cell.childNodes) w.walk(child);
  w.flush();
  return w.items
    .filter((i): i is Extract<Item, { kind: "line" }> => i.kind === "line")
    .map((i) => i.text)
    .filter(Boolean)
    .join("\n");
}

/** The table as a full grid: a cell spanning rows or columns is repeated in every slot it covers. */
export function gridOf(table: HTMLElement): string[][] {
  const grid: string[][] = [];
  const trs = table.querySelectorAll("tr");
  trs.forEach((tr, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const cell of tr.childNodes) {
      if (!(cell instanceof HTMLElement)) continue;
      const tag = cell.rawTagName.toLowerCase();
      if (tag !== "td" && tag !== "th") continue;
      while (grid[r]![c] !== undefined) c++;
      const text = cellText(cell);
      const colspan = Math.min(Math.max(1, Number(cell.getAttribute("colspan") ?? 1) || 1), 50);
      const rowspan = Math.min(Math.max(1, Number(cell.getAttribute("rowspan") ?? 1) || 1), 500);
      for (let dr = 0; dr < rowspan; dr++) {
        grid[r + dr] ??= [];
        const row = grid[r + dr]!;
        for (let dc = 0; dc < colspan; dc++) row[c + dc] = text;
      }
      c += colspan;
    }
  });
  const width = Math.max(0, ...grid.map((r) => r.length));
  return grid
    .map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ""))
    .filter((r) => r.some((c) => c.trim()));
}

export function htmlToDoc(html: string, basePart = "html"): Doc {
  const root = parse(html, {
    blockTextElements: { script: false, style: false, noscript: false, pre: true },
  });
  const w = new Walker();
  w.walk(root);
  w.flush();
  // Lines go through the same section logic as plain text; tables keep the section of the line before.
  const lineItems = w.items.map((it, idx) => ({ it, idx }));
  const lines = lineItems
    .filter(({ it }) => it.kind === "line")
    .map(({ it, idx }) => ({ text: (it as { text: string }).text, depth: it.depth, line: idx + 1 }));
  const { blocks: lineBlocks, quotedSenders, quotedSubjects } = sectionLines(lines, basePart);
  const partOfLine = new Map<number, LineBlock>(lineBlocks.map((b) => [b.line, b]));
  const ordered: LineBlock[] = [];
  const out: Block[] = [];
  let lastPart = basePart;
  const flushLines = () => {
    out.push(...linesToBlocks(ordered.splice(0)));
  };
  for (const { it, idx } of lineItems) {
    if (it.kind === "line") {
      const b = partOfLine.get(idx + 1);
      if (b) {
        ordered.push(b);
        lastPart = b.part;
      }
      continue;
    }
    flushLines();
    out.push({ kind: "table", rows: it.rows, part: lastPart, line: idx + 1, layout: "html-table" });
  }
  flushLines();
  return { blocks: out, quotedSenders, quotedSubjects };
}
