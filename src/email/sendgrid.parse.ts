import { TextDecoder } from "node:util";
import { inlineForwarded } from "../mail/forwarded.ts";
import { addresses, parseHeaderBlock, parseMime } from "../mail/mime.ts";
import type { EmailAttachment, EmailAuthVerdicts, NormalizedEmail } from "../mail/normalized-email.ts";
import { EMAIL_LIMITS } from "./email.limits.ts";
import type { Checked, Issue } from "./email.outcome.ts";
import { invalid, ok } from "./email.outcome.ts";
import { type ParsedForm, parseForm } from "./form.parse.ts";
import { known, score, verdict } from "./verdicts.ts";

/**
 * SendGrid Inbound Parse (multipart/form-data) to a NormalizedEmail.
 * Raw mode ("POST the raw, full MIME message"): the MIME is the `email` field (or a file of that name).
 * Parsed mode: `headers` (the raw header block), `text`/`html` in the charsets named by `charsets`,
 * `attachments` (count), `attachment-info` (JSON per `attachmentN`: filename, type) and files `attachmentN`.
 * Verdicts come from `SPF`, `dkim` ("{@domain : pass}") and `spam_score`.
 */
export async function parseSendgrid(raw: Buffer, contentType: string): Promise<Checked<NormalizedEmail>> {
  const form = await parseForm(raw, contentType, EMAIL_LIMITS.sendgrid);
  if (form.kind !== "ok") return form;
  const f = form.value;
  const field = (name: string) => f.fields.get(name)?.toString("utf8") ?? null;
  const verdicts: Partial<EmailAuthVerdicts> = known({
    spf: verdict(field("SPF")),
    dkim: verdict(/:\s*(\w+)/.exec(field("dkim") ?? "")?.[1]),
    spamScore: score(field("spam_score")),
  });

  // Raw mode: SendGrid posts the MIME as a field; a person replaying a saved message posts it as a
  // file (`curl -F email=@message.eml`). Both are the same message.
  const mime = f.fields.get("email") ?? f.files.find((x) => x.field === "email")?.content;
  if (mime) return ok(await parseMime(mime, "sendgrid", verdicts));

  const headerBlock = f.fields.get("headers");
  if (!headerBlock)
    return invalid("validation_failed", [
      { path: "headers", message: "required in parsed mode (or send the raw MIME in `email`)" },
    ]);
  const charsets = readCharsets(field("charsets"));
  if (charsets.kind !== "ok") return charsets;
  const issues: Issue[] = [];
  const text = decodeField(f, "text", charsets.value, issues);
  const html = decodeField(f, "html", charsets.value, issues);
  const attachments = readAttachments(f, issues);
  if (issues.length > 0)
    return invalid(issues[0]!.path.startsWith("charsets") ? "charset_mismatch" : "validation_failed", issues);

  const head = await parseHeaderBlock(headerBlock);
  const env = head.envelope;
  return ok(
    await inlineForwarded({
      provider: "sendgrid",
      ...env,
      from: env.from ?? addresses(field("from") ?? "")[0] ?? null,
      to: env.to.length > 0 ? env.to : addresses(field("to") ?? ""),
      text: text || null,
      html: html || null,
      attachments: attachments ?? [],
      auth: {
        spf: verdicts.spf ?? head.headerAuth.spf,
        dkim: verdicts.dkim ?? head.headerAuth.dkim,
        dmarc: head.headerAuth.dmarc,
        spamScore: verdicts.spamScore ?? null,
      },
    }),
  );
}

function readCharsets(json: string | null): Checked<Record<string, string>> {
  if (json === null) return ok({});
  try {
    const v: unknown = JSON.parse(json);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const out: Record<string, string> = {};
      for (const [k, c] of Object.entries(v)) if (typeof c === "string") out[k] = c;
      return ok(out);
    }
  } catch {
    // reported below
  }
  return invalid("validation_failed", [
    { path: "charsets", message: "must be a JSON object of field → charset" },
  ]);
}

/**
 * Decodes a text field with its declared charset, fatally: bytes that are not valid in that charset
 * mean the declaration is false (a "charset lie"), and guessing would store a different text than sent.
 */
function decodeField(
  f: ParsedForm,
  name: string,
  charsets: Record<string, string>,
  issues: Issue[],
): string | null {
  const bytes = f.fields.get(name);
  if (!bytes) return null;
  const charset = charsets[name] ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    issues.push({ path: `charsets.${name}`, message: `unknown charset ${JSON.stringify(charset)}` });
    return null;
  }
  try {
    return decoder.decode(bytes);
  } catch {
    issues.push({
      path: `charsets.${name}`,
      message: `field ${name} is declared ${charset} but its bytes are not valid ${charset}`,
    });
    return null;
  }
}

function readAttachments(f: ParsedForm, issues: Issue[]): EmailAttachment[] | null {
  const countField = f.fields.get("attachments")?.toString("utf8");
  const count = countField === undefined ? 0 : Number(countField);
  if (!Number.isInteger(count) || count < 0) {
    issues.push({ path: "attachments", message: "must be a whole number" });
    return null;
  }
  let info: Record<string, { filename?: unknown; name?: unknown; type?: unknown }> = {};
  const infoField = f.fields.get("attachment-info")?.toString("utf8");
  if (infoField) {
    try {
      info = JSON.parse(infoField) as typeof info;
    } catch {
      issues.push({ path: "attachment-info", message: "is not valid JSON" });
      return null;
    }
  }
  const out: EmailAttachment[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `attachment${i}`;
    const file = f.files.find((x) => x.field === name);
    // A part without a filename is a plain field to busboy; its bytes are kept as latin1.
    const bytes = file?.content ?? f.fields.get(name);
    if (!bytes) {
      issues.push({
        path: name,
        message: `announced by attachments=${count} but missing (truncated upload?)`,
      });
      continue;
    }
    const meta = info[name] ?? {};
    const filename = typeof meta.filename === "string" ? meta.filename : (file?.filename ?? null);
    const type = typeof meta.type === "string" && meta.type ? meta.type : file?.contentType;
    out.push({ filename, contentType: type || "application/octet-stream", content: new Uint8Array(bytes) });
  }
  const extra = f.files.filter((x) => !/^attachment\d+$/.test(x.field) || Number(x.field.slice(10)) > count);
  if (extra.length > 0)
    issues.push({ path: extra[0]!.field, message: `file not announced by attachments=${count}` });
  return out;
}
