/**
 * The one shape every email route hands to the pipeline, whatever provider delivered it.
 * Built from the provider's fields or from the raw MIME; the raw message itself stays in the inbox.
 */
export interface EmailAttachment {
  filename: string | null;
  contentType: string;
  /** Decoded bytes (empty when `unreadable`). */
  content: Uint8Array;
  /**
   * Why the provider's copy of this attachment could not be decoded (e.g. not valid base64). The
   * rest of the message is still read; the reason is kept with the extraction record.
   */
  unreadable?: string;
}

export interface EmailAuthVerdicts {
  spf: string | null;
  dkim: string | null;
  dmarc: string | null;
  spamScore: number | null;
}

export type EmailProvider = "sendgrid" | "mailgun" | "ses" | "postmark" | "json";

export interface NormalizedEmail {
  provider: EmailProvider;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string;
  /** ISO timestamp of the Date header, when parseable. */
  date: string | null;
  text: string | null;
  html: string | null;
  attachments: EmailAttachment[];
  auth: EmailAuthVerdicts;
  /**
   * Set only when the message is incomplete here. `body_in_s3`: SES delivered a notification for an
   * S3 receipt action, so text, html and attachments are empty because the message lives at
   * `bodyLocation`, not because it has no body; the pipeline must not read it as an empty notice.
   */
  flags?: EmailFlag[];
  bodyLocation?: { kind: "s3"; bucket: string; key: string };
}

export type EmailFlag = "body_in_s3";
