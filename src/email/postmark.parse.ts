import { z } from "zod";
import { inlineForwarded } from "../mail/forwarded.ts";
import { isoOrNull, parseMime } from "../mail/mime.ts";
import type { EmailAuthVerdicts, NormalizedEmail } from "../mail/normalized-email.ts";
import type { Checked } from "./email.outcome.ts";
import { invalid, ok } from "./email.outcome.ts";
import { utf8 } from "./form.parse.ts";
import { known, score, verdict } from "./verdicts.ts";

const Address = z.object({ Email: z.string(), Name: z.string().nullish() });

/** Postmark's inbound webhook JSON (the fields we read; others are ignored as Postmark adds them). */
export const PostmarkInbound = z.object({
  MessageID: z.string().nullish(),
  From: z.string().nullish(),
  FromFull: Address.nullish(),
  ToFull: z.array(Address).nullish(),
  To: z.string().nullish(),
  Subject: z.string().nullish(),
  Date: z.string().nullish(),
  TextBody: z.string().nullish(),
  HtmlBody: z.string().nullish(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).nullish(),
  Attachments: z
    .array(
      // Postmark's own docs and most posts say `Content`; its "check" button and some real posts
      // say `Data`. Either may be absent or damaged: that attachment is then unreadable, not the email.
      z.looseObject({
        Name: z.string().nullish(),
        Content: z.string().nullish(),
        Data: z.string().nullish(),
        ContentType: z.string().nullish(),
        ContentLength: z.number().nullish(),
      }),
    )
    .max(100, "at most 100 attachments are accepted")
    .nullish(),
  /** Present when "Include raw email content in JSON payload" is on for the inbound stream. */
  RawEmail: z.string().nullish(),
});
export type PostmarkInbound = z.infer<typeof PostmarkInbound>;

export interface PostmarkMessage {
  email: NormalizedEmail;
  /** Postmark's own id for the inbound message, stable across its webhook retries. */
  postmarkId: string | null;
}

/**
 * Postmark inbound JSON to a NormalizedEmail: from `RawEmail` when Postmark includes it (the exact
 * MIME), else from FromFull/ToFull/Subject/Date/TextBody/HtmlBody/Attachments, with the Message-ID
 * from `Headers`. Verdicts: `Received-SPF`, `X-Spam-Score`, and Authentication-Results if present.
 */
export async function parsePostmark(raw: Buffer): Promise<Checked<PostmarkMessage>> {
  const text = utf8(raw);
  if (text === null)
    return invalid("charset_mismatch", [{ path: "(body)", message: "JSON body is not valid UTF-8" }]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid("validation_failed", [{ path: "(body)", message: "body is not valid JSON" }]);
  }
  const r = PostmarkInbound.safeParse(json);
  if (!r.success)
    return invalid(
      "validation_failed",
      r.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
    );
  const p = r.data;
  const header = (name: string) =>
    p.Headers?.find((h) => h.Name.toLowerCase() === name.toLowerCase())?.Value ?? null;
  const verdicts = known({
    spf: verdict(header("Received-SPF")),
    dkim: verdict(/\bdkim=(\w+)/i.exec(header("Authentication-Results") ?? "")?.[1]),
    dmarc: verdict(/\bdmarc=(\w+)/i.exec(header("Authentication-Results") ?? "")?.[1]),
    spamScore: score(header("X-Spam-Score")),
  });
  const postmarkId = p.MessageID?.trim() || null;
  if (p.RawEmail) return ok({ postmarkId, email: await parseMime(p.RawEmail, "postmark", verdicts) });

  const auth: EmailAuthVerdicts = {
    spf: verdicts.spf ?? null,
    dkim: verdicts.dkim ?? null,
    dmarc: verdicts.dmarc ?? null,
    spamScore: verdicts.spamScore ?? null,
  };
  return ok({
    postmarkId,
    email: await inlineForwarded({
      provider: "postmark",
      messageId: header("Message-ID")?.trim() || null,
      from: p.FromFull?.Email || p.From || null,
      to: (p.ToFull ?? []).map((a) => a.Email),
      subject: p.Subject ?? "",
      date: isoOrNull(p.Date ?? undefined),
      // Postmark sends "" for a body the message lacks.
      text: p.TextBody || null,
      html: p.HtmlBody || null,
      attachments: (p.Attachments ?? []).map((a) => ({
        filename: a.Name ?? null,
        contentType: a.ContentType || "application/octet-stream",
        ...decodeBase64(a.Content ?? a.Data),
      })),
      auth,
    }),
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (whitespace and line breaks allowed): Buffer.from would silently skip bad characters. */
function decodeBase64(value: string | null | undefined): { content: Uint8Array; unreadable?: string } {
  if (value === null || value === undefined)
    return { content: new Uint8Array(0), unreadable: "attachment has neither Content nor Data" };
  const compact = value.replace(/\s+/g, "");
  if (!BASE64.test(compact) || compact.length % 4 === 1)
    return { content: new Uint8Array(0), unreadable: "attachment content is not valid base64" };
  return { content: new Uint8Array(Buffer.from(compact, "base64")) };
}
