import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { EXPORT_COLUMNS, type ExportCase, writeCasesCsv, writeCasesXlsx } from "./cases.export.ts";

const base: ExportCase = {
  id: "0b8e7c1e-2d55-4f4c-9a53-2c1d9c0f4a11",
  part: { manufacturer: "Texas Instruments", mpn: "TPS54331D" },
  event_kind: "discontinuance",
  status: "ltb",
  state: "decided",
  assignee: "alice",
  ltb_date: "2027-03-31",
  decision_by: "2027-03-31",
  days_to_ltb: 120,
  revenue_at_risk: 1234567.89,
  pnl_impact: 4321.5,
  recommendation: "last_time_buy",
  decision: {
    option: "last_time_buy",
    quantity: 5000,
    reference: "PO-4711",
    note: '=HYPERLINK("http://evil")',
    decided_by: "alice",
    decided_at: "2026-12-01T10:00:00.000Z",
  },
  notices: 2,
  version: 4,
  created_at: "2026-11-30T08:00:00Z",
  updated_at: "2026-12-01T10:00:00Z",
};
const open: ExportCase = {
  ...base,
  id: "1c8e7c1e-2d55-4f4c-9a53-2c1d9c0f4a12",
  state: "open",
  assignee: null,
  decision: null,
  days_to_ltb: -3,
};
async function* rows() {
  yield base;
  yield open;
}
const url = (id: string) => `https://eol.example/cases/${id}`;

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

describe("case exports", () => {
  it("XLSX opens in a real reader with typed cells, one row per case", async () => {
    const buf = await collect((out) => writeCasesXlsx(rows(), url, out));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("Cases")!;
    expect(ws.rowCount).toBe(3);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(EXPORT_COLUMNS.map((c) => c.header));
    const cell = (row: number, name: string) =>
      ws.getRow(row).getCell(EXPORT_COLUMNS.findIndex((c) => c.header === name) + 1).value;
    expect(cell(2, "mpn")).toBe("TPS54331D");
    expect(cell(2, "revenue_at_risk")).toBe(1234567.89);
    expect(cell(2, "decision_quantity")).toBe(5000);
    expect(cell(2, "decision_reference")).toBe("PO-4711");
    // Text that looks like a formula stays text in XLSX.
    expect(cell(2, "decision_note")).toBe('=HYPERLINK("http://evil")');
    expect(cell(3, "days_to_ltb")).toBe(-3);
    expect(cell(3, "decision_option")).toBeNull();
    expect(cell(3, "url")).toBe(`https://eol.example/cases/${open.id}`);
  });

  it("CSV has a header, quotes what needs quoting, and defuses formulas", async () => {
    const text = (await collect((out) => writeCasesCsv(rows(), url, out))).toString("utf8");
    expect(text.startsWith("\ufeffcase_id,manufacturer,")).toBe(true);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    expect(records[0]!.decision_note).toBe('\'=HYPERLINK("http://evil")');
    expect(records[0]!.revenue_at_risk).toBe("1234567.89");
    expect(records[1]!.days_to_ltb).toBe("-3");
    expect(records[1]!.assignee).toBe("");
  });
});
