import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** A request as the verifiers see it: the raw bytes, before any parsing. */
export interface InboundRequest {
  raw: Buffer;
  contentType: string;
  headers: IncomingHttpHeaders;
  query: Record<string, string | undefined>;
}

/**
 * Constant-time equality of two secrets of any length: both sides are hashed first, so neither the
 * content nor the length of the expected value leaks through timing.
 */
export function secretEquals(given: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Checks `Authorization: Basic …` against `user:password`. */
export function basicAuthMatches(headers: IncomingHttpHeaders, expected: string): boolean {
  const h = headerValue(headers, "authorization");
  const m = h ? /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(h) : null;
  const given = m ? Buffer.from(m[1]!, "base64").toString("utf8") : "";
  // Compare even when absent, so a missing header costs the same as a wrong one.
  return secretEquals(given, expected) && given.length > 0;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
