/**
 * The time view of an assessment (DESIGN §6b) as pure functions: how fast each assembly draws the
 * part, when the stock runs out, how much stock each engineering option needs to bridge its lead
 * time, how severe the shortfall is, by when someone must decide, and the demand-growth stress case.
 *
 * Time is counted in days from the as-of date T (day 0). Months are 365.25/12 days. Nothing here
 * reads a clock: every function takes its days and dates as arguments.
 */

export const DAYS_PER_YEAR = 365.25;
export const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;
const DAY_MS = 86_400_000;

/** One assembly's draw on the part: `r_A` units a day from day 0 until day `endDay` (`e_A`). */
export interface Draw {
  perDay: number;
  endDay: number;
}

/** Engineering options in §6 order; each takes a lead time to qualify and may need a bridge. */
export const ENGINEERING_OPTIONS = ["alternate", "substitute", "redesign"] as const;
export type EngineeringOption = (typeof ENGINEERING_OPTIONS)[number];

export const SEVERITIES = ["none", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Bridge {
  units: number;
  source: "last_time_buy" | "broker";
}

export interface Stress {
  growth: number;
  demand_units: number;
  shortfall_units: number;
  run_out_date: string | null;
}

/** The draws of the affected assemblies: `r_A = q_A × annual_demand_A × (1 + attrition) / 365.25`. */
export function drawsOf(
  assemblies: readonly { qtyPerUnit: number; annualDemand: number; endDay: number }[],
  attritionRate: number,
): Draw[] {
  return assemblies.map((a) => ({
    perDay: (a.qtyPerUnit * a.annualDemand * (1 + attritionRate)) / DAYS_PER_YEAR,
    endDay: a.endDay,
  }));
}

/** The last day anything is drawn (the largest `e_A`); 0 when nothing is. */
export function horizonDay(draws: readonly Draw[]): number {
  return draws.reduce((m, d) => Math.max(m, d.endDay), 0);
}

/**
 * A cumulative demand curve: `at(x)` is the demand of the first x days; `reach(s)` is the smallest
 * x ≥ 0 with `at(x) ≥ s`, or null when the curve never gets there. Both are non-decreasing.
 */
export interface DemandCurve {
  at(x: number): number;
  reach(s: number): number | null;
}

/** `C(x) = Σ_A r_A × min(x, e_A)` (§6b.1). */
export function linearDemand(draws: readonly Draw[]): DemandCurve {
  return curve(draws, {
    segment: (perDay, x) => perDay * x,
    // Inverse on one segment: the day at which `perDay × x` has reached `amount`.
    solve: (perDay, amount) => amount / perDay,
  });
}

/**
 * `C_g(x) = Σ_A r_A × k × ((1+g)^(min(x,e_A)/365.25) − 1)`, `k = 365.25 / ln(1+g)` (§6b.6): the same
 * draws growing `g` a year, compounded continuously from day 0. At g = 0 this is `C` itself.
 */
export function growingDemand(draws: readonly Draw[], growth: number): DemandCurve {
  const lnG = Math.log1p(growth);
  // Written as r × x × (e^y − 1)/y with y = ln(1+g) × x/365.25 (and its inverse likewise), so a
  // growth near zero neither divides by zero nor loses precision, and g = 0 gives C itself.
  return curve(draws, {
    segment: (perDay, x) => perDay * x * relExpm1((x / DAYS_PER_YEAR) * lnG),
    solve: (perDay, amount) => (amount / perDay) * relLog1p((amount * lnG) / (perDay * DAYS_PER_YEAR)),
  });
}

/** (e^y − 1) / y, and its limit 1 at y = 0. */
function relExpm1(y: number): number {
  return y === 0 ? 1 : Math.expm1(y) / y;
}

/** ln(1 + z) / z, and its limit 1 at z = 0. */
function relLog1p(z: number): number {
  return z === 0 ? 1 : Math.log1p(z) / z;
}

/**
 * A curve made of one growth shape `segment(r, x)` (increasing in x, 0 at x = 0) per draw. Between
 * two end days the active draws share one shape, so `reach` inverts it exactly on the segment
 * where the target falls instead of searching.
 */
function curve(
  draws: readonly Draw[],
  shape: {
    segment: (perDay: number, x: number) => number;
    solve: (perDay: number, amount: number) => number;
  },
): DemandCurve {
  const live = draws.filter((d) => d.perDay > 0 && d.endDay > 0).sort((a, b) => a.endDay - b.endDay);
  const at = (x: number) => {
    let sum = 0;
    for (const d of live) sum += shape.segment(d.perDay, Math.min(Math.max(x, 0), d.endDay));
    return sum;
  };
  return {
    at,
    reach(s) {
      if (s <= 0) return 0;
      let start = 0;
      for (let i = 0; i < live.length; i++) {
        const end = live[i]!.endDay;
        if (end > start && at(end) >= s) {
          // On [start, end] every draw from i on is active: at(x) = done + shape(active rate, x),
          // where `done` is what the draws that ended before `start` took in full.
          let done = 0;
          let active = 0;
          for (let j = 0; j < live.length; j++) {
            if (j < i) done += shape.segment(live[j]!.perDay, live[j]!.endDay);
            else active += live[j]!.perDay;
          }
          const x = shape.solve(active, s - done);
          // Guard the float inverse against landing a hair outside its segment.
          return Math.min(Math.max(x, start), end);
        }
        start = end;
      }
      return null;
    },
  };
}

/** Coverage in months (one decimal), from a day count. */
export function monthsOf(days: number): number {
  return Math.round((days / DAYS_PER_MONTH) * 10) / 10;
}

/** The calendar day `days` after `day` (YYYY-MM-DD), the fraction of a day dropped (floor). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + Math.floor(days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The run-out day x* (§6b.2): the first day cumulative demand reaches the stock; null when covered.
 * Short of stock by the whole-unit demand D while the exact curve ends a hair below it (D is a
 * ceil), the stock lasts to the last end of production `horizon`.
 */
export function runOutDay(
  demand: DemandCurve,
  supply: number,
  covered: boolean,
  horizon: number,
): number | null {
  return covered ? null : (demand.reach(supply) ?? horizon);
}

/** `B_x = max(0, ceil(C(min(h_x, max e_A)) − S))` (§6b.3): stock needed until the option is qualified. */
export function bridgeUnits(demand: DemandCurve, leadDays: number, horizon: number, supply: number): number {
  // Six places drop binary noise (a curve that should sit exactly on a whole unit) before ceil.
  const need = Math.round((demand.at(Math.min(leadDays, horizon)) - supply) * 1e6) / 1e6;
  return Math.max(0, Math.ceil(need));
}

/**
 * §6b.4: `none` when covered; with L the lead time of the quickest feasible engineering option,
 * `critical` when the stock lasts less than L and no last-time buy is possible, `high` when it lasts
 * less than L but the buy window is open, `medium` when it lasts L to L + 12 months, `low` beyond.
 */
export function severityOf(args: {
  covered: boolean;
  coverageMonths: number;
  quickestLeadMonths: number;
  buyWindowOpen: boolean;
}): Severity {
  if (args.covered) return "none";
  const L = args.quickestLeadMonths;
  if (args.coverageMonths < L) return args.buyWindowOpen ? "high" : "critical";
  return args.coverageMonths < L + 12 ? "medium" : "low";
}

/**
 * §6b.5: the date by which the recommended option must be decided. `runOut` is the run-out date,
 * `ltbDate` the notice's LTB date, `today` is T. For an engineering option, `leadDays` is its lead
 * time and `bridged` whether it needs a bridge.
 */
export function decisionBy(args: {
  recommendation: string;
  today: string;
  runOut: string | null;
  ltbDate: string | null;
  buyWindowOpen: boolean;
  leadDays: number | null;
  bridged: boolean;
}): string | null {
  const { recommendation, today, runOut, ltbDate } = args;
  switch (recommendation) {
    case "none":
    case "existing_stock":
      return null;
    case "last_time_buy":
      return ltbDate ?? runOut;
    case "broker":
      return runOut;
  }
  if (args.bridged) return ltbDate !== null && args.buyWindowOpen ? ltbDate : today;
  if (runOut === null || args.leadDays === null) return null;
  // The run-out date minus the lead time, as a calendar day; never before T.
  const start = addDays(runOut, -args.leadDays);
  // (ISO dates compare as strings; Math.max would not.)
  if (start < today) return today;
  return start;
}
