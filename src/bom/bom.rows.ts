import type { LifecycleStatus } from "../parts/lifecycle.ts";
import { unstorableReason } from "../store/storable-text.ts";
import { foldMpn, lifecycleStatusOf, manufacturerKey, normalizeMpn } from "./part-key.ts";

/**
 * The four BOM files of DESIGN §7: their columns and the validation of one row. Pure: a row in,
 * a typed row or the reason it is wrong out. References between files are checked by the import.
 */
export const BOM_FILES = ["assemblies", "parts", "alternates", "bom"] as const;
export type BomFile = (typeof BOM_FILES)[number];

export const REQUIRED_COLUMNS: Record<BomFile, readonly string[]> = {
  assemblies: ["assembly_id", "name", "annual_demand", "unit_price", "end_of_production"],
  parts: ["manufacturer", "mpn", "unit_cost", "on_hand", "on_order", "lifecycle_status"],
  bom: ["parent_assembly_id", "child_type", "child_ref", "child_manufacturer", "qty_per"],
  alternates: ["manufacturer", "mpn", "alt_manufacturer", "alt_mpn", "kind", "alt_unit_cost"],
};
/** Columns a file may carry without stating them (DESIGN §7 marks them optional). */
export const OPTIONAL_COLUMNS: Record<BomFile, readonly string[]> = {
  assemblies: ["notify_channel"],
  parts: [],
  bom: [],
  alternates: [],
};

export type RowResult<T> = { kind: "ok"; row: T } | { kind: "invalid"; reason: string };
type Record_ = Readonly<Record<string, string | undefined>>;

export interface AssemblyRow {
  assemblyId: string;
  name: string;
  annualDemand: number;
  unitPrice: number;
  endOfProduction: string;
  notifyChannel: string | null;
}

export interface PartRow {
  manufacturer: string;
  mpn: string;
  manufacturerKey: string;
  mpnFold: string;
  mpnNorm: string;
  unitCost: number;
  onHand: number;
  onOrder: number;
  status: LifecycleStatus;
  statusRaw: string;
}

export interface AlternateRow {
  manufacturerKey: string;
  mpnFold: string;
  manufacturer: string;
  mpn: string;
  altManufacturer: string;
  altMpn: string;
  altManufacturerKey: string;
  altMpnFold: string;
  kind: "drop_in" | "substitute";
  altUnitCost: number | null;
}

export interface BomLineRow {
  parentAssemblyId: string;
  childType: "part" | "assembly";
  childRef: string;
  /** Maker key of a part child, null when the line names none. */
  childManufacturerKey: string | null;
  childMpnFold: string | null;
  qtyPer: number;
}

/** Thrown inside a row parser; turned into an invalid row naming the column. */
class BadCell extends Error {}

function cell(r: Record_, col: string): string {
  const v = (r[col] ?? "").trim();
  // The store's text columns cannot hold these; a row error, not a failed import transaction.
  const unstorable = unstorableReason(v);
  if (unstorable) throw new BadCell(`${col} ${unstorable}`);
  return v;
}

function required(r: Record_, col: string): string {
  const v = cell(r, col);
  if (!v) throw new BadCell(`${col} is empty`);
  return v;
}

// Plain decimal only: "1e3", "1,000", "12 pcs", "NaN" and "-1" are all rejected, so a shifted column
// or a spreadsheet's formatting never loads as a plausible number.
const DECIMAL = /^\d+(?:\.\d+)?$|^\.\d+$/;

function decimal(r: Record_, col: string, opts: { positive?: boolean; integer?: boolean } = {}): number {
  const v = required(r, col);
  if (!DECIMAL.test(v)) {
    throw new BadCell(
      `${col} ${JSON.stringify(v)} is not a non-negative ${opts.integer ? "whole number" : "number"}`,
    );
  }
  const n = Number(v);
  if (opts.integer && !Number.isSafeInteger(n))
    throw new BadCell(`${col} ${JSON.stringify(v)} is not a non-negative whole number`);
  if (opts.positive && n <= 0) throw new BadCell(`${col} must be greater than 0`);
  return n;
}

/** A real calendar day in YYYY-MM-DD (2027-02-30 is rejected). */
export function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function date(r: Record_, col: string): string {
  const v = required(r, col);
  if (!isCalendarDate(v)) throw new BadCell(`${col} ${JSON.stringify(v)} is not a date (YYYY-MM-DD)`);
  return v;
}

function guard<T>(fn: () => T): RowResult<T> {
  try {
    return { kind: "ok", row: fn() };
  } catch (err) {
    if (err instanceof BadCell) return { kind: "invalid", reason: err.message };
    throw err;
  }
}

export function parseAssemblyRow(r: Record_): RowResult<AssemblyRow> {
  return guard(() => {
    const assemblyId = required(r, "assembly_id");
    return {
      assemblyId,
      name: cell(r, "name") || assemblyId,
      annualDemand: decimal(r, "annual_demand"),
      unitPrice: decimal(r, "unit_price"),
      endOfProduction: date(r, "end_of_production"),
      notifyChannel: cell(r, "notify_channel") || null,
    };
  });
}

export function parsePartRow(r: Record_): RowResult<PartRow> {
  return guard(() => {
    const manufacturer = required(r, "manufacturer");
    const mpn = required(r, "mpn");
    const statusRaw = cell(r, "lifecycle_status");
    return {
      manufacturer,
      mpn,
      manufacturerKey: manufacturerKey(manufacturer),
      mpnFold: foldMpn(mpn),
      mpnNorm: normalizeMpn(mpn),
      unitCost: decimal(r, "unit_cost"),
      onHand: decimal(r, "on_hand", { integer: true }),
      onOrder: decimal(r, "on_order", { integer: true }),
      status: statusRaw ? lifecycleStatusOf(statusRaw) : "unknown",
      statusRaw,
    };
  });
}

export function parseAlternateRow(r: Record_): RowResult<AlternateRow> {
  return guard(() => {
    const manufacturer = required(r, "manufacturer");
    const mpn = required(r, "mpn");
    const altManufacturer = required(r, "alt_manufacturer");
    const altMpn = required(r, "alt_mpn");
    const kind = required(r, "kind");
    if (kind !== "drop_in" && kind !== "substitute") {
      throw new BadCell(`kind ${JSON.stringify(kind)} must be drop_in or substitute`);
    }
    const altUnitCost = cell(r, "alt_unit_cost") ? decimal(r, "alt_unit_cost") : null;
    const row: AlternateRow = {
      manufacturer,
      mpn,
      manufacturerKey: manufacturerKey(manufacturer),
      mpnFold: foldMpn(mpn),
      altManufacturer,
      altMpn,
      altManufacturerKey: manufacturerKey(altManufacturer),
      altMpnFold: foldMpn(altMpn),
      kind,
      altUnitCost,
    };
    if (row.manufacturerKey === row.altManufacturerKey && row.mpnFold === row.altMpnFold) {
      throw new BadCell("a part cannot be its own alternate");
    }
    return row;
  });
}

export function parseBomLineRow(r: Record_): RowResult<BomLineRow> {
  return guard(() => {
    const parentAssemblyId = required(r, "parent_assembly_id");
    const childType = required(r, "child_type");
    if (childType !== "part" && childType !== "assembly") {
      throw new BadCell(`child_type ${JSON.stringify(childType)} must be part or assembly`);
    }
    const childRef = required(r, "child_ref");
    const maker = cell(r, "child_manufacturer");
    if (childType === "assembly" && childRef === parentAssemblyId) {
      throw new BadCell(`cycle: ${parentAssemblyId} → ${parentAssemblyId}`);
    }
    return {
      parentAssemblyId,
      childType,
      childRef,
      childManufacturerKey: childType === "part" && maker ? manufacturerKey(maker) : null,
      childMpnFold: childType === "part" ? foldMpn(childRef) : null,
      qtyPer: decimal(r, "qty_per", { positive: true }),
    };
  });
}
