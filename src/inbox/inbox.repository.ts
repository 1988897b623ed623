import type { Sql, SqlDriver } from "../store/driver.ts";

/**
 * Lanes of work: `main` for new notices, `replay` for replayed dead letters (a small share of the
 * workers, so a mass replay never starves fresh notices).
 */
export const LANES = ["main", "replay"] as const;
export type Lane = (typeof LANES)[number];

export type InboxStatus = "received" | "processing" | "completed" | "dead";

export interface NewInboxRow {
  traceId: string;
  route: string;
  source: string;
  provider: string | null;
  idempotencyKey: string;
  receivedAt: Date;
  contentType: string;
  raw: Buffer;
  /** `main` unless given: re-evaluations go on the replay lane (background work, a small share). */
  lane?: Lane;
}

export interface InboxRow {
  trace_id: string;
  route: string;
  source: string;
  provider: string | null;
  idempotency_key: string;
  received_at: Date;
  content_type: string;
  status: InboxStatus;
  phase: string | null;
  attempts: number;
  last_error: string | null;
  updated_at: Date;
}

// One JSON parameter per batch, expanded by json_to_recordset: PGlite serialises one string instead
// of 8 parameters a row (measured 1.5x the rows/s of a multi-row VALUES insert on PGlite, batch 64),
// and PostgreSQL parses it in C. The payload travels base64-encoded and is decoded to bytea.
const INSERT_SQL = `insert into inbox
    (trace_id, route, source, provider, idempotency_key, received_at, content_type, raw_payload, lane)
  select x.trace_id::uuid, x.route, x.source, x.provider, x.idempotency_key, x.received_at::timestamptz,
         x.content_type, decode(x.raw, 'base64'), coalesce(x.lane, 'main')
    from json_to_recordset($1::json) as x(trace_id text, route text, source text, provider text,
         idempotency_key text, received_at text, content_type text, raw text, lane text)
  on conflict (idempotency_key) do nothing
  returning trace_id, idempotency_key`;

/** The inbox table: the durable record of every accepted notice. */
export const inboxRepository = {
  /**
   * Inserts rows whose idempotency keys are distinct, in one statement. Returns, for every key, the
   * trace id that owns it and whether this call created it. A key already stored keeps its first
   * trace id. Invariant: rows[].idempotencyKey are pairwise distinct (the caller dedupes).
   */
  async insertMany(
    db: Sql,
    rows: readonly NewInboxRow[],
  ): Promise<Map<string, { traceId: string; created: boolean }>> {
    const out = new Map<string, { traceId: string; created: boolean }>();
    if (rows.length === 0) return out;
    const batch = JSON.stringify(
      rows.map((r) => ({
        trace_id: r.traceId,
        route: r.route,
        source: r.source,
        provider: r.provider,
        idempotency_key: r.idempotencyKey,
        received_at: r.receivedAt.toISOString(),
        content_type: r.contentType,
        raw: r.raw.toString("base64"),
        ...(r.lane ? { lane: r.lane } : {}),
      })),
    );
    const inserted = await db.query<{ trace_id: string; idempotency_key: string }>(INSERT_SQL, [batch]);
    for (const r of inserted.rows) out.set(r.idempotency_key, { traceId: r.trace_id, created: true });
    const missing = rows.filter((r) => !out.has(r.idempotencyKey)).map((r) => r.idempotencyKey);
    if (missing.length > 0) {
      const existing = await db.query<{ trace_id: string; idempotency_key: string }>(
        "select trace_id, idempotency_key from inbox where idempotency_key = any($1::text[])",
        [missing],
      );
      for (const r of existing.rows) out.set(r.idempotency_key, { traceId: r.trace_id, created: false });
    }
    return out;
  },

  async get(db: Sql, traceId: string): Promise<InboxRow | null> {
    const r = await db.query<InboxRow>(
      `select trace_id, route, source, provider, idempotency_key, received_at, content_type, status, phase,
              attempts, last_error, updated_at
         from inbox where trace_id = $1`,
      [traceId],
    );
    return r.rows[0] ?? null;
  },

  async getRaw(db: Sql, traceId: string): Promise<{ content_type: string; raw_payload: Buffer } | null> {
    const r = await db.query<{ content_type: string; raw_payload: Uint8Array }>(
      "select content_type, raw_payload from inbox where trace_id = $1",
      [traceId],
    );
    const row = r.rows[0];
    return row ? { content_type: row.content_type, raw_payload: Buffer.from(row.raw_payload) } : null;
  },
};

/**
 * The inbox and the record of its work: `inbox` (every accepted notice, raw, and its lease),
 * `pipeline_runs` (each claim by a worker) and `audit_log`. This file is the only writer of the three.
 *
 * Leases on inbox rows: the one mechanism that decides who may work on a notice, whichever queue
 * delivered it. A row is claimable when it is `received` and due, or `processing` with an expired
 * lease (its holder died). Every claim opens a `pipeline_runs` row and counts an attempt. Leases use
 * the database clock, so processes with skewed clocks still agree.
 *
 * Invariant: every write that ends a claim matches `claimed_by = worker and status = 'processing'`,
 * so a worker whose lease was taken over can no longer change the row.
 */
export interface ClaimedNotice {
  traceId: string;
  runId: number;
  route: string;
  source: string;
  provider: string | null;
  contentType: string;
  receivedAt: Date;
  raw: Buffer;
  /** Tries so far, this one included. */
  attempts: number;
  lane: Lane;
}

interface ClaimRow {
  trace_id: string;
  run_id: number;
  route: string;
  source: string;
  provider: string | null;
  content_type: string;
  received_at: Date;
  raw_payload: Uint8Array;
  attempts: number;
  lane: Lane;
}

const CLAIMABLE = `(status = 'received' or (status = 'processing' and lease_until < now())) and next_attempt_at <= now()`;

// The picked rows are locked (skip locked) so concurrent claimers take disjoint sets; runs of a
// previous holder whose lease expired are closed as 'lost' at the moment of the takeover.
const claimSql = (pick: string) => `
  with picked as (${pick}),
  claimed as (
    update inbox i
       set status = 'processing', lease_until = now() + $2 * interval '1 millisecond', claimed_by = $3,
           attempts = i.attempts + 1, updated_at = now()
      from picked where i.trace_id = picked.trace_id
    returning i.trace_id, i.route, i.source, i.provider, i.content_type, i.received_at, i.raw_payload,
              i.attempts, i.lane
  ),
  lost as (
    update pipeline_runs r set finished_at = now(), outcome = 'lost'
      from claimed where r.trace_id = claimed.trace_id and r.finished_at is null
  ),
  runs as (
    insert into pipeline_runs (trace_id, worker, lane) select trace_id, $3, lane from claimed
    returning id, trace_id
  )
  select c.*, r.id as run_id from claimed c join runs r on r.trace_id = c.trace_id`;

const toClaim = (r: ClaimRow): ClaimedNotice => ({
  traceId: r.trace_id,
  runId: Number(r.run_id),
  route: r.route,
  source: r.source,
  provider: r.provider,
  contentType: r.content_type,
  receivedAt: new Date(r.received_at),
  raw: Buffer.from(r.raw_payload),
  attempts: r.attempts,
  lane: r.lane,
});

export const inboxClaims = {
  /** Claims up to `limit` due rows of a lane, oldest due first. */
  async claimDue(
    db: Sql,
    lane: Lane,
    limit: number,
    leaseMs: number,
    worker: string,
  ): Promise<ClaimedNotice[]> {
    if (limit <= 0) return [];
    const r = await db.query<ClaimRow>(
      claimSql(`select trace_id from inbox where lane = $4 and ${CLAIMABLE}
                 order by next_attempt_at limit $1 for update skip locked`),
      [limit, leaseMs, worker, lane],
    );
    return r.rows.map(toClaim);
  },

  /** Claims one row by trace id (a queue delivered it); null when it is not claimable now. */
  async claimOne(db: Sql, traceId: string, leaseMs: number, worker: string): Promise<ClaimedNotice | null> {
    const r = await db.query<ClaimRow>(
      claimSql(
        `select trace_id from inbox where trace_id = $1::uuid and ${CLAIMABLE} for update skip locked`,
      ),
      [traceId, leaseMs, worker],
    );
    const row = r.rows[0];
    return row ? toClaim(row) : null;
  },

  /** Extends the leases this worker holds. Returns the trace ids it still holds. */
  async renew(db: Sql, traceIds: readonly string[], leaseMs: number, worker: string): Promise<Set<string>> {
    if (traceIds.length === 0) return new Set();
    const r = await db.query<{ trace_id: string }>(
      `update inbox set lease_until = now() + $2 * interval '1 millisecond'
        where trace_id = any($1::uuid[]) and claimed_by = $3 and status = 'processing'
        returning trace_id`,
      [traceIds, leaseMs, worker],
    );
    return new Set(r.rows.map((x) => x.trace_id));
  },

  /** Inside a transaction: locks the row and says whether this worker still holds it. */
  async holds(tx: Sql, traceId: string, worker: string): Promise<boolean> {
    const r = await tx.query(
      "select 1 from inbox where trace_id = $1 and claimed_by = $2 and status = 'processing' for update",
      [traceId, worker],
    );
    return r.rows.length === 1;
  },

  /**
   * Completes the notice, closes its run and appends the audit line: one statement (the hot path),
   * atomic like a transaction, and a no-op unless this worker still holds the notice.
   */
  async complete(db: SqlDriver, c: ClaimedNotice, worker: string): Promise<boolean> {
    const r = await db.query<{ n: number }>(
      `with done as (
         update inbox set status = 'completed', phase = null, last_error = null, lease_until = null,
                claimed_by = null, updated_at = now()
          where trace_id = $1 and claimed_by = $2 and status = 'processing'
          returning trace_id
       ),
       run as (
         update pipeline_runs set finished_at = now(), outcome = 'completed'
          where id = $3 and exists (select 1 from done)
       ),
       audit as (
         insert into audit_log (trace_id, actor, action, detail)
         select trace_id, 'worker', 'completed', $4::jsonb from done
       )
       select count(*)::int as n from done`,
      [c.traceId, worker, c.runId, JSON.stringify({ worker, attempts: c.attempts })],
    );
    return Number(r.rows[0]?.n) === 1;
  },

  /** Gives the row back to be tried again after `delayMs`. */
  async retry(
    db: SqlDriver,
    c: ClaimedNotice,
    worker: string,
    phase: string,
    error: string,
    delayMs: number,
  ): Promise<boolean> {
    return db.transaction(async (tx) => {
      const r = await tx.query(
        `update inbox set status = 'received', phase = $3, last_error = $4, lease_until = null, claimed_by = null,
                next_attempt_at = now() + $5 * interval '1 millisecond', updated_at = now()
          where trace_id = $1 and claimed_by = $2 and status = 'processing'`,
        [c.traceId, worker, phase, error, delayMs],
      );
      if (r.affected !== 1) return false;
      await finishRun(tx, c.runId, "retry");
      return true;
    });
  },

  /** Gives the row back untried (drain): the attempt does not count. */
  async release(db: SqlDriver, c: ClaimedNotice, worker: string): Promise<boolean> {
    return db.transaction(async (tx) => {
      const r = await tx.query(
        `update inbox set status = 'received', lease_until = null, claimed_by = null,
                attempts = greatest(0, attempts - 1), next_attempt_at = now(), updated_at = now()
          where trace_id = $1 and claimed_by = $2 and status = 'processing'`,
        [c.traceId, worker],
      );
      if (r.affected !== 1) return false;
      await finishRun(tx, c.runId, "released");
      return true;
    });
  },

  /** Marks the row dead (its dead letter is filed in the same transaction by the caller). */
  async dead(
    tx: Sql,
    c: ClaimedNotice,
    worker: string,
    failure: { phase: string; error: string; permanent: boolean },
  ): Promise<boolean> {
    const r = await tx.query(
      `update inbox set status = 'dead', phase = $3, last_error = $4, lease_until = null, claimed_by = null,
              updated_at = now()
        where trace_id = $1 and claimed_by = $2 and status = 'processing'`,
      [c.traceId, worker, failure.phase, failure.error],
    );
    if (r.affected !== 1) return false;
    await finishRun(tx, c.runId, "dead");
    await tx.query(
      "insert into audit_log (trace_id, actor, action, detail) values ($1, 'worker', 'dead_lettered', $2)",
      [c.traceId, JSON.stringify({ worker, ...failure, attempts: c.attempts })],
    );
    return true;
  },

  /** A replayed dead letter's notice goes back on the replay lane with a fresh attempt budget. */
  async requeueForReplay(tx: Sql, traceId: string, actor: string, deadLetterId: number): Promise<void> {
    await tx.query(
      `update inbox set status = 'received', lane = 'replay', attempts = 0, next_attempt_at = now(),
              last_error = null, lease_until = null, claimed_by = null, updated_at = now()
        where trace_id = $1 and status = 'dead'`,
      [traceId],
    );
    await tx.query(
      "insert into audit_log (trace_id, actor, action, detail) values ($1, $2, 'replayed', $3)",
      [traceId, actor, JSON.stringify({ dead_letter: deadLetterId })],
    );
  },

  /**
   * PGlite is one process's store: at start nothing can be holding a lease but a previous run of
   * this process, which is gone. Its rows are claimable at once instead of after their lease.
   */
  async releaseOrphans(db: Sql): Promise<number> {
    const r = await db.query(
      "update inbox set lease_until = now() - interval '1 second' where status = 'processing'",
    );
    return r.affected;
  },

  /** Rows that should be in a queue and have not moved for `graceMs`: the sweeper's work list. */
  async stale(db: Sql, graceMs: number, limit: number): Promise<{ traceId: string; lane: Lane }[]> {
    const r = await db.query<{ trace_id: string; lane: Lane }>(
      `select trace_id, lane from inbox
        where ${CLAIMABLE} and updated_at <= now() - $1 * interval '1 millisecond'
        order by next_attempt_at limit $2`,
      [graceMs, limit],
    );
    return r.rows.map((x) => ({ traceId: x.trace_id, lane: x.lane }));
  },

  /** Notices not yet completed or dead, by lane (the queue depth of record). */
  async depth(db: Sql): Promise<Record<Lane, number>> {
    const r = await db.query<{ lane: Lane; n: number }>(
      "select lane, count(*)::int as n from inbox where status in ('received', 'processing') group by lane",
    );
    const out: Record<Lane, number> = { main: 0, replay: 0 };
    for (const x of r.rows) out[x.lane] = Number(x.n);
    return out;
  },
};

async function finishRun(tx: Sql, runId: number, outcome: string): Promise<void> {
  await tx.query("update pipeline_runs set finished_at = now(), outcome = $2 where id = $1", [
    runId,
    outcome,
  ]);
}
