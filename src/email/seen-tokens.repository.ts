import type { Sql } from "../store/driver.ts";

/**
 * Replay memory for signed webhook tokens. `remember` is one atomic insert-or-conflict, so two
 * processes receiving the same token at once cannot both see it as new.
 * Errors from the store propagate: the caller answers 503 (retryable), never "replay".
 */
export interface SeenTokens {
  /** "new" the first time a token is seen while unexpired, "replay" afterwards. */
  remember(provider: string, token: string, expiresAt: Date, now: Date): Promise<"new" | "replay">;
  /** Forgets a token whose request then failed to store, so the provider's retry is not a replay. */
  forget(provider: string, token: string): Promise<void>;
}

/** How often (in inserts) expired tokens are swept; the expiry check keeps correctness meanwhile. */
const SWEEP_EVERY = 200;

export function seenTokensRepository(db: Sql): SeenTokens {
  let inserts = 0;
  return {
    async remember(provider, token, expiresAt, now) {
      // An expired row may be taken over: its token is past the signature window, so the timestamp
      // check has already turned away any real replay of it.
      const r = await db.query(
        `insert into email_seen_tokens (provider, token, expires_at) values ($1, $2, $3)
         on conflict (provider, token) do update set expires_at = excluded.expires_at
         where email_seen_tokens.expires_at <= $4`,
        [provider, token, expiresAt.toISOString(), now.toISOString()],
      );
      if (++inserts % SWEEP_EVERY === 0) {
        await db.query("delete from email_seen_tokens where expires_at <= $1", [now.toISOString()]);
      }
      return r.affected > 0 ? "new" : "replay";
    },
    async forget(provider, token) {
      await db.query("delete from email_seen_tokens where provider = $1 and token = $2", [provider, token]);
    },
  };
}
