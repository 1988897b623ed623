import type { Sql } from "../store/driver.ts";
import type { Role } from "./roles.ts";

/** The `users` table (migration 014). Names and e-mails are unique without regard to case. */
export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  email: string | null;
  slack_user_id: string | null;
  created_at: string;
  disabled_at: string | null;
}
export interface UserWithHash extends UserRecord {
  token_hash: string;
}

const COLUMNS = `id, name, role, email, slack_user_id,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
  to_char(disabled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as disabled_at`;

export type InsertUserOutcome = { kind: "created"; user: UserRecord } | { kind: "taken"; field: string };

export async function insertUser(
  db: Sql,
  u: {
    id: string;
    name: string;
    role: Role;
    email: string | null;
    slackUserId: string | null;
    tokenHash: string;
    now: Date;
  },
): Promise<InsertUserOutcome> {
  // Checked first for a clear answer; the unique indexes still decide a race (caught below).
  const clash = await db.query<{ field: string }>(
    `select case when lower(name) = lower($1) then 'name' when lower(email) = lower($2) then 'email'
       else 'slack_user_id' end as field
     from users where lower(name) = lower($1) or lower(email) = lower($2) or slack_user_id = $3 limit 1`,
    [u.name, u.email, u.slackUserId],
  );
  if (clash.rows[0]) return { kind: "taken", field: clash.rows[0].field };
  try {
    const r = await db.query<UserRecord>(
      `insert into users (id, name, role, email, slack_user_id, token_hash, created_at)
       values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
      [u.id, u.name, u.role, u.email, u.slackUserId, u.tokenHash, u.now],
    );
    return { kind: "created", user: r.rows[0]! };
  } catch (e) {
    if ((e as { code?: string }).code === "23505") return { kind: "taken", field: "name" };
    throw e;
  }
}

export async function listUsers(db: Sql, opts: { includeDisabled: boolean }): Promise<UserRecord[]> {
  const r = await db.query<UserRecord>(
    `select ${COLUMNS} from users where $1 or disabled_at is null order by lower(name)`,
    [opts.includeDisabled],
  );
  return r.rows;
}

export async function findUserWithHash(db: Sql, id: string): Promise<UserWithHash | null> {
  const r = await db.query<UserWithHash>(`select ${COLUMNS}, token_hash from users where id = $1`, [id]);
  return r.rows[0] ?? null;
}

/** An active user by name (case-insensitive), e-mail, or Slack user id. */
export async function findActiveUser(
  db: Sql,
  by: { name: string } | { email: string } | { slackUserId: string },
): Promise<UserRecord | null> {
  const [where, value] =
    "name" in by
      ? ["lower(name) = lower($1)", by.name]
      : "email" in by
        ? ["lower(email) = lower($1)", by.email]
        : ["slack_user_id = $1", by.slackUserId];
  const r = await db.query<UserRecord>(
    `select ${COLUMNS} from users where ${where} and disabled_at is null`,
    [value],
  );
  return r.rows[0] ?? null;
}

/** Whether any user can sign in: with none and no API_TOKEN, the API is open (a local trial). */
export async function anyActiveUser(db: Sql): Promise<boolean> {
  const r = await db.query<{ any: boolean }>(
    "select exists (select 1 from users where disabled_at is null) as any",
  );
  return r.rows[0]?.any === true;
}

/** Disables a user by id or name; returns the user as now stored, or null when there is none. */
export async function disableUser(db: Sql, idOrName: string, now: Date): Promise<UserRecord | null> {
  const r = await db.query<UserRecord>(
    `update users set disabled_at = coalesce(disabled_at, $2)
     where id = $1 or lower(name) = lower($1) returning ${COLUMNS}`,
    [idOrName, now],
  );
  return r.rows[0] ?? null;
}
