import type { Sql } from "../store/driver.ts";

/** `schema_drift`: per source and unknown field, how often it was received and when last. */
export const schemaDriftRepository = {
  async add(db: Sql, batch: readonly { source: string; field: string; n: number }[]): Promise<void> {
    await db.query(
      `insert into schema_drift (source, field, occurrences)
       select * from unnest($1::text[], $2::text[], $3::bigint[])
       on conflict (source, field) do update
         set occurrences = schema_drift.occurrences + excluded.occurrences, last_seen = now()`,
      [batch.map((b) => b.source), batch.map((b) => b.field), batch.map((b) => b.n)],
    );
  },
};
