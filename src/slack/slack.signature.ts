import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Slack's request signature (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}">` keyed with
 * the app's signing secret; the timestamp within five minutes of now. Pure: the replay check, which
 * needs the store shared by all API processes, is the caller's (`slack.interactions.service.ts`).
 * Order: the signature is checked before the age, so a stale request is only called stale when it
 * was genuinely signed (a forgery learns nothing about the window).
 */
export const SLACK_MAX_AGE_SECONDS = 300;

export type SlackSignatureVerdict =
  | { kind: "valid"; timestamp: number; signature: string }
  | { kind: "rejected"; reason: "missing_signature" | "malformed_signature" | "bad_signature" | "stale" };

export function signSlackRequest(
  secret: string,
  timestamp: number | string,
  rawBody: string | Buffer,
): string {
  const mac = createHmac("sha256", secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest("hex")}`;
}

export function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  now: Date;
  maxAgeSeconds?: number;
}): SlackSignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { kind: "rejected", reason: "missing_signature" };
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature))
    return { kind: "rejected", reason: "malformed_signature" };
  const want = Buffer.from(signSlackRequest(input.secret, timestamp, input.rawBody), "utf8");
  const got = Buffer.from(signature, "utf8");
  // Both are "v0=" + 64 hex characters here, so equal lengths: a constant-time compare of the bytes.
  if (!timingSafeEqual(got, want)) return { kind: "rejected", reason: "bad_signature" };
  const age = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (age > (input.maxAgeSeconds ?? SLACK_MAX_AGE_SECONDS)) return { kind: "rejected", reason: "stale" };
  return { kind: "valid", timestamp: Number(timestamp), signature };
}
