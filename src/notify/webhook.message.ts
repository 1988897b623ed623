import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { byExposure, type OutgoingMessage } from "./message.ts";

/**
 * The generic webhook for downstream systems, signed per Standard Webhooks
 * (https://www.standardwebhooks.com/): `webhook-id` is the delivery id (stable across retries, so a
 * receiver dedupes on it), `webhook-timestamp` is Unix seconds at this attempt, and
 * `webhook-signature` is `v1,<base64 HMAC-SHA256 over "id.timestamp.body">` keyed by the `whsec_` secret.
 */
export interface WebhookEnvelope {
  type: "case.created" | "case.updated" | "case.reminder" | "case.digest";
  timestamp: string;
  data: unknown;
}

export function renderWebhook(m: OutgoingMessage, now: Date): WebhookEnvelope {
  if (m.kind === "case")
    return {
      type: `case.${m.case.event}`,
      timestamp: now.toISOString(),
      data: { delivery_id: m.deliveryId, ...m.case },
    };
  return {
    type: "case.digest",
    timestamp: now.toISOString(),
    data: {
      delivery_id: m.deliveryId,
      cases: byExposure(m.cases),
      ...(m.weekly ? { weekly: m.weekly } : {}),
    },
  };
}

/** Headers for one signed attempt. Without a secret the request goes unsigned (and the gateway says so at start). */
export function signedHeaders(
  deliveryId: string,
  body: string,
  now: Date,
  secret: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    "webhook-id": deliveryId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
  };
  if (secret) headers["webhook-signature"] = new Webhook(secret).sign(deliveryId, now, body);
  return headers;
}

/** A fresh `whsec_` secret (for docs and operators: `node -e` one-liner in docs/notifications.md). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
