import { createHmac } from "node:crypto";
import type { EmailConfig } from "../config.ts";
import type { AdapterOutcome, Rejection } from "./email.outcome.ts";
import { reject } from "./email.outcome.ts";
import { secretEquals } from "./proof.ts";
import type { SeenTokens } from "./seen-tokens.repository.ts";

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

/**
 * Mailgun's webhook proof: hex HMAC-SHA256 of `timestamp + token` keyed with MAILGUN_SIGNING_KEY,
 * compared in constant time; the timestamp within MAILGUN_MAX_AGE_SECONDS of now. Pure: the replay
 * check, which needs the store, is `claimMailgunToken`.
 */
export function checkMailgunSignature(
  sig: Partial<MailgunSignature>,
  signingKey: string,
  maxAgeSeconds: number,
  now: Date,
): Rejection | null {
  if (!sig.timestamp || !sig.token || !sig.signature)
    return reject("unauthorized", "missing_signature", "missing timestamp, token or signature field");
  if (!/^\d{1,12}$/.test(sig.timestamp))
    return reject("unauthorized", "bad_timestamp", "timestamp is not a Unix timestamp");
  const expected = createHmac("sha256", signingKey)
    .update(sig.timestamp + sig.token)
    .digest("hex");
  if (!secretEquals(sig.signature.toLowerCase(), expected))
    return reject("unauthorized", "bad_signature", "signature does not match timestamp and token");
  if (Math.abs(now.getTime() / 1000 - Number(sig.timestamp)) > maxAgeSeconds)
    return reject("unauthorized", "stale_timestamp", "signature timestamp is outside the accepted window");
  return null;
}

/**
 * Records the token as used. A token seen before is a replay. The token is kept until its signature
 * would be stale anyway. A store failure is `retry_later`, so Mailgun retries instead of being refused.
 */
export async function claimMailgunToken(
  tokens: SeenTokens,
  sig: Pick<MailgunSignature, "timestamp" | "token">,
  config: EmailConfig,
  now: Date,
): Promise<Rejection | Extract<AdapterOutcome, { kind: "retry_later" }> | { kind: "claimed" }> {
  const expires = new Date((Number(sig.timestamp) + config.MAILGUN_MAX_AGE_SECONDS) * 1000 + 1000);
  try {
    const seen = await tokens.remember("mailgun", sig.token, expires, now);
    if (seen === "replay") return reject("unauthorized", "replayed_token", "this token was already used");
    return { kind: "claimed" };
  } catch (e) {
    return {
      kind: "retry_later",
      reason: "store_unavailable",
      message: `replay check failed: ${(e as Error).message}`,
    };
  }
}
