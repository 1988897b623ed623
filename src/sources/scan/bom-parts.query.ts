import type { Sql } from "../../store/driver.ts";
import type { BomPart } from "../lifecycle-platform.ts";

/**
 * Reads of the BOM area's `parts` table for the lifecycle scan (a cross-area read, so it lives in a
 * named query file; the BOM import stays the only writer).
 */

export async function bomParts(db: Sql): Promise<BomPart[]> {
  const r = await db.query<{ id: number; manufacturer: string; mpn: string }>(
    "select id::float8 as id, manufacturer, mpn from parts order by id",
  );
  return r.rows.map((p) => ({ id: Number(p.id), manufacturer: p.manufacturer, mpn: p.mpn }));
}

/**
 * Changes with every BOM import: the newest BOM version (`bom_imports`, one row per import, identical
 * re-imports included, since an import leaves unchanged part rows untouched) beside the part count.
 * "The fingerprint moved" means "a BOM import happened since the last scan".
 */
export async function bomFingerprint(db: Sql): Promise<string> {
  const r = await db.query<{ n: number; version: number }>(
    `select (select count(*)::int from parts) as n,
            (select coalesce(max(version), 0)::float8 from bom_imports) as version`,
  );
  const row = r.rows[0];
  return `${row?.n ?? 0}:v${Number(row?.version ?? 0)}`;
}
