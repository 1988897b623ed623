/**
 * How part numbers are written across words and slashes, beyond one clean token:
 *
 * - a series name and a model number a space apart (TRACO `TMR 3-2411`, `TEN 5-2411`);
 * - an ordering option after a space (`CMZ5918B TR13`, Omron `G5V-1 DC5`, C&K's lead-free `LFS`);
 * - a slash family, one stem and the endings that vary (`NV6113/15/17` → NV6113, NV6115, NV6117;
 *   `BAT54A/C/S` → BAT54A, BAT54C, BAT54S);
 * - several parts in one cell or value ("EPC2045, EPC2016C and EPC2218").
 */
import { cleanToken, isMpn, judgeMpn, type MpnContext, UNIT } from "./mpn.shape.ts";
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
    // "BMR4560002/011" is a variant code: an ending of three or more digits that starts with 0.
    if (ends.every((e) => e.length <= digits.length && e.length >= 1 && !/^0\d{2,}$/.test(e)))
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

/** Uppercase words written after a part that are never part of it: statuses, notice words, "and". */
const NOT_OPTION = new Set(
  (
    "NRND NRFND EOL LTB LTS OBS OBSOLETE ACTIVE NEW TBD TBA NA N/A PCN PDN DN DISCONTINUED YES NO NONE " +
    "AND OR TO FOR THE IN OF ON AT BY WITH USE SEE ALL ONLY ETC VS PER REV ROHS LF PBF UND ODER ET OU"
  ).split(" "),
);
/** An uppercase word of an ordering code written with spaces: letters, digits and the MPN punctuation. */
const CODE_WORD = /^[A-Z0-9][A-Z0-9\-_/.,#+&*]*$/;
/** A word with lower-case letters that still reads as code: two capitals or a capital and a digit ("LHi"). */
const MIXED_CODE_WORD = /^(?=[^A-Z]*[A-Z][^A-Z0-9]*[A-Z0-9])[A-Za-z0-9][A-Za-z0-9\-_/.,#+&*]*$/;
/** A model number and one letter ("5856C"): never a quantity in a spaced code. */
const MODEL_LETTER = /^\d{4,}[A-Z]$/;
/** What a word of a spaced code must not be: a package, a unit, a date or week. */
const NOT_CODE_REASON = new Set(["package outline", "quantity with unit", "date or week"]);

/**
 * A part written as several words, as makers' ordering codes are: TSC `1N4148W RHG` (packing code
 * after a space), Micro Crystal `RV-3029-C2 TA QC`, Fischer `SK 104 25,4 STS`, HARTING
 * `09 33 000 6104`, ams OSRAM `SFH 4550`. Read only where the whole cell is one value (a part
 * column, or the first column of an aligned list, where only a short packing code may follow the
 * part): every word uppercase, none a status, package,
 * unit or date, at most one a part by itself (two such words are two parts side by side), and the
 * words joined a part. Digits alone need eight digits not grouped in threes (a spaced quantity is not one).
 */
export function spacedCode(words: readonly string[], context: MpnContext): string | null {
  if (context === "prose" || words.length < 2 || words.length > 5) return null;
  const cell = words.join(" ");
  if (cell.length > 40) return null;
  if (!words.every((w) => (CODE_WORD.test(w) || MIXED_CODE_WORD.test(w)) && !NOT_OPTION.has(w.toUpperCase())))
    return null;
  // "5856C" reads as a quantity with a unit, but four digits and one letter are a model in a code.
  if (words.some((w) => !MODEL_LETTER.test(w) && NOT_CODE_REASON.has(judgeMpn(w, "column").reason ?? "")))
    return null;
  const standalone = words.filter(
    (w) => w.length >= 6 && /[A-Z]/.test(w) && /\d/.test(w) && isMpn(w, "column"),
  );
  if (standalone.length > 1) return null;
  const joined = words.join("");
  // Digits alone: eight or more, and not grouped in threes as a quantity is ("10 000 000").
  if (
    !/[A-Z]/i.test(joined) &&
    (joined.replace(/\D/g, "").length < 8 || words.slice(1).every((w) => /^\d{3}$/.test(w)))
  )
    return null;
  // In a list only a packing code may follow the part: a short word or two ("RHG", "TA QC").
  if (
    context === "list" &&
    !(words[0] === standalone[0] && words.length <= 3 && words.slice(1).every((w) => w.length <= 4))
  )
    return null;
  return isMpn(joined, "column") && !notAPart(cell) ? cell : null;
}

/** The first part-shaped word of a text ("please use W5100S-L (LQFP-48) …" → W5100S-L): letters and digits. */
export function firstPartIn(text: string): string[] {
  for (const w of text.split(/\s+/)) {
    const t = cleanToken(w);
    if (/[A-Z]/i.test(t) && /\d/.test(t) && judgeMpn(t, "list").ok) return [t];
  }
  return [];
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
    const spaced = context === "column" ? spacedCode(words, context) : null;
    if (spaced) {
      out.push(spaced);
      continue;
    }
    const found = leadingPart(words, context);
    if (!found) continue;
    for (const mpn of expandSlashFamily(found.mpn))
      if (mpn === found.mpn || isMpn(mpn, context)) out.push(mpn);
  }
  return out;
}

/** A word of running text, not of a code: lower-case letters only ("tube", "reel", "black"). */
const PLAIN_WORD = /^[a-z]+$/;

/**
 * The whole cell of an "Order designation" column when it reads as one code of two to four words
 * (iC-Haus `iC-MH8 QFN16-5x5`, `iC-WE SO8`): the words together a part, none a plain word. Null otherwise.
 */
export function orderingCode(cell: string): string | null {
  const words = cell.trim().split(/\s+/);
  if (words.length < 2 || words.length > 4 || cell.length > 40) return null;
  if (words.some((w) => PLAIN_WORD.test(w) || NOT_OPTION.has(w.toUpperCase()))) return null;
  return /^[A-Z0-9]/i.test(words[0]!) && isMpn(words.join(""), "column") ? words.join(" ") : null;
}
