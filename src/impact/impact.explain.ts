import type { ImpactResult } from "./impact.model.ts";
import { ENGINEERING_OPTIONS, type EngineeringOption } from "./impact.time.ts";

/**
 * The §6b time view in sentences a buyer reads without the design at hand ("stock runs out on
 * 2027-04-05, 4.1 months from now; a redesign takes 18 months, so it needs a bridge of 42,224
 * units"). Pure; shared by `eolgate assess` and anything else that shows an assessment as text.
 */

const units = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
const months = (x: number) => x.toFixed(1);
const pct = (x: number) => `${+(x * 100).toFixed(4)}%`;

const OPTION_NOUN: Record<EngineeringOption, string> = {
  alternate: "a drop-in alternate",
  substitute: "a substitute",
  redesign: "a redesign",
};

/**
 * What an assessment asks of people: `act` when supply ends; when it does not (§6 step 0), `watch`
 * an NRND part and `review` anything else (a product change, a cancelled discontinuance, a transfer).
 */
export function attentionOf(r: Pick<ImpactResult, "supply_ends" | "status">): "act" | "review" | "watch" {
  // A report stored before step 0 has no supply_ends: it was advice to act.
  if (r.supply_ends !== false) return "act";
  return r.status === "nrnd" ? "watch" : "review";
}

/** What to do about a part whose supply does not end (§6 step 0): review a change, or watch it. */
export function notBuyingSentence(r: Pick<ImpactResult, "status" | "supply_ends">): string {
  const status = r.status === "unknown" ? "no end of supply is announced" : `status ${r.status}`;
  const what =
    attentionOf(r) === "watch"
      ? "not recommended for new designs: a watch item, no buy advice"
      : "a review item (a product change asks engineers to review the change), no buy advice";
  return `${status}: the part can still be bought as usual, so nothing is short and nothing needs buying now; ${what}`;
}

export function explainTime(r: ImpactResult): string[] {
  if (!r.part || r.affected.length === 0) return [];
  if (!r.supply_ends) return [notBuyingSentence(r)];
  const out: string[] = [];
  if (r.covered) {
    out.push(
      `the stock covers all demand to the last end of production (${months(r.coverage_months)} months from now); nothing to bridge`,
    );
  } else if (r.coverage_months === 0 && r.run_out_date === r.as_of) {
    out.push(`stock runs out now (${r.run_out_date}): there is not enough on hand for today's demand`);
  } else {
    out.push(`stock runs out on ${r.run_out_date}, ${months(r.coverage_months)} months from now`);
  }
  for (const x of ENGINEERING_OPTIONS) {
    if (r.options[x] === null) continue;
    const lead = r.lead_months[x];
    const b = r.bridges[x] ?? null;
    out.push(
      b
        ? `${OPTION_NOUN[x]} takes ${lead} months, so it needs a bridge of ${units(b.units)} units, ${
            b.source === "last_time_buy"
              ? "bought at the last-time buy"
              : "bought from a broker (counterfeit risk)"
          }`
        : `${OPTION_NOUN[x]} takes ${lead} months; the stock lasts that long, so it needs no bridge`,
    );
  }
  out.push(severitySentence(r));
  const decide = decideSentence(r);
  if (decide) out.push(decide);
  if (r.stress) {
    const s = r.stress;
    out.push(
      `if demand grows ${pct(s.growth)} a year: ${units(s.demand_units)} units needed, ${units(s.shortfall_units)} short${
        s.run_out_date ? `, stock runs out on ${s.run_out_date}` : ""
      }`,
    );
  }
  return out;
}

function quickest(r: ImpactResult): EngineeringOption {
  let best: EngineeringOption = "redesign";
  for (const x of ENGINEERING_OPTIONS)
    if (r.options[x] !== null && r.lead_months[x] < r.lead_months[best]) best = x;
  return best;
}

function severitySentence(r: ImpactResult): string {
  if (r.severity === "none") return "severity none: nothing runs short";
  const q = quickest(r);
  const L = r.lead_months[q];
  const fix = `the ${L} months ${OPTION_NOUN[q]} takes, the quickest fix`;
  switch (r.severity) {
    case "critical":
      return `severity critical: the stock lasts less than ${fix}, and no last-time buy is possible any more`;
    case "high":
      return `severity high: the stock lasts less than ${fix}; a last-time buy is still possible`;
    case "medium":
      return `severity medium: the stock outlasts ${fix}, by less than a year`;
    default:
      return `severity low: the stock outlasts ${fix} by a year or more`;
  }
}

function decideSentence(r: ImpactResult): string | null {
  const d = r.decision_by;
  if (d === null) return null;
  const now = d === r.as_of ? " (today)" : "";
  switch (r.recommendation) {
    case "last_time_buy":
      return r.ltb_date
        ? `decide by ${d}${now}, the last-time buy date`
        : `decide by ${d}${now}, when the stock runs out (no last-time buy date is known)`;
    case "broker":
      return `decide by ${d}${now}, when the stock runs out`;
    case "alternate":
    case "substitute":
    case "redesign": {
      const x = r.recommendation;
      const bridge = r.bridges[x];
      if (!bridge)
        return `decide by ${d}${now}: ${OPTION_NOUN[x]} must start ${r.lead_months[x]} months before the stock runs out`;
      return bridge.source === "last_time_buy" && r.ltb_date
        ? `decide by ${d}${now}, the last-time buy date: the bridge must be bought by then`
        : `decide by ${d}${now}: the bridge must be bought now`;
    }
    default:
      return `decide by ${d}${now}`;
  }
}
