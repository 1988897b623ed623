import { abortableSleep } from "../abortable-sleep.ts";
import type { SourceFailure } from "../source.ts";
import { type SeVerdict, verdictOf } from "./se.envelope.ts";
import type { SeCallResult, SeSession, SeSessionSettings } from "./se.session.ts";

/**
 * One SiliconExpert ProductAPI session. Authentication is a login (`authenticateUser` with the
 * login and API key) that sets session cookies; every later call must carry them ("cookie-based
 * session authentication, NOT stateless API key authentication" [SE-GUIDE]). This client keeps its
 * own cookie jar, logs in on first use, and when a call answers "session expired" (code 1, 39, or
 * HTTP 401) logs in again once and repeats the call. Requests are form-encoded POSTs with
 * `fmt=json`, as the production clients in the reference do.
 *
 * Rate limits: every request first takes a token from the injected `throttle` (shared by all users
 * of the account in this deployment); a 429 (or code 8) pauses that gate for the Retry-After and,
 * when the pause is short, waits and repeats the call; a longer pause fails the call as
 * `rate_limited` with the wait, so the scheduler comes back then. Quota exhausted (code 6) fails
 * the call until the next UTC day, when the account's daily counters renew.
 */

export interface SeClientOptions extends SeSessionSettings {
  fetch?: typeof fetch;
}

/** Retry-After: seconds, or an HTTP date. Absent → null. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.ceil(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

/** Milliseconds until just after the next UTC midnight, when daily quotas renew. */
export function untilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 5);
  return next - now.getTime();
}

const DEFAULT_RATE_PAUSE_MS = 60_000;
const MAX_INLINE_WAITS = 3;

interface Answer {
  status: number;
  body: unknown;
  retryAfter: number | null;
}

export class SiliconExpertClient implements SeSession {
  private cookies = new Map<string, string>();
  private loggedIn = false;
  /** Bumped by every login; a call that finds its session expired only ends the session it used. */
  private generation = 0;
  /** One login at a time: concurrent callers (the alert poll and a scan) wait for the same one. */
  private loggingIn: Promise<SourceFailure | null> | null = null;
  private readonly doFetch: typeof fetch;
  /** Logins performed by this session (metrics, tests). */
  logins = 0;

  constructor(private readonly opts: SeClientOptions) {
    this.doFetch = opts.fetch ?? fetch;
  }

  /** Calls `search/<path>` in this session, logging in first when needed. */
  async call(path: string, params: Record<string, string>, signal: AbortSignal): Promise<SeCallResult> {
    let relogged = false;
    let waits = 0;
    for (;;) {
      if (!this.loggedIn) {
        this.loggingIn ??= this.login(signal).finally(() => {
          this.loggingIn = null;
        });
        const login = await this.loggingIn;
        if (login) return { kind: "failed", failure: login };
      }
      const usedGeneration = this.generation;
      const a = await this.post(path, { ...params, fmt: "json" }, signal);
      if ("kind" in a) return { kind: "failed", failure: a };
      const verdict = verdictOf(a.status, a.body);
      switch (verdict) {
        case "ok":
          return { kind: "ok", body: a.body };
        case "no_results":
          return { kind: "no_results" };
        case "session_expired":
          if (relogged) return failed("auth", false, `${path}: session refused right after a fresh login`);
          if (this.generation === usedGeneration) this.loggedIn = false;
          relogged = true;
          continue;
        case "rate_limited": {
          const ms = a.retryAfter ?? DEFAULT_RATE_PAUSE_MS;
          await this.opts.pause(ms);
          if (ms <= this.opts.maxInlineWaitMs && waits < MAX_INLINE_WAITS) {
            waits++;
            await abortableSleep(ms, signal);
            continue;
          }
          return {
            kind: "failed",
            failure: { ...failed("rate_limited", true, `${path}: rate limited`).failure, retryAfterMs: ms },
          };
        }
        case "quota":
          return {
            kind: "failed",
            failure: {
              kind: "quota",
              retryable: true,
              reason: `${path}: quota exceeded`,
              retryAfterMs: untilNextUtcDay(this.opts.now()),
            },
          };
        default:
          return failureOf(verdict, path, a.status);
      }
    }
  }

  /** Logs in; null on success, else the failure. */
  private async login(signal: AbortSignal): Promise<SourceFailure | null> {
    this.cookies.clear();
    const a = await this.post(
      "authenticateUser",
      { login: this.opts.login, apiKey: this.opts.apiKey, fmt: "json" },
      signal,
    );
    if ("kind" in a) return a;
    this.logins++;
    const verdict = verdictOf(a.status, a.body, { auth: true });
    if (verdict === "ok") {
      this.generation++;
      this.loggedIn = true;
      return null;
    }
    if (verdict === "rate_limited") {
      const ms = a.retryAfter ?? DEFAULT_RATE_PAUSE_MS;
      await this.opts.pause(ms);
      return {
        kind: "rate_limited",
        retryable: true,
        reason: "authenticateUser: rate limited",
        retryAfterMs: ms,
      };
    }
    if (verdict === "auth_failed" || verdict === "access_denied")
      return {
        kind: "auth",
        retryable: false,
        reason:
          "authenticateUser refused the login and API key (check SILICONEXPERT_LOGIN / SILICONEXPERT_API_KEY)",
      };
    return failureOf(verdict, "authenticateUser", a.status).failure;
  }

  private async post(
    path: string,
    params: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Answer | SourceFailure> {
    await this.opts.throttle(signal);
    const url = `${this.opts.baseUrl.replace(/\/+$/, "")}/search/${path}`;
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let res: Response;
    let raw: string;
    try {
      res = await this.doFetch(url, {
        method: "POST",
        headers,
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)]),
      });
      raw = await res.text();
    } catch (err) {
      if (signal.aborted) throw err;
      const name = err instanceof Error ? err.name : "Error";
      return {
        kind: "unavailable",
        retryable: true,
        reason: `${path}: ${name === "TimeoutError" ? "no answer in time" : "unreachable"}`,
      };
    }
    this.keepCookies(res.headers);
    let body: unknown;
    try {
      body = raw.trim() ? JSON.parse(raw) : undefined;
    } catch {
      // A cut-off page (the reference has several) or an HTML error page: unreadable, retried.
      body = undefined;
    }
    return { status: res.status, body, retryAfter: retryAfterMs(res.headers.get("retry-after"), Date.now()) };
  }

  private keepCookies(h: Headers): void {
    for (const line of h.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function failed(kind: SourceFailure["kind"], retryable: boolean, reason: string) {
  return { kind: "failed" as const, failure: { kind, retryable, reason } };
}

function failureOf(
  verdict: SeVerdict,
  path: string,
  status: number,
): { kind: "failed"; failure: SourceFailure } {
  switch (verdict) {
    case "auth_failed":
      return failed("auth", false, `${path}: authentication failed`);
    case "access_denied":
      return failed("rejected", false, `${path}: access denied (HTTP ${status})`);
    case "invalid":
      return failed(
        "rejected",
        false,
        `${path}: the platform refused the request as invalid (HTTP ${status})`,
      );
    case "server_error":
      return failed("unavailable", true, `${path}: platform error (HTTP ${status})`);
    default:
      return failed("protocol", true, `${path}: unreadable answer (HTTP ${status})`);
  }
}
