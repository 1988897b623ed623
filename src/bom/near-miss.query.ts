import type { StemCandidate } from "../impact/near-misses.ts";
import { orderableStem } from "../impact/orderable.stem.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";
import type { Sql } from "../store/driver.ts";
import { manufacturerKey } from "./part-key.ts";

/**
 * The BOM parts that may share a notice MPN's orderable stem (DESIGN §6b.7): parts on some BOM line
 * whose match key starts with the stem, of the notice's maker when it names one (another maker's
 * part of the same number is a second source, not the same die). The stem is a prefix of every
 * match key that has it, so one prefix read (`like 'STEM%'` on the pattern index of migration 010)
 * finds them all; the pure `nearMisses` then keeps those whose own stem is equal.
 */
export async function stemCandidates(
  db: Sql,
  manufacturer: string | null,
  mpn: string,
): Promise<StemCandidate[]> {
  const stem = orderableStem(mpn);
  if (stem === null) return [];
  const r = await db.query<{ manufacturer: string; mpn: string; status: LifecycleStatus; used_on: string[] }>(
    `select p.manufacturer, p.mpn, p.lifecycle_status as status,
       array_agg(distinct b.parent_assembly_id order by b.parent_assembly_id) as used_on
     from parts p join bom_lines b on b.child_part_id = p.id
     where p.mpn_norm like $1 escape '\\' and ($2::text is null or p.manufacturer_key = $2)
     group by p.id, p.manufacturer, p.mpn, p.lifecycle_status
     order by p.mpn_norm limit 500`,
    [`${stem.replace(/[\\%_]/g, "\\$&")}%`, manufacturer?.trim() ? manufacturerKey(manufacturer) : null],
  );
  return r.rows.map((x) => ({
    manufacturer: x.manufacturer,
    mpn: x.mpn,
    status: x.status,
    usedOn: x.used_on,
  }));
}
