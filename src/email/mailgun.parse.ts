import { inlineForwarded } from "../mail/forwarded.ts";
import { addresses, parseHeaderBlock, parseMime } from "../mail/mime.ts";
import type { EmailAttachment, EmailAuthVerdicts, NormalizedEmail } from "../mail/normalized-email.ts";
import { EMAIL_LIMITS } from "./email.limits.ts";
import type { Checked, Issue } from "./email.outcome.ts";
import { invalid, ok } from "./email.outcome.ts";
import { type ParsedForm, parseForm, utf8 } from "./form.parse.ts";
import type { MailgunSignature } from "./mailgun.verify.ts";
import { known, score, verdict } from "./verdicts.ts";

export interface MailgunMessage {
  email: NormalizedEmail;
  signature: Partial<MailgunSignature>;
}

/**
 * A Mailgun Routes `forward()` POST (urlencoded, or multipart when there are attachments) to a
 * NormalizedEmail. Raw variant: the MIME in `body-mime`. Parsed variant: `message-headers` (a JSON
 * array of [name, value]), `body-plain`, `body-html`, `attachment-count` and files `attachment-1..N`.
 * Mailgun sends every field as UTF-8; bytes that are not UTF-8 are refused, not guessed.
 * Verdicts: the `X-Mailgun-Spf`, `X-Mailgun-Dkim-Check-Result` and `X-Mailgun-Sscore` headers it adds.
 */
export async function parseMailgun(raw: Buffer, contentType: string): Promise<Checked<MailgunMessage>> {
  const form = await parseForm(raw, contentType, EMAIL_LIMITS.mailgun);
  if (form.kind !== "ok") return form;
  const f = form.value;
  const issues: Issue[] = [];
  const text = (name: string): string | null => {
    const b = f.fields.get(name);
    if (!b) return null;
    const s = utf8(b);
    if (s === null) issues.push({ path: name, message: "is not valid UTF-8 (Mailgun sends UTF-8)" });
    return s;
  };
  const signature: Partial<MailgunSignature> = {};
  for (const k of ["timestamp", "token", "signature"] as const) {
    const v = text(k);
    if (v !== null) signature[k] = v;
  }

  const mime = f.fields.get("body-mime");
  if (mime) {
    const headerEnd = mime.indexOf("\r\n\r\n");
    const head = await parseHeaderBlock(headerEnd >= 0 ? mime.subarray(0, headerEnd) : mime);
    const email = await parseMime(mime, "mailgun", mailgunVerdicts(head.headers));
    return issues.length > 0 ? invalid("charset_mismatch", issues) : ok({ email, signature });
  }

  const headersJson = text("message-headers");
  const body = {
    plain: text("body-plain"),
    html: text("body-html"),
    from: text("from"),
    to: text("recipient"),
  };
  if (issues.length > 0) return invalid("charset_mismatch", issues);
  if (headersJson === null)
    return invalid("validation_failed", [
      { path: "message-headers", message: "required (or send the raw MIME in body-mime)" },
    ]);
  const pairs = readHeaderPairs(headersJson);
  if (!pairs)
    return invalid("validation_failed", [
      { path: "message-headers", message: "must be a JSON array of [name, value] pairs" },
    ]);
  const attachments = readAttachments(f, issues);
  if (issues.length > 0) return invalid("validation_failed", issues);

  const block = pairs.map(([k, v]) => `${k}: ${v.replace(/\r?\n(?![ \t])/g, "\r\n ")}`).join("\r\n");
  const head = await parseHeaderBlock(block);
  const v = mailgunVerdicts(head.headers);
  return ok({
    signature,
    email: await inlineForwarded({
      provider: "mailgun",
      ...head.envelope,
      from: head.envelope.from ?? addresses(body.from ?? "")[0] ?? null,
      to: head.envelope.to.length > 0 ? head.envelope.to : addresses(body.to ?? ""),
      text: body.plain || null,
      html: body.html || null,
      attachments,
      auth: {
        spf: v.spf ?? head.headerAuth.spf,
        dkim: v.dkim ?? head.headerAuth.dkim,
        dmarc: head.headerAuth.dmarc,
        spamScore: v.spamScore ?? null,
      },
    }),
  });
}

function readHeaderPairs(json: string): [string, string][] | null {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(v)) return null;
  const out: [string, string][] = [];
  for (const p of v) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string" || typeof p[1] !== "string")
      return null;
    if (!/^[!-9;-~]+$/.test(p[0])) return null;
    out.push([p[0], p[1]]);
  }
  return out;
}

function readAttachments(f: ParsedForm, issues: Issue[]): EmailAttachment[] {
  const raw = f.fields.get("attachment-count")?.toString("utf8");
  const count = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(count) || count < 0) {
    issues.push({ path: "attachment-count", message: "must be a whole number" });
    return [];
  }
  const out: EmailAttachment[] = [];
  for (let i = 1; i <= count; i++) {
    const file = f.files.find((x) => x.field === `attachment-${i}`);
    if (!file) {
      issues.push({
        path: `attachment-${i}`,
        message: `announced by attachment-count=${count} but missing (truncated upload?)`,
      });
      continue;
    }
    out.push({
      filename: file.filename,
      contentType: file.contentType,
      content: new Uint8Array(file.content),
    });
  }
  return out;
}

function mailgunVerdicts(headers: { key: string; value: string }[]): Partial<EmailAuthVerdicts> {
  const h = (k: string) => headers.find((x) => x.key === k)?.value ?? null;
  return known({
    spf: verdict(h("x-mailgun-spf")),
    dkim: verdict(h("x-mailgun-dkim-check-result")),
    spamScore: score(h("x-mailgun-sscore")),
  });
}
