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

const COLUMNS = [
  "trace_id",
  "route",
  "source",
  "provider",
  "idempotency_key",
  "received_at",
  "content_type",
  "raw_payload",
] as const;

// One statement text per batch size; batches repeat their sizes, so the cache stays small.
const insertSqlCache = new Map<number, string>();
function insertSql(n: number): string {
  let sql = insertSqlCache.get(n);
  if (!sql) {
    const rows: string[] = [];
    for (let i = 0; i < n; i++) {
      const base = i * COLUMNS.length;
      rows.push(`(${COLUMNS.map((_, c) => `$${base + c + 1}`).join(", ")})`);
    }
    sql = `insert into inbox (${COLUMNS.join(", ")}) values ${rows.join(", ")}
      on conflict (idempotency_key) do nothing
      returning trace_id, idempotency_key`;
    if (insertSqlCache.size < 1024) insertSqlCache.set(n, sql);
  }
  return sql;
}

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
    const params: unknown[] = [];
    for (const r of rows) {
      params.push(
        r.traceId,
        r.route,
        r.source,
        r.provider,
        r.idempotencyKey,
        r.receivedAt,
        r.contentType,
        r.raw,
      );
    }
    const inserted = await db.query<{ trace_id: string; idempotency_key: string }>(
      insertSql(rows.length),
      params,
    );
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
