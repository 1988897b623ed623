/**
 * The one shape every email route hands to the pipeline, whatever provider delivered it.
 * Built from the provider's fields or from the raw MIME; the raw message itself stays in the inbox.
 */
export interface EmailAttachment {
  filename: string | null;
  contentType: string;
  /** Decoded bytes. */
  content: Uint8Array;
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
}
