import type { Sql } from "../store/driver.ts";

export interface DeadLetter {
  id: number;
  trace_id: string;
  route: string;
  source: string;
  phase: string;
  error: string;
  permanent: boolean;
  attempts: number;
  first_attempt_at: string | null;
  failed_at: string;
  replayed_at: string | null;
  replay_count: number;
}

export type ReplayOutcome =
  | { kind: "replayed"; id: number; traceId: string }
  | { kind: "not_found"; id: number }
  | { kind: "already_replayed"; id: number; traceId: string; replayedAt: string };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * `dead_letters`: work that failed permanently or ran out of attempts. The payload is the inbox row
 * the letter points at, kept as received. Filing one and replaying one also change the inbox and the
 * phase records: dead-letters.service.ts composes those writes in one transaction.
 */
export const deadLetters = {
  async list(db: Sql, opts: { limit: number; includeReplayed: boolean }): Promise<DeadLetter[]> {
    const r = await db.query<
      Omit<DeadLetter, "first_attempt_at" | "failed_at" | "replayed_at"> & {
        first_attempt_at: Date | null;
        failed_at: Date;
        replayed_at: Date | null;
      }
    >(
      `select d.id, d.trace_id, i.route, i.source, d.phase, d.error, d.permanent, d.attempts, d.first_attempt_at,
              d.failed_at, d.replayed_at, d.replay_count
         from dead_letters d join inbox i on i.trace_id = d.trace_id
        where $2::boolean or d.replayed_at is null
        order by d.failed_at desc, d.id desc limit $1`,
      [opts.limit, opts.includeReplayed],
    );
    return r.rows.map((x) => ({
      ...x,
      id: Number(x.id),
      first_attempt_at: iso(x.first_attempt_at),
      failed_at: iso(x.failed_at) ?? "",
      replayed_at: iso(x.replayed_at),
    }));
  },

  async forTrace(
    db: Sql,
    traceId: string,
  ): Promise<{ id: number; phase: string; error: string; failed_at: string }[]> {
    const r = await db.query<{ id: number; phase: string; error: string; failed_at: Date }>(
      "select id, phase, error, failed_at from dead_letters where trace_id = $1 order by id",
      [traceId],
    );
    return r.rows.map((x) => ({
      id: Number(x.id),
      phase: x.phase,
      error: x.error,
      failed_at: iso(x.failed_at) ?? "",
    }));
  },

  /** Files the dead letter of a claim that ended in failure (in the transaction that marks it dead). */
  async add(
    tx: Sql,
    c: { traceId: string; attempts: number },
    failure: { phase: string; error: string; permanent: boolean },
  ): Promise<number> {
    const dl = await tx.query<{ id: number }>(
      `insert into dead_letters (trace_id, phase, error, permanent, attempts, first_attempt_at, failed_at)
       values ($1, $2, $3, $4, $5,
               (select min(started_at) from pipeline_runs where trace_id = $1), now())
       returning id`,
      [c.traceId, failure.phase, failure.error, failure.permanent, c.attempts],
    );
    return Number(dl.rows[0]?.id);
  },

  /** Marks a dead letter replayed, once: the first caller gets `replayed`, later ones `already_replayed`. */
  async markReplayed(tx: Sql, id: number): Promise<ReplayOutcome> {
    const dl = await tx.query<{ trace_id: string; replayed_at: Date | null }>(
      "select trace_id, replayed_at from dead_letters where id = $1 for update",
      [id],
    );
    const row = dl.rows[0];
    if (!row) return { kind: "not_found", id };
    if (row.replayed_at)
      return {
        kind: "already_replayed",
        id,
        traceId: row.trace_id,
        replayedAt: iso(row.replayed_at) ?? "",
      };
    await tx.query(
      "update dead_letters set replayed_at = now(), replay_count = replay_count + 1 where id = $1",
      [id],
    );
    return { kind: "replayed", id, traceId: row.trace_id };
  },

  async countOpen(db: Sql): Promise<number> {
    const r = await db.query<{ n: number }>(
      "select count(*)::int as n from dead_letters where replayed_at is null",
    );
    return Number(r.rows[0]?.n ?? 0);
  },

  async openIds(db: Sql, limit = 100_000): Promise<number[]> {
    const r = await db.query<{ id: number }>(
      "select id from dead_letters where replayed_at is null order by id limit $1",
      [limit],
    );
    return r.rows.map((x) => Number(x.id));
  },
};
