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
 * Changes whenever a BOM import touches the parts (every import upserts `updated_at`), so "the
 * fingerprint moved" means "a BOM import happened since the last scan".
 */
export async function bomFingerprint(db: Sql): Promise<string> {
  const r = await db.query<{ n: number; latest: string | null }>(
    `select count(*)::int as n,
            to_char(max(updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as latest
       from parts`,
  );
  const row = r.rows[0];
  return `${row?.n ?? 0}:${row?.latest ?? "-"}`;
}
