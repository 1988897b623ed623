/**
 * The one shape every rendition of a message is read into before extraction: an ordered list of
 * lines and tables, each labelled with the part of the message it came from ("text", "html",
 * "forward[1]", "quote[2]", "attachment:parts.csv"). Plain text, HTML, CSV, spreadsheets and PDF
 * text all become this, so that one set of rules reads them all.
 */

export interface LineBlock {
  kind: "line";
  text: string;
  part: string;
  /** 1-based line number within its rendition. */
  line: number;
}

export interface TableBlock {
  kind: "table";
  /** Cells as written, rows in order; the header row is among the first rows, not necessarily row 0. */
  rows: string[][];
  part: string;
  line: number;
  /** "text-table", "html-table", "csv", "xlsx"… */
  layout: string;
}

export type Block = LineBlock | TableBlock;

export interface Doc {
  blocks: Block[];
  /** Sender addresses found in forwarded or quoted headers ("From: Molex <pcn@molex.com>"), outermost first. */
  quotedSenders: string[];
  /** Subjects found in forwarded or quoted headers. */
  quotedSubjects: string[];
}

const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-*|begin forwarded message:?|_{5,})\s*$/i;
const WROTE = /^\s*(?:on\s.{6,200}\s(?:wrote|schrieb)|am\s.{6,200}\sschrieb|le\s.{6,200}\sa écrit)\s*:\s*$/i;
const HEADER = /^\s*\*?(from|von|de|sent|gesendet|date|datum|to|an|cc|subject|betreff|objet)\*?\s*:\s*(.*)$/i;
const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/**
 * Labels line blocks with the forward/reply section they belong to and collects the quoted headers.
 * Quote depth comes from the caller (">" prefixes in text, <blockquote> in HTML); a forward marker
 * or an "On … wrote:" line opens the next section.
 */
export function sectionLines(
  lines: readonly { text: string; depth: number; line: number }[],
  basePart: string,
): { blocks: LineBlock[]; quotedSenders: string[]; quotedSubjects: string[] } {
  const blocks: LineBlock[] = [];
  const quotedSenders: string[] = [];
  const quotedSubjects: string[] = [];
  let forwards = 0;
  let headerWindow = 0;
  for (const l of lines) {
    if (FORWARD_MARKER.test(l.text) || WROTE.test(l.text)) {
      forwards++;
      headerWindow = 8;
      const addr = WROTE.test(l.text) ? ADDRESS.exec(l.text) : null;
      if (addr) quotedSenders.push(addr[0].toLowerCase());
      continue;
    }
    const header = HEADER.exec(l.text);
    if (header && (headerWindow > 0 || /^\s*from:.*\bsent:/i.test(l.text))) {
      const key = header[1]!.toLowerCase();
      const value = header[2] ?? "";
      if (["from", "von", "de"].includes(key)) {
        const addr = ADDRESS.exec(value);
        if (addr) quotedSenders.push(addr[0].toLowerCase());
        if (forwards === 0) forwards++;
      } else if (["subject", "betreff", "objet"].includes(key)) {
        quotedSubjects.push(value.trim());
      }
      headerWindow = Math.max(headerWindow, 3);
    } else if (l.text.trim()) {
      headerWindow = Math.max(0, headerWindow - 1);
    }
    const part =
      l.depth > 0 ? `quote[${l.depth}]` : forwards > 0 ? `${basePart}:forward[${forwards}]` : basePart;
    blocks.push({ kind: "line", text: l.text, part, line: l.line });
  }
  return { blocks, quotedSenders, quotedSubjects };
}

/** Joins documents read from several renditions or attachments, in order. */
export function concatDocs(docs: readonly Doc[]): Doc {
  return {
    blocks: docs.flatMap((d) => d.blocks),
    quotedSenders: docs.flatMap((d) => d.quotedSenders),
    quotedSubjects: docs.flatMap((d) => d.quotedSubjects),
  };
}

/** Any character outside ASCII: most messages have none, and then need no normalisation. */
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;

/**
 * Text in its compatibility form (NFKC): full-width digits, letters and colons of East Asian mail
 * ("２０２７年３月３１日", "ＣＭ１００ＤＹ", "形名：") and the ideographic space that aligns their columns
 * become ASCII, so that one set of rules reads them. The ideographic space becomes two spaces, as a
 * column gap is written in ASCII.
 */
export function compatibilityText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.replace(/\u3000/g, "  ").normalize("NFKC");
}

/** The Doc with every line and cell in its compatibility form (compatibilityText). */
export function normalizeDoc(doc: Doc): Doc {
  return {
    ...doc,
    blocks: doc.blocks.map((b) =>
      b.kind === "line"
        ? { ...b, text: compatibilityText(b.text) }
        : { ...b, rows: b.rows.map((r) => r.map(compatibilityText)) },
    ),
    quotedSubjects: doc.quotedSubjects.map(compatibilityText),
  };
}
