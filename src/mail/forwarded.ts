import PostalMime from "postal-mime";
import type { EmailAttachment, NormalizedEmail } from "./normalized-email.ts";

/** Forwards of forwards are followed this deep; deeper ones stay plain attachments. */
const MAX_DEPTH = 3;

/**
 * Makes a message forwarded as an attachment (`message/rfc822`, as Outlook's "forward as attachment"
 * and distributors' relays send it) readable like the rest: its headers and text are appended to the
 * outer text under a "Forwarded message" marker, and its own attachments (a CSV of parts…) join the
 * list. The `.eml` attachment itself is kept, so nothing is lost. Postal-mime already inlines
 * rfc822 parts that are not marked as attachments; this covers those that are.
 * Applied by every provider path, so a provider's parsed fields and the raw MIME still agree.
 */
export async function inlineForwarded(email: NormalizedEmail, depth = 0): Promise<NormalizedEmail> {
  if (depth >= MAX_DEPTH || !email.attachments.some(isMessage)) return email;
  let text = email.text ?? "";
  const attachments: EmailAttachment[] = [...email.attachments];
  for (const a of email.attachments) {
    if (!isMessage(a)) continue;
    const inner = await PostalMime.parse(a.content, { attachmentEncoding: "arraybuffer" });
    const nested = await inlineForwarded(
      {
        ...email,
        text: inner.text || null,
        attachments: inner.attachments.map((x) => ({
          filename: x.filename ?? null,
          contentType: x.mimeType || "application/octet-stream",
          content:
            x.content instanceof ArrayBuffer
              ? new Uint8Array(x.content)
              : new TextEncoder().encode(String(x.content)),
        })),
      },
      depth + 1,
    );
    const head = [
      `---------- Forwarded message${a.filename ? ` (${a.filename})` : ""} ----------`,
      ...(inner.from && "address" in inner.from
        ? [`From: ${inner.from.name ? `${inner.from.name} ` : ""}<${inner.from.address}>`]
        : []),
      ...(inner.date ? [`Date: ${inner.date}`] : []),
      ...(inner.subject ? [`Subject: ${inner.subject}`] : []),
    ].join("\n");
    text = `${text}${text ? "\n\n" : ""}${head}\n\n${nested.text ?? ""}`;
    attachments.push(...nested.attachments);
  }
  return { ...email, text, attachments };
}

function isMessage(a: EmailAttachment): boolean {
  return a.contentType.toLowerCase() === "message/rfc822";
}
