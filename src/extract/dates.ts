/**
 * Calendar dates as notices write them. Only an exact calendar day becomes a date; a quarter, a
 * month without a day, a relative period ("6 months from notice date") or "TBD" is not one, but is
 * still worth knowing about: it tells a buy window apart from a date nobody has set yet.
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";
const YEAR = "(\\d{4}|'\\d{2})";

/** One alternative per written form; the named order of day/month/year is in FORMS below. */
const FORMS: { re: string; order: "ymd" | "dmy" | "mdy" | "num" | "numdot" }[] = [
  { re: "(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)", order: "ymd" },
  { re: `${DAY}(?:\\s*[-. ]\\s*|\\s+of\\s+)${MONTH}(?:\\s*[-., ]\\s*)${YEAR}`, order: "dmy" },
  { re: `${MONTH}\\s*[- ]?\\s*${DAY}(?:\\s*,\\s*|\\s+|\\s*-\\s*)${YEAR}`, order: "mdy" },
  { re: "(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4}|\\d{2})(?!\\d|\\.\\d)", order: "numdot" },
  { re: "(\\d{1,2})[/-](\\d{1,2})[/-](\\d{4}|\\d{2})(?!\\d|[/-]\\d)", order: "num" },
];

const DATE_RE = new RegExp(`(?<![\\w/.-])(?:${FORMS.map((f) => `(${f.re})`).join("|")})`, "gi");
/** Capture groups each form uses inside DATE_RE (the wrapper group plus its own three). */
const GROUPS_PER_FORM = 4;

const HAS_DIGIT = /\d/;

export interface FoundDate {
  /** `YYYY-MM-DD` */
  iso: string;
  index: number;
  length: number;
}

function validIso(y: number, m: number, d: number): string | null {
  if (y < 1980 || y > 2099 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function year(raw: string): number {
  const digits = raw.replace("'", "");
  return digits.length === 2 ? 2000 + Number(digits) : Number(digits);
}

function monthOf(raw: string): number {
  return MONTHS[raw.toLowerCase().replace(".", "")] ?? 0;
}

/**
 * Every exact calendar day in `text`, in order. Numeric forms: dotted `31.03.2027` is day-first
 * (European); slashed or dashed `03/31/2027` is month-first (US) unless the first number cannot be
 * a month, then day-first.
 */
export function findDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  // Every written form has a day or a year in digits; most lines have none.
  if (!HAS_DIGIT.test(text)) return out;
  for (const m of text.matchAll(DATE_RE)) {
    for (let f = 0; f < FORMS.length; f++) {
      const base = 1 + f * GROUPS_PER_FORM;
      if (m[base] === undefined) continue;
      const a = m[base + 1]!;
      const b = m[base + 2]!;
      const c = m[base + 3]!;
      let iso: string | null = null;
      switch (FORMS[f]!.order) {
        case "ymd":
          iso = validIso(Number(a), Number(b), Number(c));
          break;
        case "dmy":
          iso = validIso(year(c), monthOf(b), Number(a));
          break;
        case "mdy":
          iso = validIso(year(c), monthOf(a), Number(b));
          break;
        case "numdot":
          iso = validIso(year(c), Number(b), Number(a));
          break;
        case "num":
          iso =
            Number(a) > 12
              ? validIso(year(c), Number(b), Number(a))
              : validIso(year(c), Number(a), Number(b));
          break;
      }
      if (iso) out.push({ iso, index: m.index, length: m[0].length });
      break;
    }
  }
  return out;
}

/** The single exact day a cell or value states, or null (none, or only a vague period). */
export function parseDate(text: string): string | null {
  return findDates(text)[0]?.iso ?? null;
}

/** What a date-ish value says when it is not an exact day. */
export type VagueDate = "window" | "unset";

const UNSET =
  /\b(tbd|tba|tbc|to be (?:determined|announced|confirmed|defined|advised)|not (?:yet )?(?:been )?(?:set|determined|defined|announced|available|decided|fixed)|will be (?:communicated|announced|provided|confirmed)|pending)\b/i;
const WINDOW =
  /\b(?:[1-4]q\s?'?\d{2,4}|q[1-4][\s/-]*'?\d{2,4}|[12]h\s?'?\d{2,4}|h[12][\s/-]*'?\d{2,4}|(?:first|second|third|fourth) quarter|(?:end|mid|beginning|start) of \w+|\d+\s*(?:days?|weeks?|months?|years?)\s+(?:from|after|following)|within \d+\s*(?:days?|weeks?|months?)|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}|(?:cw|wk|week)\s?\d{1,2}[/ ]\d{2,4})\b/i;

/**
 * Classifies a value that holds no exact day: `unset` (TBD, not yet set) or `window` (a quarter, a
 * month, a relative period: a buy window exists though the day is not known). Null when neither.
 * "Window" wins: "Q2 2027 (exact date to be confirmed)" names a window whose day is pending.
 */
export function vagueDate(text: string): VagueDate | null {
  if (findDates(text).length > 0) return null;
  if (WINDOW.test(text)) return "window";
  if (UNSET.test(text)) return "unset";
  return null;
}
