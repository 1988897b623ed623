import type { Sql } from "../store/driver.ts";

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
    (trace_id, route, source, provider, idempotency_key, received_at, content_type, raw_payload)
  select x.trace_id::uuid, x.route, x.source, x.provider, x.idempotency_key, x.received_at::timestamptz,
         x.content_type, decode(x.raw, 'base64')
    from json_to_recordset($1::json) as x(trace_id text, route text, source text, provider text,
         idempotency_key text, received_at text, content_type text, raw text)
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
