import { createHash } from "node:crypto";
import { secretEquals } from "../email/proof.ts";
import type { Sql } from "../store/driver.ts";
import type { Principal } from "./roles.ts";
import { tokenUserId, verifyToken } from "./token.ts";
import { anyActiveUser, findUserWithHash, type UserRecord } from "./users.repository.ts";

/**
 * Who is calling. A bearer token is the bootstrap `API_TOKEN` (an admin named `api-token`) or a user's
 * token (`eg_<id>_<secret>`, checked against that one user's scrypt hash). Without a token the API is
 * open only while there is neither an `API_TOKEN` nor an active user (a local trial, DESIGN §12);
 * the caller is then `anonymous` with every role.
 *
 * The user row is read on every call, so disabling a user or changing a role takes effect at once in
 * every process; only the scrypt verdict is cached (by the token's SHA-256 and the stored hash), so a
 * request costs one indexed read, not a 32 MiB key derivation.
 *
 * The console (issue 13) can put a session cookie on top: store the session against a user id and
 * resolve it with `principalOf`, or keep the token server-side and call `resolveToken`.
 */
export type AuthOutcome = { kind: "ok"; principal: Principal } | { kind: "unauthenticated"; reason: string };

export interface AuthService {
  authenticate(token: string | null): Promise<AuthOutcome>;
  /** A user token or API_TOKEN to its principal; null when it is neither (or the user is disabled). */
  resolveToken(token: string): Promise<Principal | null>;
  /** Whether a caller without a token is let in (no API_TOKEN, no active user). */
  isOpen(): Promise<boolean>;
}

export const API_TOKEN_ACTOR = "api-token";
export const OPEN_ACTOR = "anonymous";
export const SYSTEM_ACTOR = "system";

export function principalOf(
  user: Pick<UserRecord, "id" | "name" | "role">,
  via: Principal["via"],
): Principal {
  return { name: user.name, role: user.role, userId: user.id, via };
}

const CACHE_MAX = 1000;

export function createAuthService(deps: { db: Sql; apiToken: string | undefined }): AuthService {
  /** sha256(token) → the stored hash it was verified against. */
  const verified = new Map<string, string>();
  const remember = (key: string, hash: string) => {
    if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!);
    verified.set(key, hash);
  };

  async function resolveToken(token: string): Promise<Principal | null> {
    if (deps.apiToken && secretEquals(token, deps.apiToken)) {
      return { name: API_TOKEN_ACTOR, role: "admin", userId: null, via: "api_token" };
    }
    const id = tokenUserId(token);
    if (!id) return null;
    const user = await findUserWithHash(deps.db, id);
    if (!user || user.disabled_at !== null) return null;
    const key = createHash("sha256").update(token).digest("base64url");
    if (verified.get(key) !== user.token_hash) {
      if (!(await verifyToken(token, user.token_hash))) return null;
      remember(key, user.token_hash);
    }
    return principalOf(user, "user_token");
  }

  async function isOpen(): Promise<boolean> {
    return !deps.apiToken && !(await anyActiveUser(deps.db));
  }

  return {
    resolveToken,
    isOpen,
    async authenticate(token) {
      if (token) {
        const p = await resolveToken(token);
        if (p) return { kind: "ok", principal: p };
        if (await isOpen()) return { kind: "ok", principal: openPrincipal() };
        return { kind: "unauthenticated", reason: "unknown, disabled or wrong bearer token" };
      }
      if (await isOpen()) return { kind: "ok", principal: openPrincipal() };
      return {
        kind: "unauthenticated",
        reason: deps.apiToken
          ? "missing bearer token"
          : "missing bearer token (users exist: use a user token)",
      };
    },
  };
}

function openPrincipal(): Principal {
  return { name: OPEN_ACTOR, role: "admin", userId: null, via: "open" };
}
