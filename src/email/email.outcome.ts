import type { NormalizedEmail } from "../mail/normalized-email.ts";

/** One problem with a request, pointing at the field (or `(body)`, `(headers)`) that caused it. */
export interface Issue {
  path: string;
  message: string;
}

/**
 * Why a request was turned away, as a class the route maps to each provider's status code (a
 * provider's retry rules decide between 401/403/406/422, see docs/adr/0004-email-status-codes.md).
 * `reason` is the metric label; `message` the human text. Neither ever carries a secret.
 */
export type RejectClass = "unauthorized" | "forbidden" | "invalid" | "too_large" | "media_type";

export interface Rejection {
  kind: "rejected";
  class: RejectClass;
  reason: string;
  message: string;
  issues: Issue[];
}

export function reject(cls: RejectClass, reason: string, message: string, issues: Issue[] = []): Rejection {
  return { kind: "rejected", class: cls, reason, message, issues };
}

export function invalid(reason: string, issues: Issue[]): Rejection {
  return reject("invalid", reason, issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

export type Checked<T> = { kind: "ok"; value: T } | Rejection;

export function ok<T>(value: T): { kind: "ok"; value: T } {
  return { kind: "ok", value };
}

/**
 * What a provider adapter makes of a verified request:
 * - `email`: a message to store; `messageId` is the provider's own id when it has one (SNS MessageId);
 *   `release` undoes side effects of verification (a Mailgun token) when the store then fails,
 *   so the provider's retry is not mistaken for a replay.
 * - `control`: a provider housekeeping message (SNS subscription) answered 200 without storing anything.
 * - `retry_later`: the request is fine but something we depend on failed; answer 503.
 */
export type AdapterOutcome =
  | {
      kind: "email";
      email: NormalizedEmail;
      providerMessageId: string | null;
      release?: () => Promise<void>;
      /** What to store instead of the request body (a Mailgun store-notify post plus the fetched MIME). */
      stored?: { raw: Buffer; contentType: string };
    }
  | { kind: "control"; body: Record<string, unknown>; outcome: string }
  | { kind: "retry_later"; reason: string; message: string }
  | Rejection;
