/**
 * Which URLs taken from a request we may fetch. Such a URL must never make us send a secret to, or
 * trust an answer from, a host an attacker picked, nor reach our internal addresses. So: https only,
 * no credentials in the URL, host (and port) on an allow-list, optionally an expected path. The fetch
 * itself goes through the GuardedGet port (no redirects, a size limit).
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
