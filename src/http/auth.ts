import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Origin proofs for the JSON ingest routes and the management API (DESIGN §4).
 * Every comparison is constant-time: both sides are hashed to fixed-length digests first, so neither
 * the content nor the length of a secret leaks through timing.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db);
}

export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return m ? m[1]!.trim() : null;
}

export type ProofOutcome = { kind: "ok" } | { kind: "rejected"; reason: string };

export function checkBearer(expected: string | undefined, authorization: string | undefined): ProofOutcome {
  if (!expected) return { kind: "ok" };
  const got = bearerToken(authorization);
  if (!got) return { kind: "rejected", reason: "missing bearer token" };
  return constantTimeEqual(got, expected)
    ? { kind: "ok" }
    : { kind: "rejected", reason: "wrong bearer token" };
}

/** `X-Eolgate-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function checkBodySignature(
  secret: string | undefined,
  header: string | undefined,
  raw: Buffer,
): ProofOutcome {
  if (!secret) return { kind: "ok" };
  if (!header) return { kind: "rejected", reason: "missing X-Eolgate-Signature" };
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!m) return { kind: "rejected", reason: "malformed X-Eolgate-Signature (expected sha256=<hex>)" };
  const want = createHmac("sha256", secret).update(raw).digest("hex");
  return constantTimeEqual(m[1]!.toLowerCase(), want)
    ? { kind: "ok" }
    : { kind: "rejected", reason: "bad signature" };
}

export function signBody(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}
