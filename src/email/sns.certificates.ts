import { X509Certificate } from "node:crypto";
import type { GuardedGet } from "./outbound.port.ts";

/** A plain HTTPS GET, the only outbound call SNS handling makes (certificates, SubscribeURL). */
export type HttpsGet = (url: URL) => Promise<{ status: number; body: Buffer }>;

/**
 * Where SNS signing certificates come from, and whom we trust. The default fetches them over HTTPS
 * from AWS (the TLS connection to an amazonaws.com host is what vouches for them) and caches them;
 * tests inject a source holding a certificate they made, because they cannot reach AWS.
 * Callers have already checked the URL (https, sns.<region>.amazonaws.com host): a source never sees others.
 */
export interface SnsCertificateSource {
  certificate(url: URL, now: Date): Promise<X509Certificate>;
}

/** Raised by a certificate source; `retryable` separates a network hiccup from a bad certificate. */
export class SnsCertificateError extends Error {
  override readonly name = "SnsCertificateError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const MAX_CERT_BYTES = 64 * 1024;

/**
 * SNS's GETs (certificates, SubscribeURL) through the same guard as every URL taken from a request:
 * no redirect followed, a size limit.
 */
export function snsHttpsGet(get: GuardedGet): HttpsGet {
  return async (url) => {
    const res = await get(url, { maxBytes: MAX_CERT_BYTES, timeoutMs: 5_000 });
    if (res.kind === "too_large") throw new SnsCertificateError(res.message, false);
    return { status: res.status, body: res.body };
  };
}

/**
 * Fetches PEM certificates with `get`, caching each URL's certificate (a failed fetch is not cached).
 * A certificate outside its validity period is refused, at every use, against the injected clock.
 */
export function cachingCertificateSource(get: HttpsGet, maxEntries = 64): SnsCertificateSource {
  const cache = new Map<string, Promise<X509Certificate>>();
  const load = async (url: URL): Promise<X509Certificate> => {
    let res: { status: number; body: Buffer };
    try {
      res = await get(url);
    } catch (e) {
      if (e instanceof SnsCertificateError) throw e;
      throw new SnsCertificateError(
        `fetching ${url.host}${url.pathname} failed: ${(e as Error).message}`,
        true,
      );
    }
    if (res.status !== 200)
      throw new SnsCertificateError(
        `fetching ${url.host}${url.pathname} gave HTTP ${res.status}`,
        res.status >= 500,
      );
    try {
      return new X509Certificate(res.body);
    } catch {
      throw new SnsCertificateError(`${url.host}${url.pathname} is not a PEM certificate`, false);
    }
  };
  return {
    async certificate(url, now) {
      const key = url.href;
      let p = cache.get(key);
      if (!p) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        p = load(url);
        cache.set(key, p);
        p.catch(() => cache.delete(key));
      }
      const cert = await p;
      if (now < new Date(cert.validFrom) || now > new Date(cert.validTo))
        throw new SnsCertificateError(
          `certificate at ${url.host}${url.pathname} is not valid at ${now.toISOString()}`,
          false,
        );
      return cert;
    },
  };
}
