/**
 * A stretch of a message around the words that name a part, for a person checking why a notice was
 * read as it was: whitespace collapsed, cut at word boundaries about `radius` characters either
 * side, with the offsets of the part in it (end exclusive). The part is found as written, else with
 * any punctuation or spacing between its letters and digits (`TPS 54331-D`, a line wrap). Pure.
 */
export interface Excerpt {
  excerpt: string;
  start: number;
  end: number;
}

function findIn(flat: string, want: string, from: number): { at: number; length: number } | null {
  const at = flat.toUpperCase().indexOf(want.toUpperCase(), from);
  if (at >= 0) return { at, length: want.length };
  const re = looseRegex(want);
  if (!re) return null;
  const m = re.exec(flat.slice(from));
  return m ? { at: from + m.index, length: m[0].length } : null;
}

const SEPARATORS = "[\\s\\-_/.·‐‑]*";

function looseRegex(needle: string): RegExp | null {
  const chars = [...needle.replace(/[^\p{L}\p{N}]/gu, "")];
  if (chars.length === 0) return null;
  const body = chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(SEPARATORS);
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}`, "iu");
}

export function excerptNaming(text: string, needle: string, radius = 160, fromLine = 0): Excerpt | null {
  const want = needle.trim();
  if (!text.trim() || !want) return null;
  // Where the extractor says it found the part (a line of the text), the first mention from there on
  // is the one shown; an earlier mention (a subject line, say) tells less.
  const lines = text.split("\n");
  const lineStart = fromLine > 0 ? lines.slice(0, Math.min(fromLine - 1, lines.length)).join("\n").length : 0;
  const flatPrefix = text.slice(0, lineStart).replace(/\s+/g, " ").trimStart().length;
  const flat = text.replace(/\s+/g, " ").trim();
  const found = findIn(flat, want, flatPrefix) ?? (flatPrefix > 0 ? findIn(flat, want, 0) : null);
  if (!found) return null;
  const { at, length } = found;
  let from = Math.max(0, at - radius);
  let to = Math.min(flat.length, at + length + radius);
  // Cut at spaces so no word is halved (unless the cut would swallow the whole margin).
  if (from > 0) {
    const space = flat.indexOf(" ", from);
    if (space >= 0 && space < at) from = space + 1;
  }
  if (to < flat.length) {
    const space = flat.lastIndexOf(" ", to);
    if (space > at + length) to = space;
  }
  const lead = from > 0 ? "… " : "";
  const tail = to < flat.length ? " …" : "";
  return {
    excerpt: lead + flat.slice(from, to) + tail,
    start: lead.length + at - from,
    end: lead.length + at - from + length,
  };
}
