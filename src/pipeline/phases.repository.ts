import type { Sql } from "../store/driver.ts";
import type { PhaseName } from "./phase.ts";

export interface PhaseRecord {
  trace_id: string;
  phase: PhaseName;
  status: "ok" | "failed";
  output: unknown;
  attempts: number;
  error: string | null;
  started_at: Date;
  finished_at: Date;
}

/** `pipeline_phases`: each phase's output (or last error) per trace id. */
export const phasesRepository = {
  async forTrace(db: Sql, traceId: string): Promise<PhaseRecord[]> {
    const r = await db.query<PhaseRecord>(
      `select trace_id, phase, status, output, attempts, error, started_at, finished_at
         from pipeline_phases where trace_id = $1 order by started_at`,
      [traceId],
    );
    return r.rows;
  },

  async recordOk(
    tx: Sql,
    traceId: string,
    phase: PhaseName,
    output: unknown,
    startedAt: Date,
    finishedAt: Date,
  ): Promise<void> {
    await tx.query(
      `insert into pipeline_phases (trace_id, phase, status, output, attempts, error, started_at, finished_at)
       values ($1, $2, 'ok', $3, 1, null, $4, $5)
       on conflict (trace_id, phase) do update
         set status = 'ok', output = excluded.output, attempts = pipeline_phases.attempts + 1, error = null,
             started_at = excluded.started_at, finished_at = excluded.finished_at`,
      [traceId, phase, JSON.stringify(output ?? null), startedAt, finishedAt],
    );
  },

  /**
   * Records an ok phase in one statement, only while `worker` holds the notice's lease. For phases
   * without a store effect: the check and the write share one statement's snapshot, which is enough
   * because a stale holder could only rewrite the same deterministic output. Returns false when the
   * lease is no longer held.
   */
  async recordOkIfHeld(
    db: Sql,
    traceId: string,
    worker: string,
    phase: PhaseName,
    output: unknown,
    startedAt: Date,
    finishedAt: Date,
  ): Promise<boolean> {
    const r = await db.query(
      `insert into pipeline_phases (trace_id, phase, status, output, attempts, error, started_at, finished_at)
       select $1, $2, 'ok', $3, 1, null, $4, $5
        where exists (select 1 from inbox where trace_id = $1 and claimed_by = $6 and status = 'processing')
       on conflict (trace_id, phase) do update
         set status = 'ok', output = excluded.output, attempts = pipeline_phases.attempts + 1, error = null,
             started_at = excluded.started_at, finished_at = excluded.finished_at`,
      [traceId, phase, JSON.stringify(output ?? null), startedAt, finishedAt, worker],
    );
    return r.affected === 1;
  },

  async recordFailed(
    db: Sql,
    traceId: string,
    phase: PhaseName,
    error: string,
    startedAt: Date,
    finishedAt: Date,
  ): Promise<void> {
    await db.query(
      `insert into pipeline_phases (trace_id, phase, status, output, attempts, error, started_at, finished_at)
       values ($1, $2, 'failed', null, 1, $3, $4, $5)
       on conflict (trace_id, phase) do update
         set status = 'failed', attempts = pipeline_phases.attempts + 1, error = excluded.error,
             started_at = excluded.started_at, finished_at = excluded.finished_at
       where pipeline_phases.status <> 'ok'`,
      [traceId, phase, error, startedAt, finishedAt],
    );
  },

  /** A replay reruns the failed phase: its failure record goes (records of phases done stay). */
  async dropFailed(tx: Sql, traceId: string): Promise<void> {
    await tx.query("delete from pipeline_phases where trace_id = $1 and status = 'failed'", [traceId]);
  },
};
