import type { EmailConfig } from "../config.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import { type CircuitBreaker, CircuitOpenError } from "../resilience/circuit-breaker.ts";
import { EMAIL_LIMITS } from "./email.limits.ts";
import type { AdapterOutcome, Rejection } from "./email.outcome.ts";
import { reject } from "./email.outcome.ts";
import { parseForm, utf8 } from "./form.parse.ts";
import { parseMailgun } from "./mailgun.parse.ts";
import { checkMailgunSignature, claimMailgunToken, type MailgunSignature } from "./mailgun.verify.ts";
import type { GuardedGet, GuardedResponse } from "./outbound.port.ts";
import { checkOutboundUrl } from "./outbound-url.ts";
import type { SeenTokens } from "./seen-tokens.repository.ts";

/**
 * Mailgun Routes with `store(notify="…")`: Mailgun keeps the message and posts us its `message-url`
 * with the signature fields but no content. We fetch the message from Mailgun's storage API with
 * MAILGUN_API_KEY — only once the post's signature verified (an unverified post could name any URL
 * and harvest the key), only over https from an allow-listed storage host, never following a
 * redirect, with a size limit — through the `mailgun-storage` circuit breaker with a few quick
 * retries. What is stored in the inbox is the post plus the fetched MIME as `body-mime`, so the
 * pipeline re-reads it like any raw Mailgun post, without fetching again.
 */
export interface MailgunStorageDeps {
  config: EmailConfig;
  now: Date;
  tokens: SeenTokens;
  /** The guarded GET (adapter wired by main.ts; tests point it at a local fake of the storage API). */
  get: GuardedGet;
  breaker: CircuitBreaker;
  /** Waits between retries (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface StoreNotify {
  messageUrl: string;
  fields: Map<string, string>;
  signature: Partial<MailgunSignature>;
}

/** A store-notify post: `message-url` and none of the content fields. Null for any other post. */
export async function readStoreNotify(raw: Buffer, contentType: string): Promise<StoreNotify | null> {
  const form = await parseForm(raw, contentType, EMAIL_LIMITS.mailgun);
  if (form.kind !== "ok") return null;
  const f = form.value;
  if (!f.fields.has("message-url")) return null;
  if (["body-mime", "body-plain", "body-html"].some((k) => f.fields.has(k))) return null;
  const fields = new Map<string, string>();
  for (const [k, v] of f.fields) {
    const s = utf8(v);
    if (s !== null) fields.set(k, s);
  }
  const signature: Partial<MailgunSignature> = {};
  for (const k of ["timestamp", "token", "signature"] as const) {
    const v = fields.get(k);
    if (v !== undefined) signature[k] = v;
  }
  return { messageUrl: fields.get("message-url") ?? "", fields, signature };
}

const STORAGE_PATH = /^\/v3\/domains\/[^/]+\/messages\/[^/]+$/;
const ATTEMPTS = 3;

export async function handleStoreNotify(n: StoreNotify, d: MailgunStorageDeps): Promise<AdapterOutcome> {
  const key = d.config.MAILGUN_SIGNING_KEY;
  const apiKey = d.config.MAILGUN_API_KEY;
  if (!key || !apiKey)
    return reject(
      "forbidden",
      "store_notify_not_enabled",
      "a store(notify) post is only fetched with MAILGUN_SIGNING_KEY and MAILGUN_API_KEY set",
    );
  const denied = checkMailgunSignature(n.signature, key, d.config.MAILGUN_MAX_AGE_SECONDS, d.now);
  if (denied) return denied;
  const url = checkOutboundUrl(
    n.messageUrl,
    { patterns: d.config.MAILGUN_STORAGE_HOSTS },
    { path: STORAGE_PATH },
  );
  if (url.kind === "refused")
    return reject("forbidden", "bad_message_url", `message-url refused: ${url.reason}`, [
      { path: "message-url", message: url.reason },
    ]);
  const sig = { timestamp: n.signature.timestamp!, token: n.signature.token! };
  const claim = await claimMailgunToken(d.tokens, sig, d.config, d.now);
  if (claim.kind !== "claimed") return claim;
  const release = () => d.tokens.forget("mailgun", sig.token);

  const fetched = await fetchWithRetries(url.url, apiKey, d);
  if (fetched.kind !== "ok") {
    await release().catch(() => {});
    return fetched;
  }
  const stored = new URLSearchParams();
  for (const [k, v] of n.fields) stored.append(k, v);
  stored.append("body-mime", fetched.mime);
  const raw = Buffer.from(stored.toString());
  const contentType = "application/x-www-form-urlencoded";
  const parsed = await parseMailgun(raw, contentType);
  if (parsed.kind !== "ok") {
    await release().catch(() => {});
    return parsed;
  }
  return {
    kind: "email",
    email: parsed.value.email,
    providerMessageId: null,
    release,
    stored: { raw, contentType },
  };
}

type Fetched = { kind: "ok"; mime: string } | Rejection | Extract<AdapterOutcome, { kind: "retry_later" }>;

async function fetchWithRetries(url: URL, apiKey: string, d: MailgunStorageDeps): Promise<Fetched> {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: Fetched = { kind: "retry_later", reason: "storage_unavailable", message: "not tried" };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const r = await fetchOnce(url, apiKey, d);
    if (r.outcome.kind !== "retry_later" || !r.retry) return r.outcome;
    last = r.outcome;
    if (attempt + 1 < ATTEMPTS)
      await sleep(
        r.retryAfterMs ??
          backoffDelay(attempt, { baseMs: 250, maxMs: 2_000, random: d.random ?? Math.random }),
      );
  }
  return last;
}

async function fetchOnce(
  url: URL,
  apiKey: string,
  d: MailgunStorageDeps,
): Promise<{ outcome: Fetched; retry: boolean; retryAfterMs?: number }> {
  const later = (message: string, retry: boolean, retryAfterMs?: number) => ({
    outcome: { kind: "retry_later" as const, reason: "storage_unavailable", message },
    retry,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  let res: Extract<GuardedResponse, { kind: "response" }>;
  try {
    const ran = await d.breaker.run(
      () =>
        d.get(url, {
          headers: {
            authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString("base64")}`,
            accept: "message/rfc2822",
          },
          maxBytes: EMAIL_LIMITS.mailgun.bodyBytes,
          timeoutMs: 10_000,
        }),
      (r) => r.kind === "response" && (r.status >= 500 || r.status === 429),
    );
    if (ran.kind === "failed")
      return later(`fetching the stored message failed: ${(ran.error as Error).message}`, true);
    if (ran.value.kind === "too_large")
      return { outcome: reject("too_large", "stored_message_too_large", ran.value.message), retry: false };
    res = ran.value;
  } catch (err) {
    if (err instanceof CircuitOpenError) return later("mailgun-storage circuit is open", false);
    throw err;
  }
  if (res.status === 200) {
    const mime = bodyMime(res.body);
    return mime === null
      ? {
          outcome: urlProblem("stored_message_unreadable", "the storage API's answer has no body-mime"),
          retry: false,
        }
      : { outcome: { kind: "ok", mime }, retry: false };
  }
  if (res.status === 404 || res.status === 410)
    return {
      outcome: urlProblem("stored_message_gone", `Mailgun has no stored message there (HTTP ${res.status})`),
      retry: false,
    };
  if (res.status === 429 || res.status >= 500) {
    const after = Number(headerOf(res.headers, "retry-after"));
    return later(
      `Mailgun storage answered HTTP ${res.status}`,
      true,
      Number.isFinite(after) ? Math.min(after, 2) * 1000 : undefined,
    );
  }
  // 401/403 (a wrong or revoked MAILGUN_API_KEY), a redirect (never followed) and anything else:
  // Mailgun keeps retrying a 503 for hours, time for an operator to fix the setting.
  return later(
    res.status >= 300 && res.status < 400
      ? `Mailgun storage answered a redirect (HTTP ${res.status}); redirects are not followed`
      : `Mailgun storage refused the request (HTTP ${res.status}); check MAILGUN_API_KEY`,
    false,
  );
}

function headerOf(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The storage API's JSON answer to `Accept: message/rfc2822`: the MIME is its `body-mime`. */
function bodyMime(body: Buffer): string | null {
  try {
    const v = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    return typeof v["body-mime"] === "string" && v["body-mime"].length > 0 ? v["body-mime"] : null;
  } catch {
    return null;
  }
}

/** A permanent refusal about the message-url (the class "invalid" reports issues, not a message). */
function urlProblem(reason: string, message: string): Rejection {
  return reject("invalid", reason, message, [{ path: "message-url", message }]);
}
