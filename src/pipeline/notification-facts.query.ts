import type { Sql } from "../store/driver.ts";

/**
 * What a stakeholder message says beyond the case outcome: the names and notify routes of the
 * assemblies it affects (BOM) and the case's last ship date (cases). A read model across areas.
 */
export async function assemblyInfo(
  db: Sql,
  ids: string[],
): Promise<Map<string, { name: string; notify_channel: string | null }>> {
  const out = new Map<string, { name: string; notify_channel: string | null }>();
  if (ids.length === 0) return out;
  const r = await db.query<{ assembly_id: string; name: string; notify_channel: string | null }>(
    "select assembly_id, name, notify_channel from assemblies where assembly_id = any($1::text[])",
    [[...new Set(ids)]],
  );
  for (const a of r.rows) out.set(a.assembly_id, { name: a.name, notify_channel: a.notify_channel });
  return out;
}

export async function lastShipDate(db: Sql, caseId: string): Promise<string | null> {
  const r = await db.query<{ last_ship_date: string | Date | null }>(
    "select last_ship_date from cases where id = $1::uuid",
    [caseId],
  );
  const v = r.rows[0]?.last_ship_date ?? null;
  return v instanceof Date ? v.toISOString().slice(0, 10) : v;
}
