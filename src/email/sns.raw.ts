import type { EmailConfig } from "../config.ts";
import type { AdapterOutcome } from "./email.outcome.ts";
import { invalid, reject } from "./email.outcome.ts";
import { utf8 } from "./form.parse.ts";
import { basicAuthMatches, headerValue, type InboundRequest } from "./proof.ts";
import { parseSesMessage } from "./ses.parse.ts";
import type { SnsEnvelope } from "./sns.envelope.ts";

/**
 * SNS raw message delivery: the subscription posts the SES notification itself, with the SNS fields
 * only in `x-amz-sns-*` headers and no signature. Unsigned, so with SNS_TOPIC_ARNS set (verified
 * mode) it is taken only from a listed topic AND with the basic-auth credentials of SNS_RAW_BASIC_AUTH,
 * which SNS sends when they are in the subscription's endpoint URL. It is stored as the envelope SNS
 * would have sent (marked unsigned), so the pipeline re-reads every SES message one way.
 */
export function isRawDelivery(req: InboundRequest): boolean {
  return headerValue(req.headers, "x-amz-sns-rawdelivery")?.toLowerCase() === "true";
}

export async function handleRawDelivery(
  req: InboundRequest,
  config: EmailConfig,
  now: Date,
): Promise<AdapterOutcome> {
  const type = headerValue(req.headers, "x-amz-sns-message-type");
  const topic = headerValue(req.headers, "x-amz-sns-topic-arn") ?? "";
  const messageId = headerValue(req.headers, "x-amz-sns-message-id") ?? "";
  if (type !== "Notification")
    return invalid("validation_failed", [
      { path: "x-amz-sns-message-type", message: "raw delivery carries only Notification messages" },
    ]);
  if (!messageId)
    return invalid("validation_failed", [{ path: "x-amz-sns-message-id", message: "is required" }]);
  if (config.SNS_TOPIC_ARNS.length > 0) {
    if (!config.SNS_RAW_BASIC_AUTH)
      return reject(
        "unauthorized",
        "raw_delivery_unverifiable",
        "SNS raw delivery is unsigned: set SNS_RAW_BASIC_AUTH (credentials in the subscription URL) or turn raw delivery off",
      );
    if (!basicAuthMatches(req.headers, config.SNS_RAW_BASIC_AUTH))
      return reject("unauthorized", "bad_basic_auth", "missing or wrong basic auth credentials");
    if (!config.SNS_TOPIC_ARNS.includes(topic))
      return reject("forbidden", "topic_not_allowed", "x-amz-sns-topic-arn is not in SNS_TOPIC_ARNS", [
        { path: "x-amz-sns-topic-arn", message: "topic is not allowed" },
      ]);
  }
  const text = utf8(req.raw);
  if (text === null)
    return invalid("charset_mismatch", [{ path: "(body)", message: "body is not valid UTF-8" }]);
  const parsed = await parseSesMessage(text);
  if (parsed.kind !== "ok") return parsed;
  const envelope: SnsEnvelope = {
    Type: "Notification",
    MessageId: messageId,
    TopicArn: topic || "arn:aws:sns:unknown-region-1:000000000000:raw-delivery",
    Subject: null,
    Message: text,
    Timestamp: now.toISOString(),
    SignatureVersion: "1",
    Signature: "(raw message delivery: unsigned)",
    SigningCertURL: "(raw message delivery: unsigned)",
  };
  return {
    kind: "email",
    email: parsed.value,
    providerMessageId: messageId,
    stored: { raw: Buffer.from(JSON.stringify(envelope)), contentType: "application/json" },
  };
}

/** SNS_MAX_AGE_SECONDS: a signed message older than this is a replay (SNS retries for about an hour). */
export function snsTooOld(e: SnsEnvelope, maxAgeSeconds: number, now: Date): AdapterOutcome | null {
  const at = Date.parse(e.Timestamp);
  if (Number.isNaN(at))
    return invalid("validation_failed", [{ path: "Timestamp", message: "is not an ISO 8601 timestamp" }]);
  if (now.getTime() - at > maxAgeSeconds * 1000)
    return reject("forbidden", "stale_timestamp", `Timestamp is older than ${maxAgeSeconds} s (a replay?)`, [
      { path: "Timestamp", message: "too old" },
    ]);
  return null;
}
