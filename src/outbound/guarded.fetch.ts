import { type Dispatcher, request } from "undici";

/**
 * An outbound GET to a URL that came from a request (Mailgun's `message-url`, SNS's `SubscribeURL`
 * and `SigningCertURL`). Such a URL must never make us send a secret to, or trust an answer from, a
 * host an attacker picked, nor reach our internal addresses. So: https only, no credentials in the
 * URL, host (and port) on an allow-list, redirects never followed (a 3xx is returned as it is, and
 * callers treat it as a failure), and the body cut off at a size limit.
 */
export interface HostRule {
  /** Exact `host` or `host:port`, or `*.suffix` matching exactly one more label (no port = 443). */
  readonly patterns: readonly string[];
}

export type UrlCheck = { kind: "ok"; url: URL } | { kind: "refused"; reason: string };

export function checkOutboundUrl(value: string, allow: HostRule, opts: { path?: RegExp } = {}): UrlCheck {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { kind: "refused", reason: "not a URL" };
  }
  if (u.protocol !== "https:") return { kind: "refused", reason: "not https" };
  if (u.username || u.password) return { kind: "refused", reason: "credentials in the URL" };
  if (!hostAllowed(u, allow)) return { kind: "refused", reason: `host ${u.host} is not on the allow-list` };
  if (opts.path && !opts.path.test(u.pathname)) return { kind: "refused", reason: "unexpected path" };
  return { kind: "ok", url: u };
}

function hostAllowed(u: URL, allow: HostRule): boolean {
  const host = u.hostname.toLowerCase();
  const port = u.port || "443";
  return allow.patterns.some((raw) => {
    const p = raw.trim().toLowerCase();
    if (!p) return false;
    const colon = p.lastIndexOf(":");
    const [name, want] =
      colon > p.lastIndexOf("]") && colon > 0 ? [p.slice(0, colon), p.slice(colon + 1)] : [p, "443"];
    if (want !== port) return false;
    if (name.startsWith("*.")) {
      const suffix = name.slice(1);
      return (
        host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".") && host.length > suffix.length
      );
    }
    return host === name;
  });
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The body was larger than allowed: permanent for this URL. */
export class ResponseTooLarge extends Error {
  override readonly name = "ResponseTooLarge";
}

export interface GuardedGetOptions {
  headers?: Record<string, string>;
  maxBytes: number;
  timeoutMs: number;
  /** Tests trust their local fake's certificate through this; production uses the default agent. */
  dispatcher?: Dispatcher;
}

/** GET a URL already passed through `checkOutboundUrl`. Throws on network errors and oversize bodies. */
export async function guardedGet(url: URL, opts: GuardedGetOptions): Promise<GuardedResponse> {
  // undici's `request` never follows redirects: the host checked is the host that answers.
  const res = await request(url, {
    method: "GET",
    headers: opts.headers,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    res.body.destroy();
    throw new ResponseTooLarge(`response from ${url.host} is ${declared} bytes, over ${opts.maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res.body) {
    size += (c as Buffer).length;
    if (size > opts.maxBytes) {
      res.body.destroy();
      throw new ResponseTooLarge(`response from ${url.host} exceeds ${opts.maxBytes} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}
