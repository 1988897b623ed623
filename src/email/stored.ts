import type { NormalizedEmail } from "../mail/normalized-email.ts";
import { storableText } from "../store/storable-text.ts";
import type { Rejection } from "./email.outcome.ts";
import { parseMailgun } from "./mailgun.parse.ts";
import { parsePostmark } from "./postmark.parse.ts";
import { parseSendgrid } from "./sendgrid.parse.ts";
import { parseSesStored } from "./ses.parse.ts";

/**
 * A stored email body that no longer parses. Permanent: the same bytes will fail the same way, so
 * the pipeline should dead-letter it rather than retry.
 */
export class StoredEmailUnreadable extends Error {
  override readonly name = "StoredEmailUnreadable";
  readonly retryable = false;
  constructor(
    readonly provider: string,
    readonly rejection: Rejection,
  ) {
    super(`stored ${provider} email cannot be read: ${rejection.message}`);
  }
}

/**
 * Re-reads a raw provider body from the inbox (what the email route stored) into the NormalizedEmail
 * the route built from it, without checking signatures again: the route verified it before storing.
 * `contentType` is the stored request Content-Type (multipart bodies need its boundary).
 * An SES notification for an S3 receipt action comes back with `flags: ["body_in_s3"]` and
 * `bodyLocation` and no body.
 */
export async function normalizeStoredEmail(
  provider: string,
  contentType: string,
  raw: Buffer,
): Promise<NormalizedEmail> {
  return storableEmail(await parseStored(provider, contentType, raw));
}

/** Text fields as the store can hold them (a NUL or a lone surrogate in a mail would fail a phase forever). */
function storableEmail(e: NormalizedEmail): NormalizedEmail {
  const t = (s: string | null) => (s === null ? null : storableText(s));
  return {
    ...e,
    messageId: t(e.messageId),
    from: t(e.from),
    to: e.to.map(storableText),
    subject: storableText(e.subject),
    text: t(e.text),
    html: t(e.html),
    attachments: e.attachments.map((a) => ({
      ...a,
      filename: t(a.filename),
      contentType: storableText(a.contentType),
    })),
  };
}

async function parseStored(provider: string, contentType: string, raw: Buffer): Promise<NormalizedEmail> {
  switch (provider) {
    case "sendgrid": {
      const r = await parseSendgrid(raw, contentType);
      if (r.kind === "ok") return r.value;
      throw new StoredEmailUnreadable(provider, r);
    }
    case "mailgun": {
      const r = await parseMailgun(raw, contentType);
      if (r.kind === "ok") return r.value.email;
      throw new StoredEmailUnreadable(provider, r);
    }
    case "postmark": {
      const r = await parsePostmark(raw);
      if (r.kind === "ok") return r.value.email;
      throw new StoredEmailUnreadable(provider, r);
    }
    case "ses": {
      const r = await parseSesStored(raw);
      if (r.kind === "ok") return r.value.email;
      throw new StoredEmailUnreadable(provider, r);
    }
    default:
      throw new Error(`normalizeStoredEmail: unknown email provider ${JSON.stringify(provider)}`);
  }
}
