import { parseDate } from "../extract/dates.ts";

/**
 * A date field of a platform record or an export cell → `YYYY-MM-DD`. Platforms write dates every
 * which way, sometimes within one API (shared/reference/lifecycle-platforms/notes.md): "Mar 12, 2017",
 * "Jan 8,2026", "September 22, 2025", "2024-07-01", "2024-06-01T12:00:00Z", "06/20/2024" (US,
 * month first, SiliconExpert's documented request format), "Dec 14, 2025 16:10 UTC (MMM dd, yyyy
 * HH:mm z)". The extractor's date reader knows all of these; this adds what a field (unlike prose)
 * means: an empty cell or "N/A" is no date, a timestamp is the day as written (the issuer's local
 * day), and text that holds no exact day (a year, a quarter) is unreadable rather than guessed.
 */
export type FieldDate =
  | { kind: "empty" }
  | { kind: "day"; day: string }
  | { kind: "unreadable"; raw: string };

const NO_DATE = /^(?:n\/?a|none|null|nil|-+|—|–|tbd|tba|tbc|unknown|not available|not applicable|0)$/i;
const ISO_STAMP = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}/;

export function readFieldDate(value: unknown): FieldDate {
  if (value === null || value === undefined) return { kind: "empty" };
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { kind: "unreadable", raw: String(value) }
      : { kind: "day", day: value.toISOString().slice(0, 10) };
  }
  if (typeof value !== "string") return { kind: "unreadable", raw: String(value) };
  const v = value.trim();
  if (!v || NO_DATE.test(v)) return { kind: "empty" };
  const stamp = ISO_STAMP.exec(v)?.[1];
  const day = parseDate(stamp ?? v);
  return day ? { kind: "day", day } : { kind: "unreadable", raw: v };
}

/** The day, or null for empty and unreadable values (callers that must report use readFieldDate). */
export function fieldDay(value: unknown): string | null {
  const d = readFieldDate(value);
  return d.kind === "day" ? d.day : null;
}

/** `YYYY-MM-DD` → SiliconExpert's request format `MM/dd/yyyy`. */
export function usDate(day: string): string {
  const [y, m, d] = day.split("-");
  return `${m}/${d}/${y}`;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}
