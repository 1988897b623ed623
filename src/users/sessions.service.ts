import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "../store/driver.ts";
import { API_TOKEN_ACTOR, type AuthService } from "./auth.service.ts";
import type { Principal } from "./roles.ts";
import { sessionsRepository } from "./sessions.repository.ts";

/**
 * Console sessions (DESIGN §12): a user token, or the bootstrap API_TOKEN, exchanged once for a random
 * session secret the browser keeps in an HttpOnly cookie. A session resolves to the same principal
 * the token does (name and role read from the user row on every request, so disabling a user or
 * changing a role takes effect at once), and lapses after `ttlHours` unused, or `MAX_AGE_DAYS` after
 * sign-in whatever the use. Only SHA-256 of the secret is stored.
 */
export type SignInOutcome =
  | { kind: "signed_in"; secret: string; principal: Principal; expiresAt: Date }
  | { kind: "refused" };

export interface ResolvedSession {
  principal: Principal;
  expiresAt: Date;
}

export interface Sessions {
  signIn(token: string, now: Date): Promise<SignInOutcome>;
  /** The session a cookie secret stands for, or null (unknown, lapsed, user disabled, token rotated). */
  resolve(secret: string, now: Date): Promise<ResolvedSession | null>;
  signOut(secret: string): Promise<void>;
}

const MAX_AGE_DAYS = 30;
const HOUR_MS = 3_600_000;
/** A session is extended at most once a minute, so a page polling every few seconds costs one write a minute. */
const EXTEND_EVERY_MS = 60_000;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string) => createHash("sha256").update(s).digest("base64url");

export const SESSION_MAX_AGE_SECONDS = MAX_AGE_DAYS * 24 * 3600;

export function createSessions(deps: {
  db: Sql;
  auth: AuthService;
  apiToken: string | undefined;
  ttlHours: number;
}): Sessions {
  const ttlMs = deps.ttlHours * HOUR_MS;
  const expiryAt = (now: Date, createdAt: Date) =>
    new Date(Math.min(now.getTime() + ttlMs, createdAt.getTime() + MAX_AGE_DAYS * 24 * HOUR_MS));

  return {
    async signIn(token, now) {
      const principal = await deps.auth.resolveToken(token);
      if (!principal) return { kind: "refused" };
      await sessionsRepository.deleteLapsed(deps.db, now);
      const secret = randomBytes(32).toString("base64url");
      const expiresAt = expiryAt(now, now);
      await sessionsRepository.insert(deps.db, {
        id_hash: sha256(secret),
        user_id: principal.userId,
        api_token_hash: principal.userId === null ? sha256(token) : null,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
      });
      return { kind: "signed_in", secret, principal: { ...principal, via: "session" }, expiresAt };
    },

    async resolve(secret, now) {
      if (!SECRET_SHAPE.test(secret)) return null;
      const row = await sessionsRepository.find(deps.db, sha256(secret), now);
      if (!row) return null;
      let principal: Principal;
      if (row.user_id !== null) {
        if (row.user_name === null || row.user_role === null || row.user_disabled) return null;
        principal = { name: row.user_name, role: row.user_role, userId: row.user_id, via: "session" };
      } else {
        if (!deps.apiToken || row.api_token_hash !== sha256(deps.apiToken)) return null;
        principal = { name: API_TOKEN_ACTOR, role: "admin", userId: null, via: "session" };
      }
      let expiresAt = new Date(row.expires_at);
      if (now.getTime() - new Date(row.last_seen_at).getTime() >= EXTEND_EVERY_MS) {
        expiresAt = expiryAt(now, new Date(row.created_at));
        await sessionsRepository.extend(deps.db, row.id_hash, now, expiresAt);
      }
      return { principal, expiresAt };
    },

    async signOut(secret) {
      if (SECRET_SHAPE.test(secret)) await sessionsRepository.delete(deps.db, sha256(secret));
    },
  };
}
