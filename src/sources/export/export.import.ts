import type { Ingestor } from "../../ingest/ingest.ts";
import type { SourceAlert } from "../source.ts";
import { ingestAlerts } from "../source-alert.ts";
import { type ColumnOverrides, findHeader, rowToAlert } from "./export.columns.ts";
import { readExport } from "./export.read.ts";

/**
 * `eolgate import-alerts FILE` and `POST /v1/sources/{name}/import`: an exported alert report, each
 * row a component alert into the inbox. All or nothing for bad input: every row is read and checked
 * first, and one bad row rejects the file with every bad row's number and reason, nothing ingested.
 * A store outage part-way is reported with the rows not stored; importing the same file again
 * stores those and doubles none (each row's key is stable).
 */

export interface ImportRequest {
  source: string;
  bytes: Uint8Array;
  filename: string | null;
  contentType: string;
  columns: ColumnOverrides;
  maxRows?: number;
  maxErrors?: number;
}

export interface RowError {
  /** Row (line) number in the file; null for a problem with the whole file. */
  row: number | null;
  reason: string;
}

export type AlertImportOutcome =
  | {
      kind: "imported";
      source: string;
      sheet: string;
      header_row: number;
      rows: number;
      accepted: number;
      duplicates: number;
      trace_ids: string[];
    }
  | { kind: "rejected"; errors: RowError[]; truncated: boolean }
  | { kind: "store_unavailable"; stored: number; unstored: RowError[] };

const DEFAULT_MAX_ROWS = 200_000;

export async function importAlertExport(ingestor: Ingestor, req: ImportRequest): Promise<AlertImportOutcome> {
  const rejected = (reason: string): AlertImportOutcome => ({
    kind: "rejected",
    errors: [{ row: null, reason }],
    truncated: false,
  });
  const read = await readExport(req.bytes, req.filename, req.contentType, req.maxRows ?? DEFAULT_MAX_ROWS);
  if (read.kind === "unreadable") return rejected(read.reason);

  let firstMissing: string | null = null;
  for (const sheet of read.sheets) {
    const found = findHeader(sheet.rows, req.columns);
    if (found.kind === "missing") {
      firstMissing ??= found.missing
        .map((m) => `no ${m.field} column (looked for ${m.tried.map((t) => `"${t}"`).join(", ")})`)
        .join("; ");
      continue;
    }
    const header = sheet.rows.find((r) => r.row === found.headerRow)?.cells ?? [];
    const alerts: { row: number; alert: SourceAlert }[] = [];
    const errors: RowError[] = [];
    const maxErrors = req.maxErrors ?? 100;
    let truncated = false;
    for (const r of found.dataRows) {
      const out = rowToAlert(r, header, found.columns, req.source);
      if (out.kind === "ok") alerts.push({ row: r.row, alert: out.alert });
      else if (errors.length < maxErrors) errors.push({ row: r.row, reason: out.reasons.join("; ") });
      else truncated = true;
    }
    if (errors.length > 0) return { kind: "rejected", errors, truncated };
    if (alerts.length === 0) return rejected(`no data rows below the header (row ${found.headerRow})`);

    const report = await ingestAlerts(
      ingestor,
      alerts.map((a) => a.alert),
    );
    if (report.invalid.length > 0) {
      // rowToAlert checks what the contract checks; a difference is a bug, reported as the row's error.
      const rowOf = new Map(alerts.map((a) => [a.alert.key, a.row]));
      return {
        kind: "rejected",
        errors: report.invalid.map((i) => ({ row: rowOf.get(i.key) ?? null, reason: i.reason })),
        truncated: false,
      };
    }
    if (report.unstored.length > 0) {
      const rowsOf = new Map<string, number[]>();
      for (const a of alerts) rowsOf.set(a.alert.key, [...(rowsOf.get(a.alert.key) ?? []), a.row]);
      return {
        kind: "store_unavailable",
        stored: report.accepted + report.duplicates,
        unstored: report.unstored.flatMap((u) =>
          (rowsOf.get(u.key) ?? [null]).map((row) => ({ row, reason: u.reason })),
        ),
      };
    }
    return {
      kind: "imported",
      source: req.source,
      sheet: sheet.name,
      header_row: found.headerRow,
      rows: alerts.length,
      accepted: report.accepted,
      duplicates: report.duplicates,
      trace_ids: report.traceIds,
    };
  }
  return rejected(firstMissing ?? "the file holds no rows");
}
