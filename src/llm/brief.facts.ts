import { daysBetween, type ImpactResult, OPTION_KINDS } from "../impact/impact.model.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";

/**
 * The computed case a stakeholder brief is written from. Every number a brief may state is here
 * (or in the assumptions' text); nothing in a brief is computed by the model.
 */
export interface BriefFacts {
  caseId: string;
  manufacturer: string | null;
  mpn: string;
  status: LifecycleStatus;
  /** YYYY-MM-DD: the day the assessment is as of. */
  asOf: string;
  ltbDate: string | null;
  lastShipDate: string | null;
  /** Days from asOf to the LTB date (else the last ship date); negative when past; null without a date. */
  daysLeft: number | null;
  /** ISO 4217 code of every amount. */
  currency: string;
  revenueAtRisk: number;
  demandUnits: number;
  supplyUnits: number;
  shortfallUnits: number;
  /** null: no assembly with future demand uses the part (recommendation "none"). */
  recommendation: { kind: string; cost: number } | null;
  /** The other feasible options, cheapest first. */
  options: { kind: string; cost: number }[];
  /** Cash paid up front for a last-time buy, when that option is feasible. */
  cashOutlay: number | null;
  counterfeitRisk: boolean;
  affectedProducts: { id: string; name: string | null; qtyPerUnit: number }[];
  /** False when the part can still be bought as usual (DESIGN §6 step 0): a review or watch item. */
  supplyEnds: boolean;
  /** The §6b time view: severity, the day the stock runs out, the day to decide by, the bridges. */
  severity: string;
  runOutDate: string | null;
  coverageMonths: number;
  decisionBy: string | null;
  bridges: { option: string; units: number; source: string }[];
  /** Settings behind the numbers, in words (they may contain numbers, which then count as facts). */
  assumptions: string[];
}

/** The facts of a brief from the impact model's result for one case. */
export function briefFactsFromImpact(input: {
  caseId: string;
  impact: ImpactResult;
  lastShipDate: string | null;
  currency?: string;
  productNames?: ReadonlyMap<string, string>;
}): BriefFacts {
  const r = input.impact;
  const deadline = r.ltb_date ?? input.lastShipDate;
  const feasible = OPTION_KINDS.flatMap((kind) => {
    const cost = r.options[kind];
    return cost === null ? [] : [{ kind, cost }];
  });
  const recommended = r.recommendation === "none" ? null : { kind: r.recommendation, cost: r.pnl_impact };
  return {
    caseId: input.caseId,
    manufacturer: r.part?.manufacturer ?? null,
    mpn: r.part?.mpn ?? "",
    status: r.status,
    asOf: r.as_of,
    ltbDate: r.ltb_date,
    lastShipDate: input.lastShipDate,
    daysLeft: deadline ? daysBetween(r.as_of, deadline) : null,
    currency: input.currency ?? r.currency ?? "USD",
    revenueAtRisk: r.revenue_at_risk,
    demandUnits: r.demand_units,
    supplyUnits: r.supply_units,
    shortfallUnits: r.shortfall_units,
    recommendation: recommended,
    options: feasible.filter((o) => o.kind !== recommended?.kind).sort((a, b) => a.cost - b.cost),
    cashOutlay: r.last_time_buy_outlay,
    counterfeitRisk: r.counterfeit_risk,
    affectedProducts: r.affected.map(([id, qty]) => ({
      id,
      name: input.productNames?.get(id) ?? null,
      qtyPerUnit: qty,
    })),
    supplyEnds: r.supply_ends ?? true,
    severity: r.severity ?? "none",
    runOutDate: r.run_out_date ?? null,
    coverageMonths: r.coverage_months ?? 0,
    decisionBy: r.decision_by ?? null,
    bridges: Object.entries(r.bridges ?? {}).flatMap(([option, b]) =>
      b ? [{ option, units: b.units, source: b.source }] : [],
    ),
    assumptions: r.assumptions,
  };
}

const OPTION_WORDS: Record<string, string> = {
  existing_stock: "use existing stock",
  last_time_buy: "last-time buy",
  alternate: "qualify a drop-in alternate",
  substitute: "qualify a substitute",
  broker: "buy from brokers",
  redesign: "redesign",
};

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 2 }).format(
    amount,
  );
}

const count = (n: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 }).format(n);

/**
 * The deterministic brief: used when no model is configured, or when the model's brief fails its
 * check. Same facts in, same text out.
 */
export function templateBrief(f: BriefFacts): string {
  const part = [f.manufacturer, f.mpn].filter(Boolean).join(" ");
  const lines: string[] = [`Case ${f.caseId}: ${part} is now ${f.status.toUpperCase()} (as of ${f.asOf}).`];
  const dates: string[] = [];
  if (f.ltbDate) dates.push(`last-time buy by ${f.ltbDate}`);
  if (f.lastShipDate) dates.push(`last shipment ${f.lastShipDate}`);
  if (dates.length > 0) {
    const left = f.daysLeft === null ? "" : f.daysLeft >= 0 ? ` (${f.daysLeft} days left)` : " (date passed)";
    lines.push(`${capitalise(dates.join("; "))}${left}.`);
  }
  if (f.recommendation === null) {
    if (f.affectedProducts.length > 0 && !f.supplyEnds) {
      lines.push(
        f.status === "nrnd"
          ? "The part can still be bought as usual: nothing to buy now. Not recommended for new designs: watch it."
          : "The part can still be bought as usual: nothing to buy now. Review the notice and the change it announces.",
      );
    } else lines.push("No product with future demand uses this part: nothing at risk, no action needed.");
    return lines.join("\n");
  }
  const products = f.affectedProducts.map((p) => (p.name ? `${p.name} (${p.id})` : p.id)).join(", ");
  lines.push(
    `Revenue at risk: ${formatMoney(f.revenueAtRisk, f.currency)} across ${f.affectedProducts.length} product(s): ${products}.`,
  );
  lines.push(
    `Demand ${count(f.demandUnits)} units, stock and orders ${count(f.supplyUnits)}, shortfall ${count(f.shortfallUnits)}.`,
  );
  if (f.runOutDate)
    lines.push(
      `Stock runs out on ${f.runOutDate} (${f.coverageMonths} months); severity ${f.severity}${
        f.decisionBy ? `; decide by ${f.decisionBy}` : ""
      }.`,
    );
  const rec = f.recommendation;
  const outlay =
    rec.kind === "last_time_buy" && f.cashOutlay !== null
      ? `, cash outlay ${formatMoney(f.cashOutlay, f.currency)}`
      : "";
  lines.push(
    `Recommended: ${OPTION_WORDS[rec.kind] ?? rec.kind}, P&L impact ${formatMoney(rec.cost, f.currency)}${outlay}.`,
  );
  if (f.options.length > 0) {
    const others = f.options.map((o) => {
      const risk = o.kind === "broker" && f.counterfeitRisk ? " (counterfeit risk)" : "";
      return `${OPTION_WORDS[o.kind] ?? o.kind} ${formatMoney(o.cost, f.currency)}${risk}`;
    });
    lines.push(`Other options: ${others.join("; ")}.`);
  }
  if (f.assumptions.length > 0) lines.push(`Assumptions: ${f.assumptions.join("; ")}.`);
  return lines.join("\n");
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
