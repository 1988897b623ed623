import PostalMime, { addressParser, type Email } from "postal-mime";
import { inlineForwarded } from "./forwarded.ts";
import type { EmailAuthVerdicts, EmailProvider, NormalizedEmail } from "./normalized-email.ts";

/** Upper bound on the MIME a single message may carry into the parser (providers cap below this). */
export const MAX_MIME_BYTES = 40 * 1024 * 1024;

/**
 * Parses a raw RFC 5322 message into a NormalizedEmail. Nested multiparts, quoted-printable, base64,
 * RFC 2047 headers and legacy charsets are postal-mime's job; a forwarded `message/rfc822` part is
 * inlined into the text (postal-mime for inline parts, `inlineForwarded` for attachments) so that the
 * forwarded notice is read like the rest.
 * `verdicts` are the provider's own SPF/DKIM/DMARC/spam findings, which win over the headers'.
 */
export async function parseMime(
  raw: string | Uint8Array,
  provider: EmailProvider,
  verdicts: Partial<EmailAuthVerdicts> = {},
): Promise<NormalizedEmail> {
  const parsed = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  const env = envelopeOf(parsed);
  return inlineForwarded({
    provider,
    ...env.envelope,
    // An empty body part and no body part are the same thing to every provider's parsed fields.
    text: parsed.text || null,
    html: parsed.html || null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.mimeType || "application/octet-stream",
      content: toBytes(a.content),
    })),
    auth: {
      spf: verdicts.spf ?? env.headerAuth.spf,
      dkim: verdicts.dkim ?? env.headerAuth.dkim,
      dmarc: verdicts.dmarc ?? env.headerAuth.dmarc,
      spamScore: verdicts.spamScore ?? null,
    },
  });
}

/** The addressing part of a NormalizedEmail, as read from headers. */
export type EmailEnvelope = Pick<NormalizedEmail, "messageId" | "from" | "to" | "subject" | "date">;

export interface ParsedHeaders {
  envelope: EmailEnvelope;
  /** Every header, key lower-cased, value decoded where RFC 2047 applies. */
  headers: { key: string; value: string }[];
  headerAuth: Omit<EmailAuthVerdicts, "spamScore">;
}

/**
 * Reads a bare header block (what SendGrid's `headers` field and Mailgun's `message-headers` carry)
 * exactly as parseMime reads the headers of a whole message, so that a provider's parsed fields and
 * the raw MIME give the same envelope.
 */
export async function parseHeaderBlock(block: string | Uint8Array): Promise<ParsedHeaders> {
  const head = typeof block === "string" ? Buffer.from(block, "utf8") : Buffer.from(block);
  const text = head.toString("latin1").replace(/(\r?\n)+$/, "");
  const msg = Buffer.concat([Buffer.from(text, "latin1"), Buffer.from("\r\n\r\n")]);
  return envelopeOf(await PostalMime.parse(msg, { attachmentEncoding: "arraybuffer" }));
}

function envelopeOf(parsed: Email): ParsedHeaders {
  const fromAddr = parsed.from && "address" in parsed.from ? (parsed.from.address ?? null) : null;
  const to = (parsed.to ?? []).flatMap((a) =>
    "address" in a && a.address ? [a.address] : "group" in a ? (a.group ?? []).map((g) => g.address) : [],
  );
  return {
    envelope: {
      messageId: parsed.messageId?.trim() || null,
      from: fromAddr,
      to,
      subject: parsed.subject ?? "",
      date: isoOrNull(parsed.date),
    },
    headers: parsed.headers,
    headerAuth: authFromHeaders(parsed.headers),
  };
}

/** Addresses (`Name <a@b>`, groups, lists) to bare addresses, the way parseMime reads To/From. */
export function addresses(value: string): string[] {
  return addressParser(value).flatMap((a) =>
    "address" in a && a.address ? [a.address] : "group" in a ? (a.group ?? []).map((g) => g.address) : [],
  );
}

function toBytes(c: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof c === "string") return new TextEncoder().encode(c);
  return c instanceof Uint8Array ? c : new Uint8Array(c);
}

export function isoOrNull(date: string | undefined): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Reads `Authentication-Results` (RFC 8601) for spf=, dkim=, dmarc= results. */
function authFromHeaders(headers: { key: string; value: string }[]): Omit<EmailAuthVerdicts, "spamScore"> {
  const out: Omit<EmailAuthVerdicts, "spamScore"> = { spf: null, dkim: null, dmarc: null };
  for (const h of headers) {
    if (h.key !== "authentication-results") continue;
    for (const method of ["spf", "dkim", "dmarc"] as const) {
      const m = new RegExp(`\\b${method}=(\\w+)`, "i").exec(h.value);
      if (m && !out[method]) out[method] = m[1]!.toLowerCase();
    }
  }
  return out;
}

/** The sender's domain (lower case) from an address, or null. */
export function senderDomain(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf("@");
  return at >= 0
    ? address
        .slice(at + 1)
        .toLowerCase()
        .replace(/>$/, "")
    : null;
}
