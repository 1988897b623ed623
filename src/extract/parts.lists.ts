/**
 * Parts written as lists and as records.
 *
 * A list is a run of bulleted, numbered or indented lines after an intro that speaks of parts
 * ("Affected part numbers:", "Devices:"); each item starts with the part, and its own lines may
 * name a replacement or dates ("Replacement: 0453002.MR"). A record is a block of "label: value"
 * lines one of which names the part ("Manufacturer Part Number: TLC5940NT"), as distributor
 * digests write them; the line just above a record ("1) Texas Instruments – Last Time Buy") is its
 * heading and may name its maker and status.
 */
import { type Candidate, replacementOf } from "./candidate.ts";
import { dateOfValue, factsOfLabel, proseDateFacts, splitLabel } from "./facts.ts";
import { roleOfHeader } from "./headers.ts";
import { expandSlashFamily, firstPartIn, leadingPart, mpnsInCell, spacedCode } from "./mpn.cell.ts";
import { cleanToken, judgeMpn } from "./mpn.shape.ts";
import { decideKind, kindOfLabel, kindsInSentence } from "./signals.ts";

/** A line with its position in the Doc, and its "label: value" split (computed once per line). */
export interface PosLine {
  text: string;
  pos: number;
  part: string;
  line: number;
  kv: { label: string; value: string } | null;
}

/** A PosLine, with the label split done once (the facts, records and lists all ask for it). */
export function posLine(text: string, pos: number, part: string, line: number): PosLine {
  return { text, pos, part, line, kv: splitLabel(text) };
}

const BULLET = /^(\s*)(?:[-*•·▪◦‣–]|\d{1,3}[.)]|\(?[a-z][.)]|\(\d{1,3}\))\s+(\S.*)$/;
const INTRO_PARTS =
  /\b(?:table\s*\d+|parts?|part numbers?|products?|devices?|items?|models?|opns?|cpns?|p\/ns?|orderables?|components?|types?|numbers?|following|listed|affected|skus?|variants?)\b/i;
const INTRO_NOT =
  /\b(?:new products?|featured|not affected|unaffected|not part of|qualification|lots?|summary|what is|legend|stock|open orders?|backorders?|schedule|dates?|note|contacts?)\b/i;

/** An item that leads with one word and then a column gap, a bracket or nothing. */
const TABULAR_ITEM = /^\S+(?:\s{2,}|\s\(|\s*$)/;
/**
 * "Notice No.: RPN-2026-0091": a label line, not an item. A label has no column gap before its
 * colon: "MX25L6406EM2I-12G    (SOP 8)  migration: MX25L6433F…" is a row with a labelled cell.
 */
const LABEL_LINE = /^(?:(?!\s{2}|\t)[^:]){1,60}:\s/;

function indentOf(s: string): number {
  return s.search(/\S/);
}

interface Item {
  head: PosLine;
  text: string;
  more: string[];
}

/** Groups the lines after an intro into items: a bullet or an indented part starts one, deeper lines continue it. */
function collectItems(lines: readonly PosLine[], from: number): { items: Item[]; end: number } {
  const items: Item[] = [];
  let i = from;
  let baseIndent = -1;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.text.trim()) break;
    const b = BULLET.exec(l.text);
    const indent = indentOf(l.text);
    if (b) {
      if (baseIndent >= 0 && indent > baseIndent && items.length) {
        items[items.length - 1]!.more.push(b[2]!);
        continue;
      }
      baseIndent = indent;
      items.push({ head: l, text: b[2]!, more: [] });
      continue;
    }
    if (items.length && indent > baseIndent) {
      // Deeper than the items: a continuation of the last one.
      items[items.length - 1]!.more.push(l.text.trim());
      continue;
    }
    const bare = l.text.trim();
    const single = !/\s{2,}/.test(bare) && bare.split(/\s+/).length <= 1;
    if ((indent >= 2 || single) && (baseIndent < 0 || indent === baseIndent)) {
      baseIndent = indent;
      items.push({ head: l, text: bare, more: [] });
      continue;
    }
    break;
  }
  return { items, end: i };
}

const INLINE_REPLACEMENT =
  /(?:replac\w*(?:\s+by|\s+with)?|successor|alternative|migrat\w*(?:\s+to)?|→|->|=>)\s*:?\s*(\S.*)$/i;

/** Leading parts of an item: "TOP223YN, TOP224YN  (TO-220-3)" names two. */
function leadingParts(text: string): string[] {
  const head = text.split(/\s{2,}|\t|\s\(/)[0] ?? "";
  const words = head.split(/,\s+|\s+\/\s+|\s+and\s+/);
  const out: string[] = [];
  for (const w of words) {
    const t = cleanToken(w.trim());
    if (!t || /\s/.test(t) || !judgeMpn(t, "list").ok) break;
    out.push(t);
  }
  return out.length > 1 ? out : [];
}

function readItem(item: Item): Candidate[] {
  const columns = item.text.trim().split(/\s{2,}|\t/);
  const words = (columns[0] ?? "").split(/\s+/);
  // "AD8606: a die revision…" labels a paragraph about a family; it does not list an orderable part.
  if (words[0]?.endsWith(":")) return [];
  // An aligned list's first column is one value, as a table cell is ("1N4148W RHG   SOD-123").
  const spaced = columns.length > 1 ? spacedCode(words, "list") : null;
  const found = spaced ? { mpn: spaced, words: words.length } : leadingPart(words, "list");
  if (!found) return [];
  const written = new RegExp(`^\\s*(?:\\S+\\s+){${found.words - 1}}\\S+`).exec(item.text)?.[0] ?? "";
  const c: Candidate = {
    mpn: found.mpn,
    pos: item.head.pos,
    part: item.head.part,
    layout: "list",
    line: item.head.line,
    strength: 1,
  };
  for (const text of [item.text.slice(written.length), ...item.more]) {
    const kv = splitLabel(text);
    const role = kv ? roleOfHeader(kv.label).role : null;
    if (kv && role === "replacement") c.replacement = replacementOf(kv.value, (s) => mpnsInCell(s, "list"));
    else if (kv && role === "ltb") c.ltb = dateOfValue(kv.value);
    else if (kv && role === "lts") c.lts = dateOfValue(kv.value);
    else if (kv && role === "status") c.kind = kindOfLabel(kv.value);
    else {
      const m = INLINE_REPLACEMENT.exec(text);
      if (m && c.replacement === undefined) c.replacement = replacementOf(m[1]!, firstPartIn);
    }
  }
  const more = leadingParts(item.text);
  const mpns = more.length ? more : [c.mpn];
  return mpns.flatMap(expandSlashFamily).map((mpn) => ({ ...c, mpn }));
}

/**
 * The intro of what starts at `i`: the last sentence of the paragraph just above (skipping at most one
 * blank line), so an intro that wraps over lines is read whole.
 */
function introOf(lines: readonly PosLine[], i: number): string | null {
  let k = i - 1;
  for (let blanks = 0; k >= 0 && !lines[k]!.text.trim(); k--) if (++blanks > 1) return null;
  if (k < 0) return null;
  const para: string[] = [];
  for (let n = 0; k >= 0 && n < 4 && lines[k]!.text.trim(); k--, n++) {
    const t = lines[k]!.text.trim();
    // A bullet or a label line is a paragraph of its own.
    const own = BULLET.test(lines[k]!.text) || isLabelLine(lines, k);
    if (n > 0 && own) break;
    para.unshift(t);
    if (n === 0 && own) break;
  }
  const joined = para.join(" ");
  const sentences = joined.split(/(?<=[.!?])\s+(?=[A-Z("“])/);
  return sentences[sentences.length - 1] ?? null;
}

/**
 * A "label: value" line, unless it goes on with the sentence of the line above: "and W5300 are now
 * obsolete: the last time buy …" wraps a sentence whose line happens to hold a colon.
 */
function isLabelLine(lines: readonly PosLine[], k: number): boolean {
  if (!lines[k]!.kv) return false;
  const prev = k > 0 ? lines[k - 1]!.text.trim() : "";
  return !(/^\s*\p{Ll}/u.test(lines[k]!.text) && prev && !/[.!?:]$/.test(prev));
}

/** Words that set the parts below apart from the notice ("not affected", "new products"). */
const EXCLUDES = /\b(?:not affected|unaffected|not part of|new products?|featured)\b/i;

/**
 * Whether the text above keeps an indented block without an intro from being read as parts: when
 * it introduces the block (a colon) as something else ("Key dates:", "Open orders:") or sets its
 * parts apart. A sentence that only mentions dates or a note ("Last order date: 30 June 2026.",
 * "… dates have not been set yet.") introduces nothing.
 */
function vetoes(intro: string): boolean {
  return INTRO_NOT.test(intro) && (/:\s*$/.test(intro) || EXCLUDES.test(intro));
}

/** An intro of a parts list: it speaks of parts, or it ends with a colon after stating an event. */
function isPartsIntro(intro: string): boolean {
  if (BULLET.test(intro) || INTRO_NOT.test(intro)) return false;
  return INTRO_PARTS.test(intro) || (/:\s*$/.test(intro) && kindsInSentence(intro).size > 0);
}

/** Parts in lists. `lines` is one run of lines (no table in between). */
export function readLists(lines: readonly PosLine[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.text.trim()) continue;
    const intro = introOf(lines, i);
    const introduced = !!intro && isPartsIntro(intro);
    // Without an intro, an indented block whose every line leads with a part and a column gap is a
    // parts list too ("  W5100  (LQFP-80)   ->  please use W5100S-L").
    if (!introduced && !(indentOf(l.text) >= 2 && !BULLET.test(l.text) && !(intro && vetoes(intro))))
      continue;
    // Nor does such a block start inside another one: the line above at the same depth was read already.
    const prev = lines[i - 1]?.text ?? "";
    if (!introduced && prev.trim() && indentOf(prev) === indentOf(l.text)) continue;
    const isStart = BULLET.test(l.text) || indentOf(l.text) >= 2 || (!!intro && /:\s*$/.test(intro));
    if (!isStart) continue;
    const { items, end } = collectItems(lines, i);
    const parts = items.flatMap(readItem);
    // An unintroduced block that is not such a list is passed over one line at a time, so a list
    // introduced further down is still found.
    if (
      !introduced &&
      !items.every((it) => !LABEL_LINE.test(it.text) && TABULAR_ITEM.test(it.text) && readItem(it).length > 0)
    )
      continue;
    // An intro that states an event ("Table 2 - discontinued", "… they return to active status:")
    // gives its items their own kind: one message may hold several notices.
    const introKind = intro ? decideKind(kindsInSentence(intro)) : null;
    if (introKind) for (const c of parts) c.kind ??= introKind;
    // A list is a parts list when most items lead with a part; a list of conditions is not.
    const leading = new Set(parts.map((c) => c.line)).size;
    if (parts.length > 0 && leading * 2 >= items.length) out.push(...parts);
    // A "list" that named no part (a numbered heading over an indented block) is not skipped over:
    // the block below it may be the parts list.
    if (parts.length) i = Math.max(i, end - 1);
  }
  return out;
}

/**
 * Parts listed inline after a part label ("Affected types: PMEG3020EH,115; BAS16,215"): two or more
 * parts in one value make a list, not a record of one part.
 */
export function readInlineLists(lines: readonly PosLine[]): Candidate[] {
  const out: Candidate[] = [];
  for (const l of lines) {
    if (!l.kv || roleOfHeader(l.kv.label).role !== "mpn") continue;
    const parts = mpnsInCell(l.kv.value, "list");
    if (parts.length < 2) continue;
    for (const mpn of parts)
      out.push({ mpn, pos: l.pos, part: l.part, layout: "list", line: l.line, strength: 1 });
  }
  return out;
}

/** A value that goes on: it ends with a comma, a semicolon, "and" or a dash. */
const WRAPPED_VALUE = /(?:[,;]|\band|\bor|[-–])\s*$/i;

/** The short generic labels that name one part in a record ("Part:", "Product:", "Device:"). */
const PART_LABEL =
  /^(?:part|product|device|model|type|item|artikel|article|produit|produkt|prodotto|producto|produto)$/i;

/** Parts in records: runs of "label: value" lines with a part-number label. */
export function readRecords(lines: readonly PosLine[]): Candidate[] {
  const out: Candidate[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i]!.kv) {
      i++;
      continue;
    }
    let j = i;
    const run: { l: PosLine; kv: { label: string; value: string } }[] = [];
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      const prev = run[run.length - 1];
      if (l.kv) run.push({ l, kv: l.kv });
      // A value wrapped onto the next line ("…, last shipment 2027-11-12,\n   replacement X.").
      else if (prev && WRAPPED_VALUE.test(prev.kv.value) && l.text.trim() && !BULLET.test(l.text))
        prev.kv = { ...prev.kv, value: `${prev.kv.value} ${l.text.trim()}` };
      else break;
    }
    const starts = run
      .map((r, k) => ({ k, role: roleOfHeader(r.kv.label) }))
      .filter(
        // "Part: X" opens a record as "Part number: X" does, when its value leads with a part.
        (s) =>
          s.role.role === "mpn" &&
          (s.role.strength === 2 || PART_LABEL.test(run[s.k]!.kv.label)) &&
          mpnsInCell(run[s.k]!.kv.value).length > 0,
      )
      .map((s) => s.k);
    const heading = introOf(lines, i);
    starts.forEach((k, n) => {
      const from = n === 0 ? 0 : k;
      const to = starts[n + 1] ?? run.length;
      const own = run.slice(from, to);
      const head = run[k]!;
      const c: Candidate = {
        mpn: mpnsInCell(head.kv.value)[0]!,
        pos: head.l.pos,
        part: head.l.part,
        layout: "record",
        line: head.l.line,
        strength: 2,
      };
      if (n === 0 && heading && !splitLabel(heading)) c.kind = kindOfLabel(heading);
      for (const { l, kv } of own) {
        const role = roleOfHeader(kv.label).role;
        if (role === "replacement") c.replacement = replacementOf(kv.value, (s) => mpnsInCell(s));
        else if (role === "status") c.kind = kindOfLabel(kv.value) ?? c.kind ?? null;
        else if (role === "maker") c.maker = kv.value;
        const facts = factsOfLabel(kv.label, kv.value, l.pos);
        for (const f of facts) {
          if (f.kind === "pcn") c.pcn = f.value;
          else if (f.kind === "ltb") c.ltb = { iso: f.value, vague: f.vague };
          else if (f.kind === "lts") c.lts = { iso: f.value, vague: f.vague };
        }
        // "PDN 26_0112: last time buy 2027-05-14, last shipment 2027-11-12, replacement X." states
        // the record's dates and replacement in a sentence after its label.
        if (role === "ignore" || facts.some((f) => f.kind === "pcn")) {
          for (const f of proseDateFacts(kv.value, l.pos)) {
            if (f.kind === "ltb") c.ltb ??= { iso: f.value, vague: f.vague };
            else if (f.kind === "lts") c.lts ??= { iso: f.value, vague: f.vague };
          }
          const m = INLINE_REPLACEMENT.exec(kv.value);
          if (m && c.replacement === undefined) c.replacement = replacementOf(m[1]!, firstPartIn);
        }
      }
      if (n === 0 && heading && !splitLabel(heading)) c.makerHint = heading;
      out.push(c);
    });
    i = j;
  }
  return out;
}
