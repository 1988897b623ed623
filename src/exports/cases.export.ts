import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";

/**
 * The case list as a spreadsheet, for the buyers who live in spreadsheets: the same rows as
 * `GET /v1/cases` with its filters and order, one row per case, streamed (no whole workbook in
 * memory). The columns are defined once here for both formats.
 *
 * CSV cells that a spreadsheet would run as a formula (text starting with = + - @, tab or CR: OWASP
 * "CSV injection") get a leading apostrophe; numbers stay numbers. XLSX cells are typed (numbers,
 * dates as text YYYY-MM-DD like the API) and a string is never a formula there.
 */
export interface ExportCase {
  id: string;
  part: { manufacturer: string; mpn: string };
  event_kind: string;
  status: string;
  state: string;
  assignee: string | null;
  ltb_date: string | null;
  decision_by: string | null;
  days_to_ltb: number | null;
  revenue_at_risk: number;
  pnl_impact: number;
  recommendation: string;
  decision: {
    option: string;
    quantity: number | null;
    reference: string | null;
    note: string | null;
    decided_by: string;
    decided_at: string;
  } | null;
  notices: number;
  version: number;
  created_at: string;
  updated_at: string;
}

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  cell: (c: ExportCase, url: string) => Cell;
  money?: boolean;
}

export const EXPORT_COLUMNS: readonly Column[] = [
  { header: "case_id", width: 38, cell: (c) => c.id },
  { header: "manufacturer", width: 22, cell: (c) => c.part.manufacturer },
  { header: "mpn", width: 20, cell: (c) => c.part.mpn },
  { header: "event", width: 15, cell: (c) => c.event_kind },
  { header: "lifecycle_status", width: 12, cell: (c) => c.status },
  { header: "state", width: 13, cell: (c) => c.state },
  { header: "assignee", width: 16, cell: (c) => c.assignee },
  { header: "ltb_date", width: 12, cell: (c) => c.ltb_date },
  { header: "days_to_ltb", width: 11, cell: (c) => c.days_to_ltb },
  { header: "decision_by", width: 12, cell: (c) => c.decision_by },
  { header: "revenue_at_risk", width: 16, cell: (c) => c.revenue_at_risk, money: true },
  { header: "recommendation", width: 15, cell: (c) => c.recommendation },
  { header: "pnl_impact", width: 14, cell: (c) => c.pnl_impact, money: true },
  { header: "decision_option", width: 15, cell: (c) => c.decision?.option ?? null },
  { header: "decision_quantity", width: 10, cell: (c) => c.decision?.quantity ?? null },
  { header: "decision_reference", width: 18, cell: (c) => c.decision?.reference ?? null },
  { header: "decision_note", width: 30, cell: (c) => c.decision?.note ?? null },
  { header: "decided_by", width: 16, cell: (c) => c.decision?.decided_by ?? null },
  { header: "decided_at", width: 21, cell: (c) => c.decision?.decided_at ?? null },
  { header: "notices", width: 8, cell: (c) => c.notices },
  { header: "version", width: 8, cell: (c) => c.version },
  { header: "created_at", width: 21, cell: (c) => c.created_at },
  { header: "updated_at", width: 21, cell: (c) => c.updated_at },
  { header: "url", width: 50, cell: (_c, url) => url },
];

export type CaseUrl = (id: string) => string;

/** Neutralises text a spreadsheet would evaluate as a formula. */
export function csvSafe(v: Cell): string | number {
  if (v === null) return "";
  if (typeof v === "number") return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export async function writeCasesCsv(rows: AsyncIterable<ExportCase>, url: CaseUrl, out: Writable) {
  const csv = stringify({ header: true, columns: EXPORT_COLUMNS.map((c) => c.header), bom: true });
  async function* records() {
    for await (const c of rows) yield EXPORT_COLUMNS.map((col) => csvSafe(col.cell(c, url(c.id))));
  }
  await pipeline(records, csv, out);
}

export async function writeCasesXlsx(rows: AsyncIterable<ExportCase>, url: CaseUrl, out: Writable) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = "eolgate";
  const ws = wb.addWorksheet("Cases", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.width,
    ...(c.money ? { style: { numFmt: "#,##0.00" } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const c of rows) {
    ws.addRow(EXPORT_COLUMNS.map((col) => col.cell(c, url(c.id)) ?? null)).commit();
  }
  ws.commit();
  await wb.commit();
}
