import { explainTime } from "./impact.explain.ts";
import type { ImpactResult } from "./impact.model.ts";

/** The impact of one notice as a person reads it (`eolgate assess` without --json). */

const amount = (x: number) =>
  x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });
const units = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 6 });

export function formatImpact(r: ImpactResult): string {
  // Every amount with its currency (CURRENCY; a report stored before it was in USD).
  const money = (x: number) => `${amount(x)} ${r.currency ?? "USD"}`;
  const lines: string[] = [];
  if (!r.part) {
    lines.push(
      `part: not in the BOM (no stored part matches): no exposure${r.near_misses.length ? "" : ", nothing to do"}`,
    );
    return `${lines.join("\n")}${nearMissLines(r)}\n`;
  }
  lines.push(
    `part:            ${r.part.manufacturer} ${r.part.mpn} (status ${r.status}${r.ltb_date ? `, LTB ${r.ltb_date}` : ""}, as of ${r.as_of})`,
  );
  if (r.affected.length === 0) {
    lines.push("affected:        none: no assembly with future demand uses it; no exposure, nothing to do");
    return `${lines.join("\n")}${nearMissLines(r)}\n`;
  }
  lines.push(
    `demand:          ${units(r.demand_units)} units to end of production (incl. attrition)`,
    `supply:          ${units(r.supply_units)} on hand + on order`,
    `shortfall:       ${units(r.shortfall_units)} units`,
    `revenue at risk: ${money(r.revenue_at_risk)} (revenue of the products that cannot be built if nobody acts)`,
    r.supply_ends
      ? `recommendation:  ${recommended(r)} (P&L impact ${money(r.pnl_impact)}: its cost over buying the part as usual)`
      : `recommendation:  none: ${r.status === "nrnd" ? "watch" : "review"} it, no buy advice`,
    "when:",
    ...explainTime(r).map((s) => `  ${s}`),
    r.supply_ends ? "options:" : "options:         none needed while the part can be bought as usual",
  );
  for (const [kind, cost] of r.supply_ends ? Object.entries(r.options) : []) {
    let note = "";
    if (kind === "last_time_buy" && r.last_time_buy_outlay !== null)
      note = `  ${units(r.shortfall_units)} units, cash outlay ${money(r.last_time_buy_outlay)}`;
    if (kind === "alternate" && r.alternate_part)
      note = `  ${r.alternate_part.manufacturer} ${r.alternate_part.mpn}`;
    if (kind === "substitute" && r.substitute_part)
      note = `  ${r.substitute_part.manufacturer} ${r.substitute_part.mpn}`;
    if (kind === "broker" && r.counterfeit_risk) note = "  counterfeit risk: buy only with traceability";
    lines.push(
      `  ${kind.padEnd(15)} ${cost === null ? "not feasible".padStart(20) : money(cost).padStart(20)}${note}`,
    );
  }
  lines.push("affected (units of the part per unit):");
  for (const [id, q] of r.affected) lines.push(`  ${id.padEnd(20)} ${units(q)}`);
  lines.push("note: assumptions behind these figures:");
  for (const a of r.assumptions) lines.push(`  - ${a}`);
  return `${lines.join("\n")}${nearMissLines(r)}\n`;
}

/** The recommendation as something to do: the alternate or substitute it means, the units to buy. */
function recommended(r: ImpactResult): string {
  const part =
    r.recommendation === "alternate"
      ? r.alternate_part
      : r.recommendation === "substitute"
        ? r.substitute_part
        : null;
  if (part) return `${r.recommendation}: qualify ${part.manufacturer} ${part.mpn}`;
  if (r.recommendation === "last_time_buy") return `last_time_buy: buy ${units(r.shortfall_units)} units now`;
  return r.recommendation;
}

function nearMissLines(r: ImpactResult): string {
  if (r.near_misses.length === 0) return "";
  return `\nnear misses (same die and family, another package, grade or packing; not counted above; check whether the notice covers them):\n${r.near_misses
    .map((n) => `  ${n.manufacturer} ${n.mpn} (${n.lifecycle_status}), on ${n.used_on.join(", ")}`)
    .join("\n")}`;
}
