import type { EmailProvider } from "../mail/normalized-email.ts";

/**
 * Per-provider request limits, enforced by Fastify's per-route `bodyLimit` while the body streams in
 * (the connection is cut at the limit, nothing is buffered past it) and by busboy's limits on parts.
 * The totals follow each provider's own cap on inbound messages, plus room for its encoding.
 */
export interface EmailLimits {
  /** Whole request body. */
  bodyBytes: number;
  /** Any form field that is not a message body (`headers`, `subject`, `envelope`…). */
  smallFieldBytes: number;
  attachments: number;
  /** Form fields (not files) in one request. */
  fields: number;
}

const MiB = 1024 * 1024;

export const EMAIL_LIMITS: Record<Exclude<EmailProvider, "json">, EmailLimits> = {
  // SendGrid Inbound Parse: 30 MB total message size, attachments included.
  sendgrid: { bodyBytes: 30 * MiB, smallFieldBytes: 1 * MiB, attachments: 100, fields: 200 },
  // Mailgun: 25 MB messages; the parsed forward repeats bodies (plain, stripped, html), hence more room.
  mailgun: { bodyBytes: 40 * MiB, smallFieldBytes: 1 * MiB, attachments: 100, fields: 400 },
  // SNS delivers at most 256 KiB of message; the HTTP JSON around it escapes and wraps it.
  ses: { bodyBytes: 1 * MiB, smallFieldBytes: 1 * MiB, attachments: 100, fields: 0 },
  // Postmark inbound: 35 MB per message, with base64 attachments inside the JSON.
  postmark: { bodyBytes: 50 * MiB, smallFieldBytes: 1 * MiB, attachments: 100, fields: 0 },
};

/** Form fields that carry message bodies and may be as large as the whole request. */
export const BODY_FIELDS: ReadonlySet<string> = new Set([
  "email",
  "text",
  "html",
  "body-mime",
  "body-plain",
  "body-html",
  "stripped-text",
  "stripped-html",
  "stripped-signature",
]);
