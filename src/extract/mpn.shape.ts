/**
 * Whether a token can be a manufacturer part number, and the hard negatives that never are one.
 *
 * How much evidence a token needs depends on where it stands: a cell under an "Orderable part
 * number" header is a part unless it is plainly something else; a word in a sentence must look
 * unmistakably like a part (letters and digits, no document or package prefix, not right after
 * "lot", "order", "tracking"…).
 */

import { notAPart } from "./not-a-part.ts";

/** Where a token was found, from most to least trusted. */
export type MpnContext = "column" | "list" | "prose";

/** Characters an orderable part number is written with (Nexperia `,235`, Maxim `+T`, Linear `#PBF`). */
const MPN_CHARS = /^[A-Z0-9][A-Z0-9\-_/.,#+&*]*[A-Z0-9#+*]$|^[A-Z0-9]{3}$/i;
/**
 * In a part column or list item a part may also carry a packing option in brackets or after a colon
 * (Toshiba `TC74VHC00FT(EL,K)`, `TLP291(GB,SE`; Micron `MT41K256M16TW-107:P`), or a tolerance
 * (Caddock `MP930-10.0-1%`).
 */
const MPN_CHARS_CELL = /^[A-Z0-9][A-Z0-9\-_/.,#+&*():%]*[A-Z0-9#+*)%]$/i;

/**
 * Distributor numbers: Digi-Key `…-ND`, Mouser/Arrow/Farnell `NNN-PART` (a numeric prefix then the
 * maker's part). Under a part header or in a list, only a prefix followed by letters ("595-TPS54331D")
 * is one: makers number parts that way too (Souriau `851-36RC10-6S50`, Dialight `597-3311-407F`).
 */
const DISTRIBUTOR = [/-ND$/i, /^\d{2,3}-(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9\-/.#+]*$/i];
const DISTRIBUTOR_LISTED = [/-ND$/i, /^\d{2,3}-[A-Z]{2}[A-Z0-9\-/.#+]*$/i];
/** NXP/Nexperia 12NC (twelve digits), Infineon SP numbers, UPS tracking, ECCN, revision tags. */
const NEVER = [
  /^\d{12}$/,
  /^SP\d{6,}$/i,
  /^1Z[0-9A-Z]{16}$/i,
  /^(?:EAR99|\d[A-E]\d{3}(?:\.[A-Z0-9.]+)?)$/i,
  /^REV\.?[A-Z0-9]{1,3}$/i,
];
/** Numbers with units, as in "600mA", "0.1uF", "1000h", "85%". */
export const UNIT =
  /^[\d.,]+(?:[kmunpµμgKMG])?(?:F|A|V|W|Hz|h|s|ms|mm|cm|m|pcs|pc|C|°C|%|ohm|Ω|mil|in|bit|B|kB|MB|GB|ppm|dB)$/i;
/** Package outlines that look like part numbers ("SOT-23-3", "LQFP100", "TO-220"). */
const PACKAGE =
  /^(?:PG-)?(?:SOT|SOD|SOIC|SO|TO|QFN|DFN|LQFP|TQFP|TSSOP|SSOP|MSOP|PDIP|SPDIP|DIP|BGA|LGA|PLCC|DPAK|D2PAK|WSON|VQFN|UQFN|XDFN|WLCSP|SC|TSOT|SON|HTSSOP|VSSOP)-?\d{1,3}(?:-\d{1,2})?[A-Z]?$/i;
/** Document, report and quality-record numbers ("DS90003213B", "AN-2291", "QR-2026-0412", "ISO9001"). */
const DOCUMENT = [
  /^(?:DS|AN|UG|QR|QRR|QTR|RMA|PO|INV|ISO|IATF|CCB|PCN|PDN|CIN|EOL|ECN|ECO|AEC|JESD|JEDEC|IEC|CQC)[-_ ]?\d/i,
  /^(?:SD|TN|PD|DN|UL|WP)-\d/i,
];
/**
 * A date or a week written with separators ("4/24", "33/2026", "2026-05", "31.12.26"): every number a
 * day, month, week or year could be. Schurter's "0034.3117" is none of these, so it is no date.
 */
function isDateish(t: string): boolean {
  const parts = t.split(/[/.-]/);
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => /^\d{1,4}$/.test(p))) return false;
  return parts.every((p) => {
    const n = Number(p);
    return p.length === 4 ? n >= 1980 && n <= 2099 : n <= 53;
  });
}

/** Words right before a token that make it a lot, order, tracking, document or account number. */
const PRECEDING_NEGATIVE =
  /\b(?:lots?|date\s*codes?|trace\s*codes?|D\/C|orders?|PO|SO|sales\s+order|invoice|RMA|tracking(?:\s+(?:no\.?|number))?|HS(?:\s+code)?|HTS|ECCN|cert(?:ificate)?s?\.?(?:\s+nos?\.?)?|report|ref\.?|reference|quotation|quote|account|acct\.?|customer(?:\s+(?:code|no\.?|number|part(?:\s+number)?))?|note|guide|data\s*sheet|case|ticket|file|drawing|spec(?:ification)?s?|project|line|qty|pcs|fedex|ups|dhl|carrier|phone|tel\.?|fax|no\.)\s*[:#]?\s*$|#\s*:?\s*$/i;

export interface ShapeVerdict {
  ok: boolean;
  /** Why a token is not a part, for tests and for whoever reads a confidence. */
  reason?: string;
}

/** Strips what surrounds a token in running text: brackets, quotes, trailing punctuation, footnote marks. */
export function cleanToken(raw: string): string {
  let t = raw
    .trim()
    .replace(/^[("'[«“‘]+/, "")
    .replace(/["'\]»”’]+$/, "");
  // A closing bracket is kept when it closes one opened inside the token ("TC74VHC00FT(EL,K)").
  while (t.endsWith(")") && count(t, "(") < count(t, ")")) t = t.slice(0, -1);
  return t
    .replace(/[.,;:!?]+$/, "")
    .replace(/\*+$/, "")
    .replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+$/, "");
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

/**
 * Judges one token as a part number. `preceding` is the text just before it (for prose and lists),
 * so that "lot 3A12477" and "PO 4500873312" are turned away.
 */
export function judgeMpn(token: string, context: MpnContext, preceding = ""): ShapeVerdict {
  const t = cleanToken(token);
  if (t.length < 3 || t.length > 40) return { ok: false, reason: "length" };
  if (!(context === "prose" ? MPN_CHARS : MPN_CHARS_CELL).test(t)) return { ok: false, reason: "characters" };
  // A colon only ever introduces a short packing or revision letter (":P", ":E"), never a number ("16949:2016").
  if (t.includes(":") && !/^[^:]*[A-Z][^:]*:[A-Z][A-Z0-9]?$/i.test(t))
    return { ok: false, reason: "characters" };
  if (!/\d/.test(t)) return { ok: false, reason: "no digit" };
  if ((context === "prose" ? DISTRIBUTOR : DISTRIBUTOR_LISTED).some((re) => re.test(t)))
    return { ok: false, reason: "distributor number" };
  if (NEVER.some((re) => re.test(t))) return { ok: false, reason: "code that is never a part" };
  if (UNIT.test(t)) return { ok: false, reason: "quantity with unit" };
  if (isDateish(t)) return { ok: false, reason: "date or week" };
  if (PACKAGE.test(t)) return { ok: false, reason: "package outline" };
  const junk = notAPart(t);
  if (junk) return { ok: false, reason: junk };
  const letters = (t.match(/[A-Z]/gi) ?? []).length;
  if (context === "column") {
    // Under a part-number header pure digits are real (Molex `0430450200`, TE `1744426-1`), but
    // short ones are row numbers or quantities.
    if (letters === 0 && t.replace(/\D/g, "").length < 6) return { ok: false, reason: "short number" };
    return { ok: true };
  }
  if (PRECEDING_NEGATIVE.test(preceding)) return { ok: false, reason: "lot, order or document number" };
  if (DOCUMENT.some((re) => re.test(t))) return { ok: false, reason: "document number" };
  if (context === "list") {
    if (letters === 0 && t.replace(/\D/g, "").length < 6) return { ok: false, reason: "short number" };
    return { ok: true };
  }
  // Prose: phone numbers, ZIP codes, order numbers and years are all digits (and dashes).
  if (letters === 0) return { ok: false, reason: "number in prose" };
  // One letter is enough for JEDEC numbers (2N7002, 1N4148); otherwise a lone letter is usually a unit or code.
  if (t.length < 5 || (letters < 2 && !/^\d[A-Z]\d{3,}/i.test(t)))
    return { ok: false, reason: "too short for prose" };
  if (/^[A-Z][a-z]+$/.test(t.replace(/\d/g, ""))) return { ok: false, reason: "word with digits" };
  return { ok: true };
}

/** Shorthand for `judgeMpn(...).ok`. */
export function isMpn(token: string, context: MpnContext, preceding = ""): boolean {
  return judgeMpn(token, context, preceding).ok;
}
