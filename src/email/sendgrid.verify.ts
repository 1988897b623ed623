import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { EmailConfig } from "../config.ts";
import { type Rejection, reject } from "./email.outcome.ts";
import { basicAuthMatches, headerValue, type InboundRequest, secretEquals } from "./proof.ts";

export const SENDGRID_SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const SENDGRID_TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";

/**
 * SendGrid Inbound Parse origin proofs. Each one that is configured must hold:
 * - signed webhook: base64 ECDSA P-256/SHA-256 signature over `timestamp + raw body`, verified with the
 *   public key from SENDGRID_VERIFICATION_KEY (base64 DER SPKI, as SendGrid shows it, or PEM), and a
 *   timestamp within SENDGRID_MAX_AGE_SECONDS of now;
 * - SENDGRID_BASIC_AUTH: `user:password` in the Parse URL (sent as Authorization: Basic);
 * - INBOUND_PARSE_SECRET_KEY: `?key=<secret>` in the Parse URL.
 * Returns null when the request passes.
 */
export function verifySendgrid(req: InboundRequest, config: EmailConfig, now: Date): Rejection | null {
  if (config.INBOUND_PARSE_SECRET_KEY) {
    const key = req.query.key ?? "";
    if (!secretEquals(key, config.INBOUND_PARSE_SECRET_KEY) || key === "")
      return reject("unauthorized", "bad_url_key", "missing or wrong key in the Inbound Parse URL");
  }
  if (config.SENDGRID_BASIC_AUTH && !basicAuthMatches(req.headers, config.SENDGRID_BASIC_AUTH))
    return reject("unauthorized", "bad_basic_auth", "missing or wrong basic auth credentials");
  if (config.SENDGRID_VERIFICATION_KEY) {
    const signature = headerValue(req.headers, SENDGRID_SIGNATURE_HEADER);
    const timestamp = headerValue(req.headers, SENDGRID_TIMESTAMP_HEADER);
    if (!signature || !timestamp)
      return reject(
        "unauthorized",
        "missing_signature",
        `missing ${SENDGRID_SIGNATURE_HEADER} or -Timestamp header`,
      );
    if (!/^\d{1,12}$/.test(timestamp))
      return reject("unauthorized", "bad_timestamp", `${SENDGRID_TIMESTAMP_HEADER} is not a Unix timestamp`);
    const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
    if (age > config.SENDGRID_MAX_AGE_SECONDS)
      return reject("unauthorized", "stale_timestamp", "signature timestamp is outside the accepted window");
    const key = sendgridPublicKey(config.SENDGRID_VERIFICATION_KEY);
    const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), req.raw]);
    let good = false;
    try {
      good = verify("sha256", signed, key, Buffer.from(signature, "base64"));
    } catch {
      good = false;
    }
    if (!good) return reject("unauthorized", "bad_signature", "signature does not match the body");
  }
  return null;
}

const keyCache = new Map<string, KeyObject>();

/** The verification key as SendGrid's settings page gives it (base64 DER), or a PEM block. */
export function sendgridPublicKey(setting: string): KeyObject {
  let key = keyCache.get(setting);
  if (!key) {
    key = setting.includes("-----BEGIN")
      ? createPublicKey(setting)
      : createPublicKey({
          key: Buffer.from(setting.replace(/\s+/g, ""), "base64"),
          format: "der",
          type: "spki",
        });
    keyCache.set(setting, key);
  }
  return key;
}
