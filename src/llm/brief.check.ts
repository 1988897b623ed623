import type { BriefFacts } from "./brief.facts.ts";
import { parseIsoDay } from "./evidence.ts";

/**
 * Checks every number and date a written brief states against the computed facts. Pure.
 *
 * Read: money with symbols or codes ($, €, £, USD…), thousands separators, decimals, k/M/bn and
 * thousand/million/billion, percentages, and dates (2027-03-31, 31 March 2027, March 31, 2027,
 * 31/03/2027, March 2027). Identifiers (case id, MPN, maker, product ids and names) are removed
 * first, so their digits are not read as numbers. Words for numbers ("two") are not read.
 *
 * A stated number matches a fact when it equals it at the precision written: "$1.2M" may stand for
 * 1,234,567.89 (but "$1.3M" may not), "$1,234,568" or "$1,234,567" too (rounded or cut to whole
 * dollars), while a stated whole number of units, days or products must be exact. A percentage matches a fact stated as a
 * fraction (20% ~ 0.2) or as a percentage.
 */
export type BriefProblem = { kind: "number" | "date"; raw: string };
export type BriefVerdict = { kind: "ok" } | { kind: "rejected"; problems: BriefProblem[] };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH_WORD =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const monthNumber = (word: string) => MONTHS.indexOf(word.slice(0, 3) as (typeof MONTHS)[number]) + 1;

interface DateForm {
  re: RegExp;
  /** Candidate readings: [year|null, month, day|null]. */
  read: (m: readonly (string | undefined)[]) => [number | null, number, number | null][];
}

const DATE_FORMS: DateForm[] = [
  {
    re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g,
    read: (m) => [[Number(m[1]), Number(m[2]), Number(m[3])]],
  },
  {
    re: /(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?!\d)/g,
    read: (m) => {
      const y = fullYear(m[3]!);
      return [
        [y, Number(m[2]), Number(m[1])],
        [y, Number(m[1]), Number(m[2])],
      ];
    },
  },
  {
    re: new RegExp(
      `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?[\\s-]+${MONTH_WORD}(?:,?[\\s-]+(\\d{4}))?`,
      "gi",
    ),
    read: (m) => [[m[3] ? Number(m[3]) : null, monthNumber(m[2]!.toLowerCase()), Number(m[1])]],
  },
  {
    re: new RegExp(`\\b${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+(\\d{4}))?`, "gi"),
    read: (m) => [[m[3] ? Number(m[3]) : null, monthNumber(m[1]!.toLowerCase()), Number(m[2])]],
  },
  {
    re: new RegExp(`\\b${MONTH_WORD}\\s+(\\d{4})(?!\\d)`, "gi"),
    read: (m) => [[Number(m[2]), monthNumber(m[1]!.toLowerCase()), null]],
  },
];

function fullYear(s: string): number {
  return s.length === 2 ? 2000 + Number(s) : Number(s);
}

const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mn: 1e6,
  mm: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};

// currency? digits (with , or no-break-space thousands) .decimals? scale? %?
const NUMBER =
  /(?<![\p{L}\p{N}_])(?:([$€£¥]|usd|eur|gbp|chf|jpy)\s?)?(\d{1,3}(?:[,\u00A0\u202F]\d{3})+|\d+)(?:\.(\d+))?(?:\s?(thousand|million|billion|bn|mn|mm|k|m|b)(?![\p{L}]))?(\s?%|\s?percent)?/giu;

export function checkBrief(text: string, facts: BriefFacts): BriefVerdict {
  const problems: BriefProblem[] = [];
  let rest = removeIdentifiers(text, facts);

  const factDays = [
    facts.asOf,
    facts.ltbDate,
    facts.lastShipDate,
    facts.runOutDate,
    facts.decisionBy,
  ].flatMap((d) => {
    const p = d ? parseIsoDay(d) : null;
    return p ? [p] : [];
  });
  for (const form of DATE_FORMS) {
    rest = rest.replace(form.re, (...args) => {
      // replace() passes the match, its groups, then the offset and the whole string.
      const m = args.slice(0, -2).map((a) => (typeof a === "string" ? a : undefined));
      const ok = form
        .read(m)
        .some(([y, mo, d]) =>
          factDays.some((f) => (y === null || f.y === y) && f.m === mo && (d === null || f.d === d)),
        );
      if (!ok) problems.push({ kind: "date", raw: String(args[0]) });
      return " ";
    });
  }

  const allowed = allowedNumbers(facts);
  for (const m of rest.matchAll(NUMBER)) {
    const raw = m[0];
    if (isListMarker(rest, m.index ?? 0, raw)) continue;
    const intPart = m[2]!.replace(/[,\u00A0\u202F]/g, "");
    const decimals = m[3] ?? "";
    const scale = m[4] ? (SCALES[m[4].toLowerCase()] ?? 1) : 1;
    const value = Number(`${intPart}${decimals ? `.${decimals}` : ""}`) * scale;
    const unit = scale * 10 ** -decimals.length;
    const percent = m[5] !== undefined;
    const candidates = percent ? [value, value / 100] : [value];
    const unitOf = (c: number) => (percent && c !== value ? unit / 100 : unit);
    if (!allowed.some((f) => candidates.some((c) => matches(c, unitOf(c), f))))
      problems.push({ kind: "number", raw });
  }
  return problems.length === 0 ? { kind: "ok" } : { kind: "rejected", problems };
}

/**
 * The fact, rounded or cut at the precision written. With whole units (unit 1) both readings
 * leave only the exact value for a whole fact (units, days, counts).
 */
function matches(stated: number, unit: number, fact: number): boolean {
  const eps = 1e-9 * Math.max(1, Math.abs(fact));
  const rounded = Math.abs(stated - fact) <= unit / 2 + eps;
  const cut = stated <= fact + eps && fact < stated + unit - eps;
  return rounded || cut;
}

/** `1.` or `2)` opening a line: list numbering, not a statement. */
function isListMarker(text: string, at: number, raw: string): boolean {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return (
    text.slice(lineStart, at).trim() === "" &&
    /^\d{1,2}$/.test(raw) &&
    /^[.)]\s/.test(text.slice(at + raw.length, at + raw.length + 2))
  );
}

function allowedNumbers(f: BriefFacts): number[] {
  const nums: number[] = [
    f.revenueAtRisk,
    f.demandUnits,
    f.supplyUnits,
    f.shortfallUnits,
    f.affectedProducts.length,
    f.options.length,
    f.options.length + (f.recommendation ? 1 : 0),
  ];
  if (f.daysLeft !== null) nums.push(f.daysLeft, Math.abs(f.daysLeft));
  if (f.cashOutlay !== null) nums.push(f.cashOutlay);
  if (f.recommendation) nums.push(f.recommendation.cost);
  for (const o of f.options) nums.push(o.cost);
  for (const p of f.affectedProducts) nums.push(p.qtyPerUnit);
  nums.push(f.coverageMonths, ...f.bridges.map((b) => b.units));
  for (const d of [f.asOf, f.ltbDate, f.lastShipDate, f.runOutDate, f.decisionBy]) {
    const p = d ? parseIsoDay(d) : null;
    if (p) nums.push(p.y);
  }
  // Numbers written in the assumptions are settings the brief may repeat.
  for (const a of f.assumptions) {
    for (const m of a.matchAll(NUMBER)) {
      const v = Number(`${m[2]!.replace(/[,\u00A0\u202F]/g, "")}${m[3] ? `.${m[3]}` : ""}`);
      const scale = m[4] ? (SCALES[m[4].toLowerCase()] ?? 1) : 1;
      nums.push(v * scale);
      if (m[5] !== undefined) nums.push((v * scale) / 100);
    }
  }
  return nums.filter((n) => Number.isFinite(n));
}

/** Blanks the identifiers a brief names, longest first, so that "TPS54331" is not read as a number. */
function removeIdentifiers(text: string, f: BriefFacts): string {
  const ids = [f.caseId, f.mpn, f.manufacturer, ...f.affectedProducts.flatMap((p) => [p.id, p.name])]
    .filter((s): s is string => typeof s === "string" && /\d/.test(s) && s.trim() !== "")
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const id of ids) out = out.replace(new RegExp(escapeRe(id), "gi"), " ");
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
