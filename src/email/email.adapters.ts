import type { Logger } from "pino";
import type { EmailConfig } from "../config.ts";
import type { AdapterOutcome } from "./email.outcome.ts";
import { invalid, reject } from "./email.outcome.ts";
import { parseMailgun } from "./mailgun.parse.ts";
import { handleStoreNotify, type MailgunStorageDeps, readStoreNotify } from "./mailgun.stored.ts";
import { checkMailgunSignature, claimMailgunToken } from "./mailgun.verify.ts";
import { parsePostmark } from "./postmark.parse.ts";
import { basicAuthMatches, headerValue, type InboundRequest } from "./proof.ts";
import type { SeenTokens } from "./seen-tokens.repository.ts";
import { parseSendgrid } from "./sendgrid.parse.ts";
import { verifySendgrid } from "./sendgrid.verify.ts";
import { parseSesMessage } from "./ses.parse.ts";
import type { HttpsGet, SnsCertificateSource } from "./sns.certificates.ts";
import { parseSnsEnvelope, type SnsEnvelope, snsUrl } from "./sns.envelope.ts";
import { handleRawDelivery, isRawDelivery, snsTooOld } from "./sns.raw.ts";
import { verifySns } from "./sns.verify.ts";

export type EmailRouteProvider = "sendgrid" | "mailgun" | "ses" | "postmark";

export interface AdapterContext {
  config: EmailConfig;
  now: Date;
  tokens: SeenTokens;
  certificates: SnsCertificateSource;
  httpsGet: HttpsGet;
  logger: Logger;
  /** Mailgun's storage API (store-notify posts): the guarded GET, its circuit breaker, retry waits. */
  mailgunStorage: MailgunStorage;
}

export type MailgunStorage = Pick<MailgunStorageDeps, "get" | "breaker" | "sleep">;

export interface ProviderAdapter {
  /** Media types (essence, lower case) this provider posts. */
  mediaTypes: readonly string[];
  /** Verify origin, then parse; each provider in its own order (Mailgun signs fields inside the body). */
  handle(req: InboundRequest, ctx: AdapterContext): Promise<AdapterOutcome>;
}

const sendgrid: ProviderAdapter = {
  mediaTypes: ["multipart/form-data"],
  async handle(req, ctx) {
    const denied = verifySendgrid(req, ctx.config, ctx.now);
    if (denied) return denied;
    const r = await parseSendgrid(req.raw, req.contentType);
    return r.kind === "ok" ? { kind: "email", email: r.value, providerMessageId: null } : r;
  },
};

const mailgun: ProviderAdapter = {
  mediaTypes: ["multipart/form-data", "application/x-www-form-urlencoded"],
  async handle(req, ctx) {
    const notify = await readStoreNotify(req.raw, req.contentType);
    if (notify)
      return handleStoreNotify(notify, {
        ...ctx.mailgunStorage,
        config: ctx.config,
        now: ctx.now,
        tokens: ctx.tokens,
      });
    const r = await parseMailgun(req.raw, req.contentType);
    if (r.kind !== "ok") return r;
    const key = ctx.config.MAILGUN_SIGNING_KEY;
    if (!key) return { kind: "email", email: r.value.email, providerMessageId: null };
    const denied = checkMailgunSignature(r.value.signature, key, ctx.config.MAILGUN_MAX_AGE_SECONDS, ctx.now);
    if (denied) return denied;
    // checkMailgunSignature returned null, so timestamp and token are present.
    const sig = { timestamp: r.value.signature.timestamp!, token: r.value.signature.token! };
    const claim = await claimMailgunToken(ctx.tokens, sig, ctx.config, ctx.now);
    if (claim.kind !== "claimed") return claim;
    return {
      kind: "email",
      email: r.value.email,
      providerMessageId: null,
      release: () => ctx.tokens.forget("mailgun", sig.token),
    };
  },
};

const postmark: ProviderAdapter = {
  mediaTypes: ["application/json"],
  async handle(req, ctx) {
    const auth = ctx.config.POSTMARK_BASIC_AUTH;
    if (auth && !basicAuthMatches(req.headers, auth))
      return reject("unauthorized", "bad_basic_auth", "missing or wrong basic auth credentials");
    const r = await parsePostmark(req.raw);
    return r.kind === "ok"
      ? { kind: "email", email: r.value.email, providerMessageId: r.value.postmarkId }
      : r;
  },
};

/**
 * SES receipt rules publish to SNS, which posts here. With SNS_TOPIC_ARNS set every message is verified
 * (topic, certificate host, signature) before anything else happens, including confirming a
 * subscription. Without it, notifications are accepted unverified and subscriptions are never
 * confirmed, since that would make us fetch a URL on an unauthenticated request's say-so.
 */
const ses: ProviderAdapter = {
  mediaTypes: ["text/plain", "application/json"],
  async handle(req, ctx) {
    if (isRawDelivery(req)) return handleRawDelivery(req, ctx.config, ctx.now);
    const parsed = parseSnsEnvelope(req.raw);
    if (parsed.kind !== "ok") return parsed;
    const e = parsed.value;
    const stale = snsTooOld(e, ctx.config.SNS_MAX_AGE_SECONDS, ctx.now);
    if (stale) return stale;
    const declared = headerValue(req.headers, "x-amz-sns-message-type");
    if (declared && declared !== e.Type)
      return invalid("validation_failed", [
        { path: "Type", message: `x-amz-sns-message-type says ${declared} but the body is ${e.Type}` },
      ]);
    const verified = ctx.config.SNS_TOPIC_ARNS.length > 0;
    if (verified) {
      const denied = await verifySns(e, ctx.config.SNS_TOPIC_ARNS, ctx.certificates, ctx.now);
      if (denied) return denied;
    }
    switch (e.Type) {
      case "Notification": {
        const r = await parseSesMessage(e.Message);
        return r.kind === "ok" ? { kind: "email", email: r.value, providerMessageId: e.MessageId } : r;
      }
      case "SubscriptionConfirmation":
        return verified ? confirmSubscription(e, ctx) : unconfirmed(e, ctx);
      case "UnsubscribeConfirmation":
        ctx.logger.warn({ topic: e.TopicArn }, "SNS says this endpoint was unsubscribed from the topic");
        return {
          kind: "control",
          body: { ack: true, subscription: "unsubscribed" },
          outcome: "unsubscribed",
        };
    }
  },
};

async function confirmSubscription(e: SnsEnvelope, ctx: AdapterContext): Promise<AdapterOutcome> {
  const url = snsUrl(e.SubscribeURL ?? "", "any");
  if (!url)
    return reject(
      "unauthorized",
      "bad_subscribe_url",
      "SubscribeURL is not on sns.<region>.amazonaws.com over https",
      [{ path: "SubscribeURL", message: "not an SNS URL" }],
    );
  try {
    const res = await ctx.httpsGet(url);
    if (res.status !== 200) {
      // A 4xx from AWS (expired token) will not improve on retry; a 5xx might.
      if (res.status < 500)
        return reject("invalid", "subscription_refused", `SNS refused the confirmation (HTTP ${res.status})`);
      return {
        kind: "retry_later",
        reason: "subscribe_failed",
        message: `SubscribeURL answered HTTP ${res.status}`,
      };
    }
  } catch (err) {
    return { kind: "retry_later", reason: "subscribe_failed", message: (err as Error).message };
  }
  ctx.logger.info({ topic: e.TopicArn }, "SNS subscription confirmed");
  return {
    kind: "control",
    body: { ack: true, subscription: "confirmed" },
    outcome: "subscription_confirmed",
  };
}

function unconfirmed(e: SnsEnvelope, ctx: AdapterContext): AdapterOutcome {
  ctx.logger.warn(
    { topic: e.TopicArn },
    "SNS subscription NOT confirmed: SNS_TOPIC_ARNS is empty; add the topic to confirm it automatically",
  );
  return {
    kind: "control",
    body: {
      ack: true,
      subscription: "not_confirmed",
      message: "set SNS_TOPIC_ARNS to confirm subscriptions",
    },
    outcome: "subscription_ignored",
  };
}

export const EMAIL_ADAPTERS: Record<EmailRouteProvider, ProviderAdapter> = {
  sendgrid,
  mailgun,
  ses,
  postmark,
};
