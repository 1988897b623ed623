import type { Sql } from "../store/driver.ts";
import type { SourceCheckpoint } from "./source.ts";

/**
 * The `source_checkpoints` table (the only writer): per source its checkpoint, the lease that lets
 * one process at a time poll it, when it runs next, and its failure streak. Leases and schedules use
 * the database clock, so processes with skewed clocks agree on who holds a source and when it is due.
 *
 * Invariant: every write that ends a run is fenced by `leased_by = worker and lease_until > now()`,
 * so a process whose lease lapsed (it stalled, another took over) can no longer move the checkpoint.
 */

export interface SourceState {
  name: string;
  checkpoint: SourceCheckpoint | null;
  leaseUntil: Date | null;
  leasedBy: string | null;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  failingSince: Date | null;
  consecutiveFailures: number;
  lastError: string | null;
  alertedAt: Date | null;
  replay: { from: string; to: string } | null;
  alertsRead: number;
  /** Seconds since the last success by the database clock (null: never succeeded). */
  secondsSinceSuccess: number | null;
  /** Seconds the current failure streak has lasted (null while healthy). */
  secondsFailing: number | null;
}

interface Row {
  name: string;
  checkpoint: SourceCheckpoint | string | null;
  lease_until: Date | string | null;
  leased_by: string | null;
  next_run_at: Date | string;
  last_run_at: Date | string | null;
  last_success_at: Date | string | null;
  failing_since: Date | string | null;
  consecutive_failures: number;
  last_error: string | null;
  alerted_at: Date | string | null;
  replay_from: string | null;
  replay_to: string | null;
  alerts_read: number | string;
  since_success: number | null;
  failing_for: number | null;
}

const COLUMNS = `name, checkpoint, lease_until, leased_by, next_run_at, last_run_at, last_success_at, failing_since,
  consecutive_failures, last_error, alerted_at, replay_from::text as replay_from, replay_to::text as replay_to,
  alerts_read, extract(epoch from now() - last_success_at)::float8 as since_success,
  extract(epoch from now() - failing_since)::float8 as failing_for`;

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toState(r: Row): SourceState {
  return {
    name: r.name,
    checkpoint:
      typeof r.checkpoint === "string" ? (JSON.parse(r.checkpoint) as SourceCheckpoint) : r.checkpoint,
    leaseUntil: date(r.lease_until),
    leasedBy: r.leased_by,
    nextRunAt: new Date(r.next_run_at),
    lastRunAt: date(r.last_run_at),
    lastSuccessAt: date(r.last_success_at),
    failingSince: date(r.failing_since),
    consecutiveFailures: r.consecutive_failures,
    lastError: r.last_error,
    alertedAt: date(r.alerted_at),
    replay: r.replay_from && r.replay_to ? { from: r.replay_from, to: r.replay_to } : null,
    alertsRead: Number(r.alerts_read),
    secondsSinceSuccess: r.since_success,
    secondsFailing: r.failing_for,
  };
}

const FENCE = "name = $1 and leased_by = $2 and lease_until > now()";

export const sourceCheckpoints = {
  /** Makes sure every configured source has its row (due at once when new). */
  async ensure(db: Sql, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await db.query(
      "insert into source_checkpoints (name) select unnest($1::text[]) on conflict (name) do nothing",
      [names],
    );
  },

  /**
   * Takes the source's lease when it is free (or lapsed) and the source is due or
   * has a replay waiting; `force` ignores the schedule (a run asked for by an operator).
   * Returns the state under the new lease, or null when someone else holds it or it is not due.
   */
  async claim(
    db: Sql,
    name: string,
    worker: string,
    leaseMs: number,
    force = false,
  ): Promise<SourceState | null> {
    const r = await db.query<Row>(
      `update source_checkpoints
          set lease_until = now() + $3 * interval '1 millisecond', leased_by = $2, last_run_at = now(),
              updated_at = now()
        where name = $1 and (lease_until is null or lease_until < now())
          and ($4 or next_run_at <= now() or replay_from is not null)
        returning ${COLUMNS}`,
      [name, worker, leaseMs, force],
    );
    return r.rows[0] ? toState(r.rows[0]) : null;
  },

  /** Extends a held lease; false when it was lost. */
  async renew(db: Sql, name: string, worker: string, leaseMs: number): Promise<boolean> {
    const r = await db.query(
      `update source_checkpoints set lease_until = now() + $3 * interval '1 millisecond'
        where ${FENCE}`,
      [name, worker, leaseMs],
    );
    return r.affected > 0;
  },

  /**
   * Ends a successful run: stores the new checkpoint (null keeps the old one, as a replay does),
   * schedules the next run, clears the failure streak and, when `replayDone`, the replay request.
   * False when the lease was lost meanwhile (nothing is written).
   */
  async succeed(
    db: Sql,
    name: string,
    worker: string,
    run: {
      checkpoint: SourceCheckpoint | null;
      nextRunInMs: number;
      alertsRead: number;
      replayDone: boolean;
    },
  ): Promise<boolean> {
    const r = await db.query(
      `update source_checkpoints
          set checkpoint = coalesce($3::jsonb, checkpoint), next_run_at = now() + $4 * interval '1 millisecond',
              last_success_at = now(), failing_since = null, consecutive_failures = 0, last_error = null,
              alerted_at = null, alerts_read = alerts_read + $5,
              replay_from = case when $6 then null else replay_from end,
              replay_to = case when $6 then null else replay_to end,
              lease_until = null, leased_by = null, updated_at = now()
        where ${FENCE}`,
      [
        name,
        worker,
        run.checkpoint === null ? null : JSON.stringify(run.checkpoint),
        run.nextRunInMs,
        run.alertsRead,
        run.replayDone,
      ],
    );
    return r.affected > 0;
  },

  /**
   * Ends a failed run: the streak grows, the next run waits `nextRunInMs`. A replay that failed for
   * good (`dropReplay`) is cleared so it does not block the regular schedule. Returns the state
   * after the write (null when the lease was lost).
   */
  async fail(
    db: Sql,
    name: string,
    worker: string,
    run: { error: string; nextRunInMs: number; alertsRead: number; dropReplay: boolean },
  ): Promise<SourceState | null> {
    const r = await db.query<Row>(
      `update source_checkpoints
          set next_run_at = now() + $4 * interval '1 millisecond', failing_since = coalesce(failing_since, now()),
              consecutive_failures = consecutive_failures + 1, last_error = $3, alerts_read = alerts_read + $5,
              replay_from = case when $6 then null else replay_from end,
              replay_to = case when $6 then null else replay_to end,
              lease_until = null, leased_by = null, updated_at = now()
        where ${FENCE}
        returning ${COLUMNS}`,
      [name, worker, run.error.slice(0, 2000), run.nextRunInMs, run.alertsRead, run.dropReplay],
    );
    return r.rows[0] ? toState(r.rows[0]) : null;
  },

  /** Gives the lease back and defers the next run without counting a failure (an open circuit). */
  async postpone(db: Sql, name: string, worker: string, ms: number): Promise<void> {
    await db.query(
      `update source_checkpoints set next_run_at = now() + $3 * interval '1 millisecond', lease_until = null,
              leased_by = null, updated_at = now()
        where ${FENCE}`,
      [name, worker, ms],
    );
  },

  /** Gives a lease back without a result (shutdown mid-run): due again at once, for whoever is left. */
  async release(db: Sql, name: string, worker: string): Promise<void> {
    await db.query(
      `update source_checkpoints set lease_until = null, leased_by = null, updated_at = now() where ${FENCE}`,
      [name, worker],
    );
  },

  /** Records that the engineering alert for the current streak went out; false if someone else did. */
  async markAlerted(db: Sql, name: string): Promise<boolean> {
    const r = await db.query(
      "update source_checkpoints set alerted_at = now() where name = $1 and alerted_at is null and failing_since is not null",
      [name],
    );
    return r.affected > 0;
  },

  /** Asks for a window to be re-read by whichever process next holds the source. */
  async requestReplay(db: Sql, name: string, from: string, to: string): Promise<boolean> {
    const r = await db.query(
      `update source_checkpoints set replay_from = $2::date, replay_to = $3::date, updated_at = now()
        where name = $1`,
      [name, from, to],
    );
    return r.affected > 0;
  },

  async get(db: Sql, name: string): Promise<SourceState | null> {
    const r = await db.query<Row>(`select ${COLUMNS} from source_checkpoints where name = $1`, [name]);
    return r.rows[0] ? toState(r.rows[0]) : null;
  },

  async list(db: Sql): Promise<SourceState[]> {
    const r = await db.query<Row>(`select ${COLUMNS} from source_checkpoints order by name`);
    return r.rows.map(toState);
  },
};
