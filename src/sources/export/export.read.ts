import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { attachmentFormat } from "../../extract/attachments/attachment.kind.ts";
import { sniffDelimiter } from "../../extract/attachments/csv.reader.ts";
import { decodeText } from "../../extract/attachments/text.decode.ts";
import { cellText } from "../../extract/attachments/xlsx.reader.ts";

/**
 * An exported alert report (CSV, TSV, semicolon CSV, XLSX) → rows with the row numbers a person
 * sees in the file (line of a CSV, row of a sheet, the header being where it is), so an error can
 * point at the row to fix. Formats are told by the bytes first (the attachment reader's rules), and
 * cells read as the attachment readers read them (dates as `YYYY-MM-DD`, zero-padded numbers kept).
 */

export interface SheetRow {
  /** 1-based line (CSV) or row (sheet) number in the file. */
  row: number;
  cells: string[];
}

export interface ReadSheet {
  name: string;
  rows: SheetRow[];
}

export type ExportRead =
  | { kind: "ok"; format: "csv" | "xlsx"; sheets: ReadSheet[] }
  | { kind: "unreadable"; reason: string };

export async function readExport(
  bytes: Uint8Array,
  filename: string | null,
  contentType: string,
  maxRows: number,
): Promise<ExportRead> {
  const format = attachmentFormat(filename, contentType, bytes);
  if (format === "xlsx") return readWorkbook(bytes, maxRows);
  if (format === "xls")
    return { kind: "unreadable", reason: "legacy binary .xls is not read: save the export as .xlsx or CSV" };
  if (!["csv", "tsv", "txt", "text", "unknown"].includes(format))
    return { kind: "unreadable", reason: `a ${format} file is not an alert export: expected CSV or XLSX` };
  return readDelimitedRows(decodeText(bytes), filename ?? "export", maxRows);
}

function readDelimitedRows(text: string, name: string, maxRows: number): ExportRead {
  let body = text;
  let sep: string | undefined;
  let offset = 0;
  const hint = /^sep=(.)\r?\n/i.exec(body);
  if (hint) {
    sep = hint[1];
    body = body.slice(hint[0].length);
    offset = 1;
  }
  sep ??= sniffDelimiter(body).delimiter;
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(body, {
      delimiter: sep,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      to: maxRows + 1,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return {
      kind: "unreadable",
      reason: `not readable as CSV${line ? ` (line ${line + offset})` : ""}: ${(err as Error).message}`,
    };
  }
  if (records.length > maxRows) return { kind: "unreadable", reason: `more than ${maxRows} rows` };
  const rows = records
    // `info.lines` is the line the record ended on; a record spanning lines is named by its last.
    .map((r) => ({ row: r.info.lines + offset, cells: r.record }))
    .filter((r) => r.cells.some((c) => c !== ""));
  return { kind: "ok", format: "csv", sheets: [{ name, rows }] };
}

async function readWorkbook(bytes: Uint8Array, maxRows: number): Promise<ExportRead> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch (err) {
    return { kind: "unreadable", reason: `not a readable XLSX workbook: ${(err as Error).message}` };
  }
  const sheets: ReadSheet[] = [];
  let total = 0;
  wb.eachSheet((ws) => {
    const rows: SheetRow[] = [];
    const width = ws.columnCount;
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        cells.push(cellText(cell.value, cell.numFmt));
      }
      if (cells.some((c) => c !== "")) rows.push({ row: r, cells });
    }
    total += rows.length;
    sheets.push({ name: ws.name, rows });
  });
  if (total > maxRows) return { kind: "unreadable", reason: `more than ${maxRows} rows` };
  return { kind: "ok", format: "xlsx", sheets };
}
