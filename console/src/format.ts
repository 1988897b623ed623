/** How the console writes money, quantities, dates and durations (en-US, UTC days). */

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const qty = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });

/**
 * Money is written in the installation's currency (CURRENCY, which the session answer carries); the
 * figures are never converted. Set once the session is known, before any page shows an amount.
 */
let whole = moneyFormat("USD", 0);
let cents = moneyFormat("USD", 2);
let short = moneyFormat("USD", 1, "compact");
function moneyFormat(currency: string, digits: number, notation?: "compact"): Intl.NumberFormat {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    maximumFractionDigits: digits,
    ...(digits === 2 ? {} : { minimumFractionDigits: 0 }),
    ...(notation ? { notation } : {}),
  });
}
export function setCurrency(currency: string): void {
  try {
    whole = moneyFormat(currency, 0);
    cents = moneyFormat(currency, 2);
    short = moneyFormat(currency, 1, "compact");
  } catch {
    // A code this browser does not know: amounts stay in the last currency set, as before.
  }
}

export const money = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : whole.format(x);
export const moneyCents = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : cents.format(x);
export const moneyShort = (x: number) => short.format(x);
export const units = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : count.format(x);
export const quantity = (x: number) => qty.format(x);
export const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

/** `2027-03-31` as written (ISO days are unambiguous for every reader); "–" when absent. */
export const day = (d: string | null | undefined) => d ?? "–";

/** An instant as `2026-12-02 09:44 UTC`. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "in 123 days", "today", "12 days ago". */
export function daysFromNow(days: number | null | undefined): string {
  if (days === null || days === undefined) return "";
  if (days === 0) return "today";
  if (days > 0) return `in ${count.format(days)} day${days === 1 ? "" : "s"}`;
  return `${count.format(-days)} day${days === -1 ? "" : "s"} ago`;
}

/** Milliseconds as "420 ms", "3.2 s", "4 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export const label = (s: string) => s.replaceAll("_", " ");
