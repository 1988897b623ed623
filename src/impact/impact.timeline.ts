import type { ImpactSettings } from "./impact.settings.ts";
import {
  addDays,
  type Bridge,
  bridgeUnits,
  DAYS_PER_MONTH,
  type DemandCurve,
  type Draw,
  decisionBy,
  ENGINEERING_OPTIONS,
  type EngineeringOption,
  growingDemand,
  horizonDay,
  linearDemand,
  monthsOf,
  runOutDay,
  type Severity,
  type Stress,
  severityOf,
} from "./impact.time.ts";

/**
 * The §6b time view of one assessment, assembled from the pure pieces of impact.time.ts in the
 * order the model needs them: the bridges first (they change the engineering options' costs, so
 * the recommendation), then severity, decide-by and the stress case once the recommendation is known.
 */

/** The fields DESIGN §5/§6b name, plus each option's lead time (so a reader can say why a bridge). */
export interface TimeView {
  covered: boolean;
  run_out_date: string | null;
  coverage_months: number;
  severity: Severity;
  decision_by: string | null;
  /** Per engineering option, when options were assessed: the bridge it needs, null when none or infeasible. */
  bridges: Partial<Record<EngineeringOption, Bridge | null>>;
  stress: Stress | null;
  lead_months: Record<EngineeringOption, number>;
}

export function leadMonthsOf(s: ImpactSettings): Record<EngineeringOption, number> {
  return {
    alternate: s.alternateLeadMonths,
    substitute: s.substituteLeadMonths,
    redesign: s.redesignLeadMonths,
  };
}

/**
 * No supply ends (§6 step 0) or nothing uses the part: covered, nothing to bridge or decide.
 * `coverageDays` is the last end of production of the affected assemblies (0 when none).
 */
export function quietTimeView(coverageDays: number, settings: ImpactSettings): TimeView {
  return {
    covered: true,
    run_out_date: null,
    coverage_months: monthsOf(coverageDays),
    severity: "none",
    decision_by: null,
    bridges: {},
    stress: null,
    lead_months: leadMonthsOf(settings),
  };
}

export interface Consumption {
  draws: readonly Draw[];
  demand: DemandCurve;
  horizon: number;
  supply: number;
  /** Q = 0. */
  covered: boolean;
  /** x*: the day the stock runs out; null when covered. */
  runOut: number | null;
}

export function consumption(draws: readonly Draw[], supply: number, shortfall: number): Consumption {
  const demand = linearDemand(draws);
  const covered = shortfall === 0;
  const horizon = horizonDay(draws);
  return { draws, demand, horizon, supply, covered, runOut: runOutDay(demand, supply, covered, horizon) };
}

export interface PlannedBridge extends Bridge {
  /** What carrying the bridge adds to the option's cost (holding at the LTB, or the broker premium). */
  cost: number;
}

/**
 * §6b.3: the bridge each feasible engineering option needs, bought at the last-time buy while the
 * window is open (holding cost over the lead time) and from a broker otherwise (the premium).
 */
export function planBridges(args: {
  use: Consumption;
  feasible: Record<EngineeringOption, boolean>;
  buyWindowOpen: boolean;
  unitCost: number;
  settings: ImpactSettings;
}): Record<EngineeringOption, PlannedBridge | null> {
  const { use, settings } = args;
  const lead = leadMonthsOf(settings);
  const out = {} as Record<EngineeringOption, PlannedBridge | null>;
  for (const x of ENGINEERING_OPTIONS) {
    const units = args.feasible[x]
      ? bridgeUnits(use.demand, lead[x] * DAYS_PER_MONTH, use.horizon, use.supply)
      : 0;
    if (units === 0) {
      out[x] = null;
      continue;
    }
    const cost = args.buyWindowOpen
      ? (units * args.unitCost * settings.holdingCostRate * (lead[x] / 12)) / 2
      : units * args.unitCost * (settings.brokerPremium - 1);
    out[x] = { units, source: args.buyWindowOpen ? "last_time_buy" : "broker", cost };
  }
  return out;
}

/** The time view once the recommendation is chosen (§6b.2, 4, 5, 6). */
export function timeView(args: {
  use: Consumption;
  today: string;
  ltbDate: string | null;
  buyWindowOpen: boolean;
  feasible: Record<EngineeringOption, boolean>;
  bridges: Record<EngineeringOption, PlannedBridge | null>;
  recommendation: string;
  settings: ImpactSettings;
}): TimeView {
  const { use, today, settings } = args;
  const lead = leadMonthsOf(settings);
  const coverageDays = use.runOut ?? use.horizon;
  const runOut = use.runOut === null ? null : addDays(today, use.runOut);
  const quickest = Math.min(...ENGINEERING_OPTIONS.filter((x) => args.feasible[x]).map((x) => lead[x]));
  const engineering = (ENGINEERING_OPTIONS as readonly string[]).includes(args.recommendation)
    ? (args.recommendation as EngineeringOption)
    : null;
  const bridges: Partial<Record<EngineeringOption, Bridge | null>> = {};
  for (const x of ENGINEERING_OPTIONS) {
    const b = args.bridges[x];
    bridges[x] = b ? { units: b.units, source: b.source } : null;
  }
  return {
    covered: use.covered,
    run_out_date: runOut,
    coverage_months: monthsOf(coverageDays),
    severity: severityOf({
      covered: use.covered,
      coverageMonths: coverageDays / DAYS_PER_MONTH,
      quickestLeadMonths: quickest,
      buyWindowOpen: args.buyWindowOpen,
    }),
    decision_by: decisionBy({
      recommendation: args.recommendation,
      today,
      runOut,
      ltbDate: args.ltbDate,
      buyWindowOpen: args.buyWindowOpen,
      leadDays: engineering ? lead[engineering] * DAYS_PER_MONTH : null,
      bridged: engineering !== null && args.bridges[engineering] !== null,
    }),
    bridges,
    stress: stressCase(use, today, settings.demandStressGrowth),
    lead_months: lead,
  };
}

/** §6b.6: the same draws growing `growth` a year: the demand, what the stock misses, when it runs out. */
export function stressCase(use: Consumption, today: string, growth: number): Stress {
  const demand = growingDemand(use.draws, growth);
  const units = Math.ceil(Math.round(demand.at(use.horizon) * 1e6) / 1e6);
  const shortfall = Math.max(0, units - use.supply);
  const x = shortfall > 0 ? (demand.reach(use.supply) ?? use.horizon) : null;
  return {
    growth,
    demand_units: units,
    shortfall_units: shortfall,
    run_out_date: x === null ? null : addDays(today, x),
  };
}
