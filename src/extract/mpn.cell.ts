/**
 * How part numbers are written across words and slashes, beyond one clean token:
 *
 * - a series name and a model number a space apart (TRACO `TMR 3-2411`, `TEN 5-2411`);
 * - an ordering option after a space (`CMZ5918B TR13`, Omron `G5V-1 DC5`, C&K's lead-free `LFS`);
 * - a slash family, one stem and the endings that vary (`NV6113/15/17` → NV6113, NV6115, NV6117;
 *   `BAT54A/C/S` → BAT54A, BAT54C, BAT54S);
 * - several parts in one cell or value ("EPC2045, EPC2016C and EPC2218").
 */
import { cleanToken, isMpn, type MpnContext, UNIT } from "./mpn.shape.ts";
import { notAPart } from "./not-a-part.ts";

/**
 * Capitalised words that stand before a number and are not a series name: week and date words,
 * counts, standards bodies, package families, notice words.
 */
const NOT_SERIES = new Set(
  (
    "KW WW CW WK REV NO NR NUM PIN PINS QTY LOT PO SO FW DC AC VDC VAC REF ID PCN PDN EOL LTB LTS DN PN " +
    "ART ISO IEC EN UL CSA VDE CE CB DIN IP SIP DIP SOT SOD SOP QFN DFN TO SO BGA LGA AN DS UG REL VER " +
    "MSL ESD HBM CDM RMA INV PAGE TAB FIG TABLE STEP PHASE RE FWD AW WG TR AEC JESD IPC MIL NOTE ZIP TEL " +
    "FAX PH CA NY TX USA UK EU DE FR JP CN GMT CET CEST UTC PST EST AM PM Q FY H KV MV GB MB KB"
  ).split(" "),
);
/** A series name: two to five capitals. */
const SERIES = /^[A-Z]{2,5}$/;
/** The model number after it: a digit first, then a dash or dot group ("3-2411", "5-2411WI", "150-24"). */
const MODEL = /^\d{1,4}[-.]\d{1,5}[A-Z0-9.-]{0,8}$/;

/** Lead-free and RoHS words written after a space, in any context (`KSC221J LFS`). */
const LEAD_FREE = /^(?:LFS|LFG|LF|PBF|ROHS)$/;

/** A short ordering option after a space: letters then digits ("TR13", "DC5", "DC12", "TE1"), not a unit. */
function isOptionCode(word: string): boolean {
  return /^(?:TR|T&R|DC|AC|TE|TA|TB|EL|R|T)\d{1,3}[A-Z]?$/.test(word) && !UNIT.test(word);
}

/** "TMR" + "3-2411" as one part, when the pair reads as a series and its model, not a count or a standard. */
function seriesModel(first: string, second: string | undefined, context: MpnContext): string | null {
  if (!second || !SERIES.test(first) || NOT_SERIES.has(first)) return null;
  const model = cleanToken(second);
  if (!MODEL.test(model)) return null;
  const joined = `${first}${model}`;
  if (notAPart(`${first}-${model}`) || !isMpn(joined, context === "prose" ? "list" : context)) return null;
  return `${first} ${model}`;
}

/**
 * The part a run of words starts with and how many words it takes, or null. In a part column or a
 * list item's head an option code may follow (only as the last of two words: in prose the next word
 * is anything); a lead-free word may follow anywhere.
 */
export function leadingPart(
  words: readonly string[],
  context: MpnContext,
  preceding = "",
): { mpn: string; words: number } | null {
  const first = cleanToken(words[0] ?? "");
  if (!first) return null;
  const paired = seriesModel(first, words[1], context);
  if (paired) return { mpn: paired, words: 2 };
  if (!isMpn(first, context, preceding)) return null;
  const next = words[1] ? cleanToken(words[1]) : "";
  // A closing bracket or comma after the part ends it ("TPS54331D (NRND)", "X1, X2").
  const ended = /[,;)]$/.test(words[0]!) || words[0] !== cleanToken(words[0]!);
  if (!ended && LEAD_FREE.test(next)) return { mpn: `${first} ${next}`, words: 2 };
  if (context !== "prose" && !ended && words.length === 2 && isOptionCode(next))
    return { mpn: `${first} ${next}`, words: 2 };
  return { mpn: first, words: 1 };
}

/** Slash endings of one stem: digits that replace its last digits, or single letters its last letter. */
const SLASH_DIGITS = /^(.*?[A-Z].*?)(\d+)((?:\/\d{1,4})+)$/i;
const SLASH_LETTERS = /^(.*\d)([A-Z])((?:\/[A-Z])+)$/;

/**
 * The parts a slash family names ("NV6113/15/17" → NV6113, NV6115, NV6117), or the token alone.
 * An ending longer than the digits it would replace is not one ("RS-25-5/12" stays whole), and a
 * slash that carries a packing code ("WM8731SEDS/RV") is part of the part.
 */
export function expandSlashFamily(token: string): string[] {
  const d = SLASH_DIGITS.exec(token);
  if (d) {
    const [, stem, digits, tail] = d as unknown as [string, string, string, string];
    const ends = tail.slice(1).split("/");
    if (ends.every((e) => e.length <= digits.length && e.length >= 1))
      return [stem + digits, ...ends.map((e) => stem + digits.slice(0, digits.length - e.length) + e)];
    return [token];
  }
  const l = SLASH_LETTERS.exec(token);
  if (l) {
    const [, stem, last, tail] = l as unknown as [string, string, string, string];
    return [
      stem + last,
      ...tail
        .slice(1)
        .split("/")
        .map((e) => stem + e),
    ];
  }
  return [token];
}

/** What separates several parts in one cell or value. */
const PIECES = /[;\n]|,\s+|\s+\/\s+|\s+(?:and|or|und|oder|et|ou|&)\s+/i;

/**
 * The part numbers in a table cell or a value. Usually one; a cell may list several separated by
 * commas, semicolons, "and" or line breaks ("BC847B,235" is one: Nexperia's packing code follows a
 * bare comma). Words after a part ("TPS54331D (NRND)") are dropped.
 */
export function mpnsInCell(cell: string, context: MpnContext = "column"): string[] {
  const out: string[] = [];
  for (const piece of cell.split(PIECES)) {
    const words = piece.trim().split(/\s+/);
    const found = leadingPart(words, context);
    if (!found) continue;
    for (const mpn of expandSlashFamily(found.mpn))
      if (mpn === found.mpn || isMpn(mpn, context)) out.push(mpn);
  }
  return out;
}
