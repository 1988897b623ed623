import { z } from "zod";
import type { Checked } from "./email.outcome.ts";
import { invalid, ok } from "./email.outcome.ts";
import { utf8 } from "./form.parse.ts";

/** The JSON an SNS HTTP(S) subscription posts (sent as text/plain). */
export const SnsEnvelope = z.object({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1),
  TopicArn: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, "must be an SNS topic ARN"),
  Subject: z.string().nullish(),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.enum(["1", "2"], "must be 1 or 2"),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
  Token: z.string().nullish(),
  SubscribeURL: z.string().nullish(),
  UnsubscribeURL: z.string().nullish(),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

export function parseSnsEnvelope(raw: Buffer): Checked<SnsEnvelope> {
  const text = utf8(raw);
  if (text === null)
    return invalid("charset_mismatch", [{ path: "(body)", message: "body is not valid UTF-8" }]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid("validation_failed", [{ path: "(body)", message: "body is not valid JSON" }]);
  }
  const r = SnsEnvelope.safeParse(json);
  if (!r.success)
    return invalid(
      "validation_failed",
      r.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
    );
  const e = r.data;
  if (e.Type !== "Notification" && (!e.Token || !e.SubscribeURL))
    return invalid("validation_failed", [
      { path: "SubscribeURL", message: `${e.Type} needs Token and SubscribeURL` },
    ]);
  return ok(e);
}

/**
 * The exact bytes SNS signs: `Key\nValue\n` for each key in this order, per message type.
 * Notification: Message, MessageId, Subject (only when present), Timestamp, TopicArn, Type.
 * (Un)SubscriptionConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function snsStringToSign(e: SnsEnvelope): string {
  const keys =
    e.Type === "Notification"
      ? (["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] as const)
      : (["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"] as const);
  let out = "";
  for (const k of keys) {
    const v = e[k];
    if (v === undefined || v === null) continue;
    out += `${k}\n${v}\n`;
  }
  return out;
}

/** SNS hosts: `sns.<region>.amazonaws.com`, and `.amazonaws.com.cn` in the China regions. */
const SNS_HOST = /^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com(\.cn)?$/;

/**
 * Accepts only an https URL on an SNS host, default port, no credentials; `pem` also requires a
 * `.pem` path (the signing certificate). Anything else could make us fetch from a host an attacker
 * controls, and trust what it serves.
 */
export function snsUrl(value: string, kind: "pem" | "any"): URL | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" || u.port !== "" || u.username || u.password) return null;
  if (!SNS_HOST.test(u.hostname)) return null;
  if (kind === "pem" && !u.pathname.endsWith(".pem")) return null;
  return u;
}
