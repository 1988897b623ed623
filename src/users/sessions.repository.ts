import type { Sql } from "../store/driver.ts";
import type { Role } from "./roles.ts";

/**
 * `console_sessions`, the console's sign-ins (migration 016): created at sign-in, extended while used,
 * deleted at sign-out and when they lapse. Keyed by the SHA-256 of the cookie's secret.
 */
export interface SessionRow {
  id_hash: string;
  user_id: string | null;
  api_token_hash: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export interface SessionWithUser extends SessionRow {
  user_name: string | null;
  user_role: Role | null;
  user_disabled: boolean | null;
}

export const sessionsRepository = {
  async insert(db: Sql, row: SessionRow): Promise<void> {
    await db.query(
      `insert into console_sessions (id_hash, user_id, api_token_hash, created_at, last_seen_at, expires_at)
       values ($1, $2, $3, $4, $5, $6)`,
      [row.id_hash, row.user_id, row.api_token_hash, row.created_at, row.last_seen_at, row.expires_at],
    );
  },

  /**
   * The session, if it has not lapsed at `now`, with its user as stored now (one read per request:
   * a disabled user or a changed role takes effect at once).
   */
  async find(db: Sql, idHash: string, now: Date): Promise<SessionWithUser | null> {
    const r = await db.query<SessionWithUser>(
      `select s.id_hash, s.user_id, s.api_token_hash, s.created_at, s.last_seen_at, s.expires_at,
         u.name as user_name, u.role as user_role, (u.disabled_at is not null) as user_disabled
       from console_sessions s left join users u on u.id = s.user_id
       where s.id_hash = $1 and s.expires_at > $2`,
      [idHash, now],
    );
    return r.rows[0] ?? null;
  },

  async extend(db: Sql, idHash: string, now: Date, expiresAt: Date): Promise<void> {
    await db.query("update console_sessions set last_seen_at = $2, expires_at = $3 where id_hash = $1", [
      idHash,
      now,
      expiresAt,
    ]);
  },

  async delete(db: Sql, idHash: string): Promise<void> {
    await db.query("delete from console_sessions where id_hash = $1", [idHash]);
  },

  /** Drops sessions that lapsed before `now`; returns how many. */
  async deleteLapsed(db: Sql, now: Date): Promise<number> {
    const r = await db.query<{ n: number }>(
      "with gone as (delete from console_sessions where expires_at <= $1 returning 1) select count(*)::int as n from gone",
      [now],
    );
    return r.rows[0]?.n ?? 0;
  },
};
