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
  // French
  janv: 1,
  janvier: 1,
  févr: 2,
  février: 2,
  fevr: 2,
  fevrier: 2,
  mars: 3,
  avr: 4,
  avril: 4,
  mai: 5,
  juin: 6,
  juil: 7,
  juillet: 7,
  août: 8,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  déc: 12,
  décembre: 12,
  decembre: 12,
  // German
  januar: 1,
  jänner: 1,
  februar: 2,
  märz: 3,
  maerz: 3,
  juni: 6,
  juli: 7,
  oktober: 10,
  okt: 10,
  dezember: 12,
  dez: 12,
  // Italian
  gennaio: 1,
  gen: 1,
  febbraio: 2,
  marzo: 3,
  aprile: 4,
  maggio: 5,
  mag: 5,
  giugno: 6,
  giu: 6,
  luglio: 7,
  lug: 7,
  agosto: 8,
  ago: 8,
  settembre: 9,
  set: 9,
  ottobre: 10,
  ott: 10,
  dicembre: 12,
  dic: 12,
  // Spanish
  enero: 1,
  ene: 1,
  febrero: 2,
  abril: 4,
  abr: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
  // Portuguese
  janeiro: 1,
  fevereiro: 2,
  fev: 2,
  março: 3,
  marco: 3,
  maio: 5,
  junho: 6,
  julho: 7,
  setembro: 9,
  outubro: 10,
  out: 10,
  // Polish, as dates write them (genitive)
  stycznia: 1,
  lutego: 2,
  marca: 3,
  kwietnia: 4,
  maja: 5,
  czerwca: 6,
  lipca: 7,
  sierpnia: 8,
  września: 9,
  wrzesnia: 9,
  października: 10,
  pazdziernika: 10,
  listopada: 11,
  grudnia: 12,
  // Dutch
  januari: 1,
  februari: 2,
  maart: 3,
  mei: 5,
  augustus: 8,
};

/** Every month name above, longest first so that "marzo" is not read as "mar". */
const MONTH_NAMES = Object.keys(MONTHS).sort((a, b) => b.length - a.length);

/** Month names and abbreviations of the languages above, an optional full stop after them. */
const MONTH = `(${MONTH_NAMES.join("|")})\\.?`;
const DAY = "(\\d{1,2})(?:st|nd|rd|th|er)?";
const YEAR = "(\\d{4}|'\\d{2})";

/** One alternative per written form; the named order of day/month/year is in FORMS below. */
const FORMS: {
  re: string;
  order: "ymd" | "dmy" | "mdy" | "num" | "numdot" | "era" | "fiscal" | "monthEnd" | "roc";
}[] = [
  { re: "(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)", order: "ymd" },
  // Japanese: 2027年3月31日, Reiwa/Heisei era years (令和8年9月30日), end of a fiscal year (2026年度末).
  { re: "(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日", order: "ymd" },
  { re: "((?:令和|平成)\\s*(?:\\d{1,2}|元))\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日", order: "era" },
  { re: "(\\d{4})\\s*年度末()()", order: "fiscal" },
  // The last day of a month: 2027年3月末日 (末日 is a day; 月末 and 月底, "end of the month", are a window).
  { re: "(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*末日()", order: "monthEnd" },
  // Taiwan's Minguo years: 中華民國115年11月20日, 116年6月30日 (year + 1911).
  { re: "(?:中華民國|民國)?\\s*(1[0-4]\\d)\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日", order: "roc" },
  // Czech and Slovak: "30. 9. 2027" (a space after each dot).
  { re: "(\\d{1,2})\\.\\s(\\d{1,2})\\.\\s(\\d{4})(?!\\d)", order: "numdot" },
  // Korean dotted: "2027. 6. 30." (a space after each dot).
  { re: "(\\d{4})\\.\\s(\\d{1,2})\\.\\s(\\d{1,2})\\.?(?!\\d)", order: "ymd" },
  // Korean: 2027년 3월 31일.
  { re: "(\\d{4})\\s*년\\s*(\\d{1,2})\\s*월\\s*(\\d{1,2})\\s*일", order: "ymd" },
  // "31 March 2027", "15 de marzo de 2027", "30 aprile 2027", "1er avril 2027".
  {
    re: `${DAY}(?:\\s*[-. ]\\s*|\\s+(?:of|de|di)\\s+)${MONTH}(?:\\s*[-., ]\\s*|\\s+(?:de|del)\\s+)${YEAR}`,
    order: "dmy",
  },
  { re: `${MONTH}\\s*[- ]?\\s*${DAY}(?:\\s*,\\s*|\\s+|\\s*-\\s*)${YEAR}`, order: "mdy" },
  // Murata's "Oct.,30,26": month, day and a two-digit year, all comma-separated.
  { re: `${MONTH}\\s*,\\s*${DAY}\\s*,\\s*(\\d{2})(?!\\d)`, order: "mdy" },
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

/** Japanese era years: Reiwa 1 = 2019, Heisei 1 = 1989 (元年 is the first year). */
function eraYear(raw: string): number {
  const n = /元/.test(raw) ? 1 : Number(raw.replace(/\D/g, ""));
  return (raw.startsWith("令和") ? 2018 : 1988) + n;
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
        case "era":
          iso = validIso(eraYear(a), Number(b), Number(c));
          break;
        case "roc":
          iso = validIso(Number(a) + 1911, Number(b), Number(c));
          break;
        case "monthEnd":
          iso = validIso(Number(a), Number(b), new Date(Date.UTC(Number(a), Number(b), 0)).getUTCDate());
          break;
        case "fiscal":
          // A Japanese fiscal year runs April to March: 2026年度末 is 31 March 2027.
          iso = validIso(Number(a) + 1, 3, 31);
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
  /\b(?:[1-4]q\s?'?\d{2,4}|q[1-4][\s/-]*'?\d{2,4}|[12]h\s?'?\d{2,4}|h[12][\s/-]*'?\d{2,4}|(?:first|second|third|fourth) quarter|(?:end|mid|beginning|start) of \w+|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)(?:\s*\(\d+\))?\s*(?:days?|weeks?|months?|years?)\s+(?:from|after|following)|within (?:\d+|one|two|three|four|five|six|nine|twelve)\s*(?:days?|weeks?|months?)|(?:entro|dentro de|en|innerhalb von|binnen|dans (?:les|un délai de))?\s*\d+\s*(?:mesi|meses|monate?n?|mois|maanden|settimane|semanas|wochen|semaines|weken)\s+(?:dalla|dal|dalle|desde|a partir|nach|ab|après|à compter|na|vanaf|después|a contar)|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}|(?:cw|wk|week)\s?\d{1,2}[/ ]\d{2,4})\b|\d{4}\s*年\s*\d{1,2}\s*月\s*(?:末|底|上旬|中旬|下旬)/i;

/** Whether a text says a date is not set yet ("TBD", "not yet been set", "will be announced"). */
export function isUnsetDate(text: string): boolean {
  return UNSET.test(text);
}

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
