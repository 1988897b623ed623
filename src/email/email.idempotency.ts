import { createHash } from "node:crypto";
import { idempotencyKey } from "../ingest/idempotency.ts";
import type { NormalizedEmail } from "../mail/normalized-email.ts";

/**
 * DESIGN §4 for email routes: the `Idempotency-Key` header, else the message's Message-ID, else the
 * provider's own id for it (SNS MessageId, Postmark MessageID), else a hash of the normalised content.
 * The Message-ID comes before the provider's id so that one email relayed by two gateways (or by one
 * SES rule with both an S3 and an SNS action) is one notice; a provider retry repeats both ids.
 * The content hash leaves out the provider and its verdicts, which differ between gateways.
 */
export function emailIdempotencyKey(
  header: string | undefined,
  email: NormalizedEmail,
  providerMessageId: string | null,
): string {
  return idempotencyKey({
    header,
    messageId: email.messageId ?? providerMessageId,
    content: {
      from: email.from,
      to: email.to,
      subject: email.subject,
      date: email.date,
      text: email.text,
      html: email.html,
      attachments: email.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        sha256: createHash("sha256").update(a.content).digest("hex"),
      })),
    },
  });
}
