import type { EmailConfig } from "../config.ts";

/**
 * How each email route proves its origin under this configuration, for the start-up log
 * (DESIGN §4: a route whose secret is not set accepts unverified requests, and the gateway says so).
 * Never includes a secret's value.
 */
export function emailRouteVerification(
  config: EmailConfig,
): { route: string; verified: boolean; how: string }[] {
  const sendgrid: string[] = [];
  if (config.SENDGRID_VERIFICATION_KEY) sendgrid.push("signed webhook (ECDSA, SENDGRID_VERIFICATION_KEY)");
  if (config.SENDGRID_BASIC_AUTH) sendgrid.push("basic auth (SENDGRID_BASIC_AUTH)");
  if (config.INBOUND_PARSE_SECRET_KEY) sendgrid.push("URL key ?key= (INBOUND_PARSE_SECRET_KEY)");
  const unverified = (setting: string) => `UNVERIFIED: accepts any request; set ${setting}`;
  return [
    {
      route: "/v1/ingest/email/sendgrid",
      verified: sendgrid.length > 0,
      how:
        sendgrid.length > 0
          ? sendgrid.join(" + ")
          : unverified("SENDGRID_VERIFICATION_KEY, SENDGRID_BASIC_AUTH or INBOUND_PARSE_SECRET_KEY"),
    },
    {
      route: "/v1/ingest/email/mailgun",
      verified: Boolean(config.MAILGUN_SIGNING_KEY),
      how: config.MAILGUN_SIGNING_KEY
        ? `HMAC-SHA256 signature (MAILGUN_SIGNING_KEY), ${config.MAILGUN_MAX_AGE_SECONDS} s window, token replay check`
        : unverified("MAILGUN_SIGNING_KEY"),
    },
    {
      route: "/v1/ingest/email/ses",
      verified: config.SNS_TOPIC_ARNS.length > 0,
      how:
        config.SNS_TOPIC_ARNS.length > 0
          ? `SNS signature (v1/v2, certificate from sns.<region>.amazonaws.com), topics: ${config.SNS_TOPIC_ARNS.join(", ")}`
          : unverified("SNS_TOPIC_ARNS (subscriptions are not auto-confirmed meanwhile)"),
    },
    {
      route: "/v1/ingest/email/postmark",
      verified: Boolean(config.POSTMARK_BASIC_AUTH),
      how: config.POSTMARK_BASIC_AUTH
        ? "basic auth (POSTMARK_BASIC_AUTH)"
        : unverified("POSTMARK_BASIC_AUTH"),
    },
  ];
}
