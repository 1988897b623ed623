import type { LifecycleStatus } from "../../parts/lifecycle.ts";
import type { Sql } from "../../store/driver.ts";

/**
 * `part_lifecycle_history` (the only writer): a part's status as each source reported it, with the
 * raw word, the source and the as-of date (DESIGN §8). A row is added only when what the source says
 * differs from the last row of that part and source, so repeated scans record changes, not polls.
 */

export interface LifecycleObservation {
  partId: number;
  source: string;
  status: LifecycleStatus;
  rawStatus: string;
  asOf: string;
  observedAt: Date;
  ltbDate: string | null;
  lastShipDate: string | null;
  platformRef: string | null;
  detail: Record<string, unknown>;
}

export interface LifecycleRecord {
  source: string;
  status: LifecycleStatus;
  raw_status: string;
  as_of: string;
  ltb_date: string | null;
  last_ship_date: string | null;
  platform_ref: string | null;
}

const BATCH = 1000;

const INSERT = `
  with incoming as (
    select * from json_to_recordset($1::json) as x(part_id bigint, source text, status text, raw_status text,
      as_of date, observed_at timestamptz, ltb_date date, last_ship_date date, platform_ref text, detail jsonb)
  ),
  latest as (
    select distinct on (h.part_id, h.source) h.part_id, h.source, h.status, h.raw_status, h.ltb_date, h.last_ship_date
      from part_lifecycle_history h
      join incoming i on i.part_id = h.part_id and i.source = h.source
     order by h.part_id, h.source, h.id desc
  )
  insert into part_lifecycle_history
    (part_id, source, status, raw_status, as_of, observed_at, ltb_date, last_ship_date, platform_ref, detail)
  select i.part_id, i.source, i.status, i.raw_status, i.as_of, i.observed_at, i.ltb_date, i.last_ship_date,
         i.platform_ref, coalesce(i.detail, '{}'::jsonb)
    from incoming i
    left join latest l on l.part_id = i.part_id and l.source = i.source
   where l.part_id is null
      or (l.status, l.raw_status, l.ltb_date, l.last_ship_date)
         is distinct from (i.status, i.raw_status, i.ltb_date, i.last_ship_date)`;

export const partLifecycleHistory = {
  /** Records what changed; returns the rows added. Observations name distinct parts per source. */
  async record(db: Sql, observations: readonly LifecycleObservation[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < observations.length; i += BATCH) {
      const batch = observations.slice(i, i + BATCH).map((o) => ({
        part_id: o.partId,
        source: o.source,
        status: o.status,
        raw_status: o.rawStatus,
        as_of: o.asOf,
        observed_at: o.observedAt.toISOString(),
        ltb_date: o.ltbDate,
        last_ship_date: o.lastShipDate,
        platform_ref: o.platformRef,
        detail: o.detail,
      }));
      const r = await db.query(INSERT, [JSON.stringify(batch)]);
      added += r.affected;
    }
    return added;
  },

  /** A part's history, newest first. */
  async of(db: Sql, partId: number): Promise<LifecycleRecord[]> {
    const r = await db.query<LifecycleRecord>(
      `select source, status, raw_status, as_of::text as as_of, ltb_date::text as ltb_date,
              last_ship_date::text as last_ship_date, platform_ref
         from part_lifecycle_history where part_id = $1 order by id desc`,
      [partId],
    );
    return r.rows;
  },
};
