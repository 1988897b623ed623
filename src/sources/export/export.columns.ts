import { createHash } from "node:crypto";
import { manufacturerKey } from "../../bom/part-key.ts";
import { canonicalJson } from "../../ingest/idempotency.ts";
import { foldMpn } from "../../parts/mpn.normalize.ts";
import { readFieldDate } from "../platform-dates.ts";
import type { ComponentAlertPayload, SourceAlert } from "../source.ts";
import type { SheetRow } from "./export.read.ts";

/**
 * Columns of an exported alert report → component alerts. Pure.
 *
 * Accuris (BOM Intelligence / Parts Intelligence) names its part columns "Imported Mfr P/N",
 * "Imported Mfr Name", "Matched Mfr P/N", "Matched Mfr Name", "Part Status", and its alerts "Smart
 * Alert ID", "Smart Alert Type" (its help pages on 4donline.ihs.com); no public export sample was
 * found (reference notes.md), so every field also accepts the usual generic names, and any field can
 * be pointed at another header (`SOURCE_IMPORT_COLUMNS`, `--columns`, `?columns=`). Headers match
 * case- and punctuation-blind ("Imported Mfr P/N" = "imported mfr p n"). The first row within the
 * first 20 that holds every required column is the header (exports often start with a title).
 */

export const IMPORT_FIELDS = [
  "part_number",
  "manufacturer",
  "lifecycle_status",
  "ltb_date",
  "last_ship_date",
  "alert_id",
  "pcn_id",
  "replacement_part_number",
  "notice_date",
  "alert_type",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const REQUIRED_FIELDS: readonly ImportField[] = ["part_number", "manufacturer", "lifecycle_status"];

/** Header names tried in order; the Accuris names come first. */
export const DEFAULT_HEADERS: Record<ImportField, readonly string[]> = {
  part_number: [
    "Imported Mfr P/N",
    "Imported Manufacturer Part Number",
    "Matched Mfr P/N",
    "Matched Part Number",
    "Mfr P/N",
    "Manufacturer Part Number",
    "MPN",
    "Part Number",
  ],
  manufacturer: [
    "Imported Mfr Name",
    "Imported Manufacturer Name",
    "Matched Mfr Name",
    "Matched Manufacturer",
    "Mfr Name",
    "Manufacturer",
    "Manufacturer Name",
    "Mfr",
  ],
  lifecycle_status: ["Part Status", "Life Cycle Status", "Lifecycle Status", "Lifecycle", "Status"],
  ltb_date: ["LTB Date", "Last Time Buy Date", "Last Time Buy", "Last Buy Date", "LTB"],
  last_ship_date: ["Last Ship Date", "Last Time Ship Date", "LTS Date", "Last Shipment Date"],
  alert_id: ["Smart Alert ID", "Alert ID", "Alert Number", "Notice ID"],
  pcn_id: ["PCN Number", "PCN ID", "PCN", "Notice Number", "Document Number"],
  replacement_part_number: [
    "Replacement Mfr P/N",
    "Replacement Part Number",
    "Replacement",
    "Suggested Replacement",
    "Direct Replacement",
  ],
  notice_date: [
    "Smart Alert Date",
    "Alert Date",
    "Notification Date",
    "Notice Date",
    "Publication Date",
    "Published Date",
  ],
  alert_type: ["Smart Alert Type", "Alert Type", "Type of Change", "Change Type"],
};

const HEADER_SCAN_ROWS = 20;

export function headerKey(h: string): string {
  return h
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export type ColumnOverrides = Partial<Record<ImportField, string>>;

/** `field=Header,field=Header` (the command line's and query string's form) → overrides. */
export function parseColumnSpec(
  spec: string,
): { kind: "ok"; columns: ColumnOverrides } | { kind: "invalid"; reason: string } {
  const out: ColumnOverrides = {};
  for (const part of spec.split(",")) {
    if (!part.trim()) continue;
    const eq = part.indexOf("=");
    const field = (eq > 0 ? part.slice(0, eq) : "").trim();
    const header = part.slice(eq + 1).trim();
    if (eq <= 0 || !header) return { kind: "invalid", reason: `"${part.trim()}" is not field=Header` };
    const checked = checkOverrides({ [field]: header });
    if (checked.kind === "invalid") return checked;
    Object.assign(out, checked.columns);
  }
  return { kind: "ok", columns: out };
}

/** Field names of an override map (from settings or a request) against IMPORT_FIELDS. */
export function checkOverrides(
  columns: Record<string, string>,
): { kind: "ok"; columns: ColumnOverrides } | { kind: "invalid"; reason: string } {
  for (const k of Object.keys(columns)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(k))
      return { kind: "invalid", reason: `unknown column field "${k}" (known: ${IMPORT_FIELDS.join(", ")})` };
  }
  return { kind: "ok", columns: columns as ColumnOverrides };
}

export type ColumnMap = Partial<Record<ImportField, number>>;

function mapHeader(cells: readonly string[], overrides: ColumnOverrides): ColumnMap {
  const index = new Map<string, number>();
  cells.forEach((c, i) => {
    const k = headerKey(c);
    if (k && !index.has(k)) index.set(k, i);
  });
  const map: ColumnMap = {};
  for (const field of IMPORT_FIELDS) {
    const wanted = overrides[field] !== undefined ? [overrides[field]] : DEFAULT_HEADERS[field];
    for (const h of wanted) {
      const i = index.get(headerKey(h));
      if (i !== undefined) {
        map[field] = i;
        break;
      }
    }
  }
  return map;
}

export type HeaderFound =
  | { kind: "ok"; headerRow: number; columns: ColumnMap; dataRows: SheetRow[] }
  | { kind: "missing"; missing: { field: ImportField; tried: readonly string[] }[] };

/** The header row and the data rows below it. */
export function findHeader(rows: readonly SheetRow[], overrides: ColumnOverrides): HeaderFound {
  let best: { at: number; columns: ColumnMap; missing: ImportField[] } | null = null;
  for (let i = 0; i < Math.min(rows.length, HEADER_SCAN_ROWS); i++) {
    const columns = mapHeader(rows[i]!.cells, overrides);
    const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
    if (missing.length === 0)
      return { kind: "ok", headerRow: rows[i]!.row, columns, dataRows: rows.slice(i + 1) };
    if (!best || missing.length < best.missing.length) best = { at: i, columns, missing };
  }
  const missing = best?.missing ?? [...REQUIRED_FIELDS];
  return {
    kind: "missing",
    missing: missing.map((field) => ({
      field,
      tried: overrides[field] !== undefined ? [overrides[field]] : DEFAULT_HEADERS[field],
    })),
  };
}

/** The `source_platform` alerts of a named export source carry. */
export function platformName(source: string): string {
  const known: Record<string, string> = {
    accuris: "Accuris",
    ihs: "Accuris",
    siliconexpert: "SiliconExpert",
  };
  return known[source.toLowerCase()] ?? source;
}

export type RowOutcome = { kind: "ok"; alert: SourceAlert } | { kind: "invalid"; reasons: string[] };

const MAX = {
  part_number: 200,
  manufacturer: 200,
  lifecycle_status: 100,
  pcn_id: 200,
  replacement_part_number: 200,
};

/**
 * One data row → one alert. A row is refused (with every reason) when a required cell is empty, a
 * value is longer than the alert contract allows, or a date cell holds something that is not a day.
 * The key is `<source>:alert:<alert id>:<part>` when the row has an alert id (one alert covers many
 * parts, one row each), else a hash of the row's mapped content, so the same file imported twice
 * adds nothing.
 */
export function rowToAlert(
  r: SheetRow,
  header: readonly string[],
  columns: ColumnMap,
  source: string,
): RowOutcome {
  const cell = (f: ImportField) => {
    const i = columns[f];
    return i === undefined ? "" : (r.cells[i] ?? "").trim();
  };
  const reasons: string[] = [];
  const name = (f: ImportField) => {
    const i = columns[f];
    return i === undefined ? f : `"${header[i] ?? f}"`;
  };
  for (const f of REQUIRED_FIELDS) if (!cell(f)) reasons.push(`${name(f)} is empty`);
  for (const [f, max] of Object.entries(MAX) as [ImportField, number][])
    if (cell(f).length > max) reasons.push(`${name(f)} is longer than ${max} characters`);
  const day = (f: ImportField): string | null => {
    const d = readFieldDate(cell(f));
    if (d.kind === "unreadable") reasons.push(`${name(f)} ${JSON.stringify(d.raw)} is not a date`);
    return d.kind === "day" ? d.day : null;
  };
  const ltb = day("ltb_date");
  const lastShip = day("last_ship_date");
  const notice = day("notice_date");
  if (reasons.length > 0) return { kind: "invalid", reasons };

  const context: Record<string, string> = {};
  header.forEach((h, i) => {
    const v = r.cells[i];
    if (h && v) context[h] = v;
  });
  const type = cell("alert_type");
  const alert: ComponentAlertPayload = {
    source_platform: platformName(source),
    manufacturer_code: cell("manufacturer"),
    part_number: cell("part_number"),
    lifecycle_status: cell("lifecycle_status"),
    ltb_date: ltb,
    last_ship_date: lastShip,
    notice_date: notice,
    pcn_id: cell("pcn_id") || null,
    replacement_part_number: cell("replacement_part_number") || null,
    raw_context: `${type ? `${type}: ` : ""}${JSON.stringify(context)}`,
  };
  const alertId = cell("alert_id");
  const part = `${foldMpn(alert.part_number)}@${manufacturerKey(alert.manufacturer_code)}`;
  const { raw_context: _ignored, ...facts } = alert;
  const key = alertId
    ? `${source}:alert:${alertId}:${part}`
    : `${source}:row:${createHash("sha256").update(canonicalJson(facts)).digest("hex").slice(0, 32)}`;
  return { kind: "ok", alert: { key, alert } };
}
