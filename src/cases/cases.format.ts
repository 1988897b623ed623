import type { CaseSummary } from "./cases.query.ts";

/**
 * Cases as a plain-text table a person reads at a glance (the demo, the CLI): biggest exposure
 * first as given, money without cents, and what to do. Pure.
 */
const money = (x: number) => Math.round(x).toLocaleString("en-US");

const COLUMNS: { title: string; right?: boolean; cell: (c: CaseSummary) => string }[] = [
  { title: "PART", cell: (c) => `${c.part.manufacturer} ${c.part.mpn}` },
  { title: "EVENT", cell: (c) => c.event_kind },
  { title: "STATUS", cell: (c) => c.status },
  { title: "LTB DATE", cell: (c) => c.ltb_date ?? "-" },
  {
    title: "DAYS TO LTB",
    right: true,
    cell: (c) =>
      c.days_to_ltb === null ? "-" : c.days_to_ltb < 0 ? `passed (${c.days_to_ltb})` : String(c.days_to_ltb),
  },
  { title: "REVENUE AT RISK", right: true, cell: (c) => money(c.revenue_at_risk) },
  { title: "RECOMMENDATION", cell: (c) => c.recommendation },
  { title: "P&L IMPACT", right: true, cell: (c) => money(c.pnl_impact) },
  { title: "NOTICES", right: true, cell: (c) => String(c.notices) },
];

export function formatCasesTable(cases: readonly CaseSummary[]): string {
  if (cases.length === 0) return "no cases\n";
  const cells = cases.map((c) => COLUMNS.map((col) => col.cell(c)));
  const widths = COLUMNS.map((col, i) => Math.max(col.title.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (COLUMNS[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const total = cases.reduce((s, c) => s + c.revenue_at_risk, 0);
  return `${[
    line(COLUMNS.map((c) => c.title)),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
  ].join(
    "\n",
  )}\n${cases.length} case(s), revenue at risk ${money(total)} in total (attrition, holding cost and broker premium are common-practice assumptions, not published standards)\n`;
}
