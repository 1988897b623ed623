import { daysBetween, isoDay } from "../impact/impact.model.ts";

/**
 * When an undecided case is due a reminder, pure (the clock is an argument).
 * Thresholds are days before the decide-by date (`REMINDER_DAYS`, 90,30,7); past the date comes one
 * `overdue`. At any moment the reminder due is the most urgent threshold reached: the smallest
 * threshold not below the days left, or `overdue` once the date has passed. Larger thresholds not yet
 * claimed then are `superseded` (the process was down when they came, or the case arrived late):
 * people get the reminder that matters now, not three stale ones at once. Each threshold is claimed at
 * most once per case (the store's primary key decides between processes).
 */
export const OVERDUE = "overdue";

export interface DueReminder {
  threshold: string;
  daysLeft: number;
  /** Larger thresholds passed unclaimed: recorded as superseded with this one. */
  superseded: string[];
}

export function parseThresholds(spec: string): number[] | { error: string } {
  const parts = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: "needs at least one number of days" };
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 3650))
    return { error: "must be whole numbers of days from 0 to 3650, comma-separated" };
  if (new Set(days).size !== days.length) return { error: "lists a number twice" };
  return [...days].sort((a, b) => b - a);
}

export function dueReminder(
  decideBy: string,
  now: Date,
  thresholds: readonly number[],
  claimed: ReadonlySet<string>,
): DueReminder | null {
  const daysLeft = daysBetween(isoDay(now), decideBy);
  const keys = [...thresholds].sort((a, b) => b - a).map(String);
  let due: string | null;
  if (daysLeft < 0) due = OVERDUE;
  else {
    const reached = [...thresholds].filter((t) => daysLeft <= t).sort((a, b) => a - b)[0];
    due = reached === undefined ? null : String(reached);
  }
  if (due === null || claimed.has(due)) return null;
  const superseded = due === OVERDUE ? keys : keys.filter((k) => Number(k) > Number(due));
  return { threshold: due, daysLeft, superseded: superseded.filter((k) => !claimed.has(k)) };
}

export const WEEKDAYS = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The weekly digest slot due at `now`: the latest `weekday` at `hourUtc` not after now, when it is
 * less than a day old (a process down through the whole day skips that week rather than sending a
 * digest days late). Returns the slot's date (the week's key), or null.
 */
export function weeklySlotDue(now: Date, weekday: Weekday, hourUtc: number): string | null {
  const target = WEEKDAYS.indexOf(weekday);
  const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  const back = (now.getUTCDay() - target + 7) % 7;
  slot.setUTCDate(slot.getUTCDate() - back);
  if (slot.getTime() > now.getTime()) slot.setUTCDate(slot.getUTCDate() - 7);
  return now.getTime() - slot.getTime() < 86_400_000 ? isoDay(slot) : null;
}
