/**
 * The BOM parts and alternates as the BOM scan's references, and a version that changes with every
 * import that touches them (a read model over the BOM tables for BomScannerCache). The version costs
 * one pass over each table's small columns; the references are read only when it changed.
 */
import type { BomRef } from "../extract/bom.scan.ts";
import type { Sql } from "../store/driver.ts";
import type { BomScannerSource } from "./bom-scanner.cache.ts";

export function bomRefsSource(db: Sql): BomScannerSource {
  return {
    async version() {
      const r = await db.query<{ v: string }>(
        `select (select count(*) from parts)::text || '/' ||
                coalesce((select max(updated_at) from parts)::text, '-') || '/' ||
                (select count(*) from part_alternates)::text || '/' ||
                coalesce((select sum(hashtext(alt_mpn_fold || alt_manufacturer_key))
                          from part_alternates)::text, '0') as v`,
      );
      return r.rows[0]?.v ?? "";
    },
    async refs() {
      const parts = await db.query<{ mpn: string; manufacturer: string }>(
        "select mpn, manufacturer from parts",
      );
      const alternates = await db.query<{ alt_mpn: string; alt_manufacturer: string }>(
        "select distinct alt_mpn, alt_manufacturer from part_alternates",
      );
      const out: BomRef[] = parts.rows.map((p) => ({
        mpn: p.mpn,
        manufacturer: p.manufacturer,
        role: "part" as const,
      }));
      for (const a of alternates.rows)
        out.push({ mpn: a.alt_mpn, manufacturer: a.alt_manufacturer, role: "alternate" });
      return out;
    },
  };
}
