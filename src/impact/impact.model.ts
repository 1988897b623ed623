import type { LifecycleStatus } from "../parts/lifecycle.ts";
import { type ImpactSettings, settingAssumptions } from "./impact.settings.ts";
import { drawsOf } from "./impact.time.ts";
import { consumption, planBridges, quietTimeView, type TimeView, timeView } from "./impact.timeline.ts";
import { type NearMiss, nearMisses, type StemCandidate } from "./near-misses.ts";

/**
 * The impact model of DESIGN §6 and §6b as one pure function over facts already loaded from the
 * graph. No I/O, no clock: `asOf` is an argument. Money is rounded to cents only in the result, so
 * intermediate sums keep full precision.
 */

/** Mitigation options in tie-break order (DESIGN §6: ties go to the earlier one). */
export const OPTION_KINDS = [
  "existing_stock",
  "last_time_buy",
  "alternate",
  "substitute",
  "broker",
  "redesign",
] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];
export type Recommendation = OptionKind | "none";

export interface PartFacts {
  manufacturer: string;
  mpn: string;
  unitCost: number;
  onHand: number;
  onOrder: number;
  status: LifecycleStatus;
}

export interface AssemblyFacts {
  assemblyId: string;
  annualDemand: number;
  unitPrice: number;
  /** YYYY-MM-DD */
  endOfProduction: string;
}

/** Units of the part per unit of `assemblyId`: the sum over every BOM path of the product of qty_per. */
export interface Usage {
  assemblyId: string;
  qtyPerUnit: number;
}

/**
 * An assembly that holds the part on its own BOM, with the latest end of production among the
 * assemblies with demand that it reaches upwards (itself included); null when none has demand.
 * A redesign touches each holder that still reaches future demand.
 */
export interface Holder {
  holderId: string;
  latestDemandEnd: string | null;
}

export interface AlternateFacts {
  kind: "drop_in" | "substitute";
  manufacturer: string;
  mpn: string;
  /** alt_unit_cost from alternates.csv, when given. */
  altUnitCost: number | null;
  /** The alternate's own parts row, when it has one. */
  partUnitCost: number | null;
  partStatus: LifecycleStatus | null;
}

export interface AssessInput {
  /** null when the notice matches no stored part. */
  part: PartFacts | null;
  assemblies: ReadonlyMap<string, AssemblyFacts>;
  usages: readonly Usage[];
  holders: readonly Holder[];
  alternates: readonly AlternateFacts[];
  /** The notice's status; null means "use the part's stored status". */
  status: LifecycleStatus | null;
  /** YYYY-MM-DD or null when the notice gives no LTB date. */
  ltbDate: string | null;
  asOf: Date;
  settings: ImpactSettings;
  /** The MPN as the notice wrote it (near misses are judged from it); the stored part's when absent. */
  noticeMpn?: string;
  /** BOM parts that may share the notice part's orderable stem (§6b.7); none when absent. */
  stemCandidates?: readonly StemCandidate[];
}

export interface ImpactFigures {
  part: { manufacturer: string; mpn: string } | null;
  demand_units: number;
  supply_units: number;
  shortfall_units: number;
  revenue_at_risk: number;
  recommendation: Recommendation;
  pnl_impact: number;
  options: Record<OptionKind, number | null>;
  /** [assembly_id, units of the part per unit of it], by assembly id. */
  affected: [string, number][];
  /** Cash paid up front for a last-time buy (Q × unit cost), when that option is feasible. */
  last_time_buy_outlay: number | null;
  /** The cheapest feasible alternate / substitute behind those options. */
  alternate_part: { manufacturer: string; mpn: string } | null;
  substitute_part: { manufacturer: string; mpn: string } | null;
  /** Broker stock is feasible and carries counterfeit risk. */
  counterfeit_risk: boolean;
  as_of: string;
  /** ISO 4217 code of every money figure above (the CURRENCY setting; nothing is converted). */
  currency: string;
  status: LifecycleStatus;
  ltb_date: string | null;
  coverage: number;
  /** False for a status under which the part can still be bought as usual (§6 step 0). */
  supply_ends: boolean;
  assumptions: string[];
  /** §6b.7: BOM parts of the same die and family the notice does not name; never in exposure. */
  near_misses: NearMiss[];
  /** The figures the option costs are computed from, so a reader can redo the arithmetic; null without a part. */
  inputs: ImpactInputs | null;
}

/** The inputs of the §6 option formulas, as the assessment used them. */
export interface ImpactInputs {
  unit_cost: number;
  on_hand: number;
  on_order: number;
  /** H: the largest years_A to end of production among the affected assemblies. */
  horizon_years: number;
  /** Distinct assemblies holding the part directly with future demand (the redesign multiplier). */
  holders_with_demand: number;
  /** Unit cost of the cheapest usable drop-in alternate / substitute; null when unknown or none. */
  alternate_unit_cost: number | null;
  substitute_unit_cost: number | null;
  attrition_rate: number;
  holding_cost_rate: number;
  broker_premium: number;
  alternate_nre: number;
  substitute_nre: number;
  redesign_nre: number;
}

/** An assessment: the §6 figures and the §6b time view. */
export type ImpactResult = ImpactFigures & TimeView;

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365.25;
/** §6 step 0: supply ends only for these; under any other status the part is bought as usual. */
const SUPPLY_ENDS: ReadonlySet<LifecycleStatus> = new Set(["ltb", "eol", "obsolete"]);
const UNAVAILABLE_ALTERNATE = SUPPLY_ENDS;

export function supplyEnds(status: LifecycleStatus): boolean {
  return SUPPLY_ENDS.has(status);
}

/** The calendar day (UTC) of an instant, as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function roundCents(x: number): number {
  return Math.round(x * 100) / 100;
}

// Quantities are products of decimal qty_per; six places removes binary noise (0.1 × 3) without
// hiding any quantity a BOM would state.
function roundQty(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function emptyOptions(): Record<OptionKind, number | null> {
  return {
    existing_stock: null,
    last_time_buy: null,
    alternate: null,
    substitute: null,
    broker: null,
    redesign: null,
  };
}

export function assess(input: AssessInput): ImpactResult {
  const { part, settings } = input;
  const today = isoDay(input.asOf);
  const status: LifecycleStatus = input.status ?? part?.status ?? "unknown";
  const partRef = part ? { manufacturer: part.manufacturer, mpn: part.mpn } : null;
  const base = {
    as_of: today,
    currency: settings.currency,
    status,
    ltb_date: input.ltbDate,
    supply_ends: supplyEnds(status),
    assumptions: settingAssumptions(settings),
    near_misses: nearMisses(input.noticeMpn ?? part?.mpn ?? "", partRef, input.stemCandidates ?? []),
  };
  // No exposure: a part no assembly with future demand uses (§6.6), or one whose supply does not
  // end (§6 step 0: demand, supply and the affected set are reported, nothing is bought).
  const inputsWith = (
    horizonYears: number,
    holders: number,
    alt: ChosenAlternate | null,
    sub: ChosenAlternate | null,
  ) => (part ? impactInputs(part, settings, horizonYears, holders, alt, sub) : null);
  const noExposure = (demand: number, supply: number, affected: [string, number][], horizon: number) => ({
    part: partRef,
    demand_units: demand,
    supply_units: supply,
    shortfall_units: 0,
    revenue_at_risk: 0,
    recommendation: "none" as const,
    pnl_impact: 0,
    options: emptyOptions(),
    affected,
    last_time_buy_outlay: null,
    alternate_part: null,
    substitute_part: null,
    counterfeit_risk: false,
    coverage: 1,
    ...base,
    inputs: inputsWith(horizon / DAYS_PER_YEAR, 0, null, null),
    ...quietTimeView(horizon, settings),
  });
  if (!part) return noExposure(0, 0, [], 0);

  // 1. Explosion: assemblies with future demand (days to their end of production), and the
  // part's units per unit of each.
  const days = new Map<string, number>();
  for (const a of input.assemblies.values()) {
    if (a.annualDemand > 0 && a.endOfProduction > today) {
      days.set(a.assemblyId, daysBetween(today, a.endOfProduction));
    }
  }
  const qty = new Map<string, number>();
  for (const u of input.usages) {
    if (u.qtyPerUnit <= 0 || !days.has(u.assemblyId)) continue;
    qty.set(u.assemblyId, (qty.get(u.assemblyId) ?? 0) + u.qtyPerUnit);
  }
  const holdersWithDemand = input.holders.filter(
    (h) => h.latestDemandEnd !== null && h.latestDemandEnd > today,
  ).length;
  const affectedIds = [...qty.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  // 2–4. Demand, supply, shortfall, coverage, revenue at risk.
  let rawDemand = 0;
  let horizon = 0;
  const unitsOf = new Map<string, number>();
  for (const id of affectedIds) {
    const a = input.assemblies.get(id)!;
    const y = days.get(id)! / DAYS_PER_YEAR;
    const units = a.annualDemand * y;
    unitsOf.set(id, units);
    rawDemand += qty.get(id)! * units;
    if (y > horizon) horizon = y;
  }
  const demand = Math.ceil(rawDemand * (1 + settings.attritionRate));
  const supply = part.onHand + part.onOrder;
  const affected: [string, number][] = affectedIds.map((id) => [id, roundQty(qty.get(id)!)]);

  if (affectedIds.length === 0) return noExposure(0, supply, [], 0);
  if (!base.supply_ends) return noExposure(demand, supply, affected, Math.max(...days.values()));

  const shortfall = Math.max(0, demand - supply);
  const coverage = demand === 0 ? 1 : Math.min(1, supply / demand);
  let revenue = 0;
  for (const id of affectedIds) {
    revenue += (1 - coverage) * unitsOf.get(id)! * input.assemblies.get(id)!.unitPrice;
  }

  // §6b.1–3: consumption day by day, and the stock each engineering option must bridge its lead
  // time with. Feasibility of the alternates does not depend on the bridge, so it comes first.
  const use = consumption(
    drawsOf(
      affectedIds.map((id) => ({
        qtyPerUnit: qty.get(id)!,
        annualDemand: input.assemblies.get(id)!.annualDemand,
        endDay: days.get(id)!,
      })),
      settings.attritionRate,
    ),
    supply,
    shortfall,
  );
  const buyWindowOpen = status !== "obsolete" && (input.ltbDate === null || input.ltbDate >= today);
  const feasible = {
    alternate: hasUsableAlternate(input.alternates, "drop_in"),
    substitute: hasUsableAlternate(input.alternates, "substitute"),
    redesign: true,
  };
  const bridges = planBridges({ use, feasible, buyWindowOpen, unitCost: part.unitCost, settings });
  const unbridged = (x: "alternate" | "substitute") => Math.max(0, shortfall - (bridges[x]?.units ?? 0));

  // 5. Options: each feasible one gets its incremental cost over buying the part as usual; an
  // engineering option carries its bridge, and an alternate's price difference applies only to
  // the units bought after it is qualified (§6b.3).
  const raw: Record<OptionKind, number | null> = emptyOptions();
  if (shortfall === 0) raw.existing_stock = 0;
  let outlay: number | null = null;
  if (shortfall > 0 && buyWindowOpen) {
    raw.last_time_buy = (shortfall * part.unitCost * settings.holdingCostRate * horizon) / 2;
    outlay = shortfall * part.unitCost;
  }
  const alt = cheapestAlternate(input.alternates, "drop_in", part.unitCost, unbridged("alternate"));
  if (alt) raw.alternate = settings.alternateNre + (bridges.alternate?.cost ?? 0) + alt.premium;
  const sub = cheapestAlternate(input.alternates, "substitute", part.unitCost, unbridged("substitute"));
  if (sub) raw.substitute = settings.substituteNre + (bridges.substitute?.cost ?? 0) + sub.premium;
  if (shortfall > 0) raw.broker = shortfall * part.unitCost * (settings.brokerPremium - 1);
  raw.redesign = settings.redesignNre * holdersWithDemand + (bridges.redesign?.cost ?? 0);

  const options = emptyOptions();
  let recommendation: Recommendation = "none";
  let best = Number.POSITIVE_INFINITY;
  for (const kind of OPTION_KINDS) {
    const cost = raw[kind];
    if (cost === null) continue;
    options[kind] = roundCents(cost);
    // Strictly less keeps the earlier option on a tie, as DESIGN §6 orders them.
    if (options[kind]! < best) {
      best = options[kind]!;
      recommendation = kind;
    }
  }

  return {
    part: partRef,
    demand_units: demand,
    supply_units: supply,
    shortfall_units: shortfall,
    revenue_at_risk: roundCents(revenue),
    recommendation,
    pnl_impact: recommendation === "none" ? 0 : options[recommendation]!,
    options,
    affected,
    last_time_buy_outlay: outlay === null ? null : roundCents(outlay),
    alternate_part: alt ? { manufacturer: alt.manufacturer, mpn: alt.mpn } : null,
    substitute_part: sub ? { manufacturer: sub.manufacturer, mpn: sub.mpn } : null,
    counterfeit_risk: raw.broker !== null,
    coverage,
    ...base,
    inputs: inputsWith(horizon, holdersWithDemand, alt, sub),
    assumptions: [
      ...base.assumptions,
      ...(alt?.costUnknown || sub?.costUnknown
        ? ["an alternate with no known unit cost is assumed to cost the same as the part"]
        : []),
    ],
    ...timeView({
      use,
      today,
      ltbDate: input.ltbDate,
      buyWindowOpen,
      feasible,
      bridges,
      recommendation,
      settings,
    }),
  };
}

function usable(a: AlternateFacts, kind: AlternateFacts["kind"]): boolean {
  return a.kind === kind && (a.partStatus === null || !UNAVAILABLE_ALTERNATE.has(a.partStatus));
}

function hasUsableAlternate(alternates: readonly AlternateFacts[], kind: AlternateFacts["kind"]): boolean {
  return alternates.some((a) => usable(a, kind));
}

interface ChosenAlternate {
  manufacturer: string;
  mpn: string;
  premium: number;
  costUnknown: boolean;
  unitCost: number | null;
}

function impactInputs(
  part: PartFacts,
  s: ImpactSettings,
  horizonYears: number,
  holders: number,
  alt: ChosenAlternate | null,
  sub: ChosenAlternate | null,
): ImpactInputs {
  return {
    unit_cost: part.unitCost,
    on_hand: part.onHand,
    on_order: part.onOrder,
    horizon_years: horizonYears,
    holders_with_demand: holders,
    alternate_unit_cost: alt?.unitCost ?? null,
    substitute_unit_cost: sub?.unitCost ?? null,
    attrition_rate: s.attritionRate,
    holding_cost_rate: s.holdingCostRate,
    broker_premium: s.brokerPremium,
    alternate_nre: s.alternateNre,
    substitute_nre: s.substituteNre,
    redesign_nre: s.redesignNre,
  };
}

/**
 * The cheapest usable alternate of a kind: its stored status must not be ltb, eol or obsolete (one
 * absent from parts counts as active). Its cost is alt_unit_cost, else its own parts cost; the
 * price difference applies to `units`.
 */
function cheapestAlternate(
  alternates: readonly AlternateFacts[],
  kind: AlternateFacts["kind"],
  unitCost: number,
  units: number,
): ChosenAlternate | null {
  let best: ChosenAlternate | null = null;
  for (const a of alternates) {
    if (!usable(a, kind)) continue;
    const cost = a.altUnitCost ?? a.partUnitCost;
    const premium = Math.max(0, (cost ?? unitCost) - unitCost) * units;
    if (!best || premium < best.premium) {
      best = {
        manufacturer: a.manufacturer,
        mpn: a.mpn,
        premium,
        costUnknown: cost === null,
        unitCost: cost,
      };
    }
  }
  return best;
}
