import { normalizeStoredEmail } from "../../email/stored.ts";
import { EmailForwardSchema } from "../../ingest/ingest.schemas.ts";
import type { NormalizedEmail } from "../../mail/normalized-email.ts";
import type { InboxItem } from "../phase.ts";

/**
 * Reading a stored message back as an email: a JSON forward as sent, a provider's stored body
 * re-parsed. Shared by the extract phase and by whatever shows people the message's text (the
 * console's source excerpts).
 */

export class PayloadBroken extends Error {
  override readonly name = "PayloadBroken";
}

export function emailFromForward(item: InboxItem): NormalizedEmail {
  let json: unknown;
  try {
    json = JSON.parse(item.raw.toString("utf8"));
  } catch {
    throw new PayloadBroken("email forward payload is not JSON");
  }
  const r = EmailForwardSchema.safeParse(json);
  if (!r.success) throw new PayloadBroken("email forward payload breaks its schema");
  const f = r.data;
  const isHtml = /<(html|table|body|div|p|br)\b/i.test(f.body_content);
  return {
    provider: "json",
    messageId: f.message_id,
    from: `notices@${f.sender_domain.toLowerCase()}`,
    to: [],
    subject: f.subject_line,
    date: null,
    text: isHtml ? null : f.body_content,
    html: isHtml ? f.body_content : null,
    attachments: [],
    auth: { spf: null, dkim: null, dmarc: null, spamScore: null },
  };
}

export function storedEmail(item: InboxItem): Promise<NormalizedEmail> {
  if (!item.provider) throw new PayloadBroken(`route ${item.route} stored no provider`);
  return normalizeStoredEmail(item.provider, item.contentType, item.raw);
}

/**
 * The text the model reads and its guard checks against: the text body, else the HTML with cells
 * and rows kept apart (flattening cells together would glue part numbers to their neighbours).
 */
export function readableText(email: NormalizedEmail): string {
  if (email.text?.trim()) return email.text;
  return (email.html ?? "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(td|th)>/gi, " | ")
    .replace(/<(br|\/tr|\/p|\/div|\/li|\/h\d)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/[ \t]+/g, " ");
}
