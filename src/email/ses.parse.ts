import { z } from "zod";
import { addresses, isoOrNull, parseMime } from "../mail/mime.ts";
import type { NormalizedEmail } from "../mail/normalized-email.ts";
import type { Checked } from "./email.outcome.ts";
import { invalid, ok } from "./email.outcome.ts";
import { parseSnsEnvelope, type SnsEnvelope } from "./sns.envelope.ts";
import { known, verdict } from "./verdicts.ts";

const Verdict = z.object({ status: z.string() }).nullish();

/** An SES receipt-rule notification (`notificationType: "Received"`), the fields we read. */
export const SesReceived = z.object({
  notificationType: z.literal("Received", "only SES `Received` notifications carry inbound mail"),
  mail: z.object({
    messageId: z.string(),
    source: z.string().nullish(),
    destination: z.array(z.string()).nullish(),
    commonHeaders: z
      .object({
        from: z.array(z.string()).nullish(),
        to: z.array(z.string()).nullish(),
        subject: z.string().nullish(),
        date: z.string().nullish(),
        messageId: z.string().nullish(),
      })
      .nullish(),
  }),
  receipt: z.object({
    spfVerdict: Verdict,
    dkimVerdict: Verdict,
    dmarcVerdict: Verdict,
    spamVerdict: Verdict,
    action: z.object({
      type: z.string(),
      encoding: z.enum(["UTF8", "BASE64"]).nullish(),
      bucketName: z.string().nullish(),
      objectKey: z.string().nullish(),
    }),
  }),
  content: z.string().nullish(),
});

/**
 * The SES notification inside an SNS Notification to a NormalizedEmail.
 * SNS action: `content` is the raw MIME, as UTF-8 text or Base64 per `receipt.action.encoding`.
 * S3 action: no content; the message lives in S3. The email is built from `mail.commonHeaders` with no
 * body, flagged `body_in_s3` and carrying `bodyLocation`, so the pipeline can tell "empty" from "elsewhere".
 */
export async function parseSesMessage(message: string): Promise<Checked<NormalizedEmail>> {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return invalid("validation_failed", [
      { path: "Message", message: "is not the JSON of an SES notification" },
    ]);
  }
  const r = SesReceived.safeParse(json);
  if (!r.success)
    return invalid(
      "validation_failed",
      r.error.issues.map((i) => ({ path: ["Message", ...i.path].join("."), message: i.message })),
    );
  const n = r.data;
  const verdicts = known({
    spf: verdict(n.receipt.spfVerdict?.status),
    dkim: verdict(n.receipt.dkimVerdict?.status),
    dmarc: verdict(n.receipt.dmarcVerdict?.status),
  });
  if (n.content) {
    const encoding = n.receipt.action.encoding ?? "UTF8";
    if (encoding === "BASE64" && !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(n.content))
      return invalid("validation_failed", [
        { path: "Message.content", message: "encoding is BASE64 but content is not" },
      ]);
    const mime = encoding === "BASE64" ? Buffer.from(n.content, "base64") : Buffer.from(n.content, "utf8");
    return ok(await parseMime(mime, "ses", verdicts));
  }
  const a = n.receipt.action;
  if (a.type !== "S3" || !a.bucketName || !a.objectKey)
    return invalid("validation_failed", [
      {
        path: "Message.content",
        message: "missing (only an S3-action notification may omit it, with bucketName and objectKey)",
      },
    ]);
  const h = n.mail.commonHeaders ?? {};
  return ok({
    provider: "ses",
    messageId: h.messageId?.trim() || null,
    from: addresses((h.from ?? []).join(", "))[0] ?? n.mail.source ?? null,
    to: addresses((h.to ?? []).join(", ")),
    subject: h.subject ?? "",
    date: isoOrNull(h.date ?? undefined),
    text: null,
    html: null,
    attachments: [],
    auth: {
      spf: verdicts.spf ?? null,
      dkim: verdicts.dkim ?? null,
      dmarc: verdicts.dmarc ?? null,
      spamScore: null,
    },
    flags: ["body_in_s3"],
    bodyLocation: { kind: "s3", bucket: a.bucketName, key: a.objectKey },
  });
}

/** The stored SNS body (envelope JSON) to the email it carries, without verifying it again. */
export async function parseSesStored(
  raw: Buffer,
): Promise<Checked<{ envelope: SnsEnvelope; email: NormalizedEmail }>> {
  const env = parseSnsEnvelope(raw);
  if (env.kind !== "ok") return env;
  if (env.value.Type !== "Notification")
    return invalid("validation_failed", [{ path: "Type", message: `${env.value.Type} carries no email` }]);
  const email = await parseSesMessage(env.value.Message);
  return email.kind === "ok" ? ok({ envelope: env.value, email: email.value }) : email;
}
