/**
 * The ingest port: what every ingest route hands over once a request is verified and valid.
 * `accept` resolves only after the notice is durably committed to the inbox (or was already there).
 */
export interface IncomingNotice {
  /** Route family: `component-alert`, `email-forward`, `email/sendgrid`, `email/mailgun`, `email/ses`, `email/postmark`. */
  route: string;
  /** Who sent it: the alert's source_platform, the email's sender domain, or the provider. */
  source: string;
  /** The inbound-parse provider for email routes, else null. */
  provider: string | null;
  /** DESIGN §4: header, field, provider message id, else a hash of the normalised content. */
  idempotencyKey: string;
  contentType: string;
  /** The payload exactly as received (for email routes: the provider's body, which holds the MIME). */
  raw: Buffer;
}

export type AcceptOutcome =
  | { kind: "accepted"; traceId: string; duplicate: boolean }
  /** The store could not take the notice: answer 503 so the provider retries. Nothing was stored. */
  | { kind: "store_unavailable"; reason: string };

export interface Ingestor {
  accept(notice: IncomingNotice): Promise<AcceptOutcome>;
}
