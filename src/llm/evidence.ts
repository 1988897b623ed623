import { findDates } from "../extract/dates.ts";

/**
 * Is a value the model returned actually written in the message? Pure string work, no I/O.
 *
 * Text is compared folded: Unicode-normalised (NFKC), lower case, dash variants as "-", invisible
 * characters removed, whitespace runs as one space. An identifier must stand as a whole token: the
 * model saying `ABC123` when the message says `ABC123-XY` (a different orderable) is not evidence.
 */

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

export function foldText(s: string): string {
  return s.normalize("NFKC").replace(INVISIBLE, "").replace(DASHES, "-").toLowerCase().replace(/\s+/g, " ");
}

const ALNUM = /[\p{L}\p{N}]/u;
/** Characters that join the pieces of one part number (`LT1763IS8-2.5#TRPBF`, `BC807-25,235`). */
const JOINERS = "-/#+._";

/** True when `needle` occurs in `haystack` (both already folded) as a whole identifier. */
function standsAlone(haystack: string, needle: string, at: number): boolean {
  const before = haystack[at - 1];
  const before2 = haystack[at - 2];
  if (before !== undefined && ALNUM.test(before)) return false;
  if (before !== undefined && JOINERS.includes(before) && before2 !== undefined && ALNUM.test(before2))
    return false;
  const end = at + needle.length;
  const after = haystack[end];
  const after2 = haystack[end + 1];
  if (after !== undefined && ALNUM.test(after)) return false;
  // A joiner followed by more of the identifier means the message names a longer part number.
  // A comma only joins when digits follow (NXP/Nexperia packing codes: `,215`); otherwise it lists.
  if (after !== undefined && after2 !== undefined && ALNUM.test(after2)) {
    if (JOINERS.includes(after)) return false;
    if (after === "," && /\d/.test(after2)) return false;
  }
  return true;
}

/** Whether the identifier (an MPN, a PCN id) is written in the text as a whole token. */
export function identifierAppears(text: string, identifier: string): boolean {
  const hay = foldText(text);
  const needle = foldText(identifier).trim();
  if (needle === "") return false;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    if (standsAlone(hay, needle, at)) return true;
  }
  return false;
}

const MONTHS: readonly string[][] = [
  ["january", "jan"],
  ["february", "feb"],
  ["march", "mar"],
  ["april", "apr"],
  ["may"],
  ["june", "jun"],
  ["july", "jul"],
  ["august", "aug"],
  ["september", "sept", "sep"],
  ["october", "oct"],
  ["november", "nov"],
  ["december", "dec"],
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A real calendar day `YYYY-MM-DD`, or null. */
export function parseIsoDay(iso: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

/**
 * Whether the text writes the calendar day `iso` in some form a reader would parse to that day:
 * numeric (2027-06-30, 30.06.2027, 06/30/27, 30/6/2027), or with the month's English name
 * (30 June 2027, June 30th, 2027, 30-Jun-27), or any day src/extract/dates.ts finds. A day and
 * month without a year count when the year is the one a reader would infer as of `now` ("next year"
 * after it, else this year or the next).
 */
export function dateAppears(text: string, iso: string, now: Date): boolean {
  const day = parseIsoDay(iso);
  if (!day) return false;
  // A day the rule extractor itself reads there is evidence too (one date grammar for both).
  if (findDates(text).some((d) => d.iso === iso)) return true;
  const hay = foldText(text);
  const D = `0?${day.d}`;
  const M = `0?${day.m}`;
  const yyyy = String(day.y);
  const yy = yyyy.slice(2);
  const notDigitBefore = "(?<![0-9])";
  const notDigitAfter = "(?![0-9])";
  const numeric = [
    `${yyyy}[./-]${M}[./-]${D}`,
    `${D}[./-]${M}[./-](?:${yyyy}|${yy})`,
    `${M}[./-]${D}[./-](?:${yyyy}|${yy})`,
  ];
  for (const n of numeric) if (new RegExp(`${notDigitBefore}${n}${notDigitAfter}`).test(hay)) return true;

  const month = `(?:${MONTHS[day.m - 1]!.map(esc).join("|")})`;
  const ord = "(?:st|nd|rd|th)?";
  const sep = "[\\s.,/-]*";
  const year = `(?:${sep}(?:'|’)?(\\d{4}|\\d{2})${notDigitAfter})?`;
  const forms = [
    // 30 June 2027, 30th of June, 30-Jun-27
    new RegExp(`${notDigitBefore}${D}${ord}(?:\\s*of)?${sep}${month}\\b\\.?${year}`, "g"),
    // June 30, 2027 · June 30th
    new RegExp(`\\b${month}\\.?${sep}${D}${ord}${notDigitAfter}(?![a-z])${year}`, "g"),
  ];
  for (const re of forms) {
    for (const m of hay.matchAll(re)) {
      const written = m[1];
      if (written !== undefined) {
        const y = written.length === 2 ? 2000 + Number(written) : Number(written);
        if (y === day.y) return true;
        continue;
      }
      const rest = hay.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 24);
      if (impliedYears(rest, day, now).includes(day.y)) return true;
    }
  }
  return false;
}

/** Years a reader would give a day and month written without a year, from the words after them. */
function impliedYears(after: string, day: { m: number; d: number }, now: Date): number[] {
  const y = now.getUTCFullYear();
  if (/^\W*(?:of\s+)?(?:the\s+)?(?:next|following) year/.test(after)) return [y + 1];
  if (/^\W*(?:of\s+)?this year/.test(after)) return [y];
  const thisYears = Date.UTC(y, day.m - 1, day.d);
  const today = Date.UTC(y, now.getUTCMonth(), now.getUTCDate());
  // Still ahead this year: this year; already past: a reminder of this year's date, or next year's.
  return thisYears >= today ? [y] : [y, y + 1];
}
