import { attentionOf } from "../impact/impact.explain.ts";
import { supplyEnds } from "../impact/impact.model.ts";
import type { CaseSummary } from "./cases.query.ts";

/**
 * Cases as a plain-text table a person reads at a glance (the demo, the CLI): biggest exposure
 * first as given, money without cents, and what to do. Pure.
 */
const money = (x: number) => Math.round(x).toLocaleString("en-US");

/**
 * Why a case shows no revenue at risk, in the words of DESIGN §6: the part can still be bought
 * (step 0), the stock covers every product's remaining demand (step 3), or no product with future
 * demand uses it (step 6). Null when there is exposure.
 */
export function zeroExposureReason(c: CaseSummary): string | null {
  if (c.revenue_at_risk > 0) return null;
  if (!supplyEnds(c.status))
    return `status ${c.status}: the part can still be bought as usual, so nothing runs short (${attentionOf({ supply_ends: false, status: c.status })} item)`;
  if (c.recommendation === "existing_stock")
    return "stock on hand and on order covers all demand to every product's end of production";
  return "no product with future demand (annual demand > 0, end of production ahead) uses the part";
}

const COLUMNS: { title: string; right?: boolean; money?: true; cell: (c: CaseSummary) => string }[] = [
  { title: "PART", cell: (c) => `${c.part.manufacturer} ${c.part.mpn}` },
  { title: "EVENT", cell: (c) => c.event_kind },
  { title: "STATUS", cell: (c) => c.status },
  { title: "SEVERITY", cell: (c) => c.severity ?? "-" },
  { title: "LTB DATE", cell: (c) => c.ltb_date ?? "-" },
  { title: "RUNS OUT", cell: (c) => c.run_out_date ?? "-" },
  {
    title: "DECIDE BY",
    cell: (c) => (c.decision_by === null ? "-" : `${c.decision_by} (${daysLeft(c.days_to_decision)})`),
  },
  { title: "REVENUE AT RISK", right: true, money: true, cell: (c) => money(c.revenue_at_risk) },
  { title: "RECOMMENDATION", cell: recommendation },
  { title: "P&L IMPACT", right: true, money: true, cell: (c) => money(c.pnl_impact) },
  { title: "NOTICES", right: true, cell: (c) => String(c.notices) },
];

function daysLeft(d: number | null): string {
  if (d === null) return "-";
  return d < 0 ? "passed" : d === 0 ? "today" : `${d} d`;
}

/** The advice, or for a part still orderable as usual (DESIGN §6 step 0) what to do instead of buying. */
function recommendation(c: CaseSummary): string {
  if (c.recommendation !== "none" || supplyEnds(c.status)) return c.recommendation;
  return `${attentionOf({ supply_ends: false, status: c.status })} (no buy)`;
}

export function formatCasesTable(cases: readonly CaseSummary[], currency = "USD"): string {
  if (cases.length === 0) return "no cases\n";
  const cells = cases.map((c) => COLUMNS.map((col) => col.cell(c)));
  const widths = COLUMNS.map((col, i) =>
    Math.max(
      col.money ? col.title.length + currency.length + 3 : col.title.length,
      ...cells.map((r) => r[i]!.length),
    ),
  );
  const titles = COLUMNS.map((col) => (col.money ? `${col.title} (${currency})` : col.title));
  const line = (values: string[]) =>
    values
      .map((v, i) => (COLUMNS[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const total = cases.reduce((s, c) => s + c.revenue_at_risk, 0);
  return `${[line(titles), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join(
    "\n",
  )}\n${cases.length} case(s), revenue at risk ${money(total)} ${currency} in total (attrition, holding cost and broker premium are common-practice assumptions, not published standards; lead times behind severity and decide-by are notional planning figures)\n`;
}
