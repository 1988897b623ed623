import { createHmac, type KeyObject, randomBytes, randomUUID, sign } from "node:crypto";
import {
  addr,
  addrList,
  bytes,
  type FormPart,
  headerBlock,
  headerPairs,
  multipart,
  nowSeconds,
  type ProviderRequest,
  pairValue,
  parse,
  urlencoded,
} from "./email-wire.ts";
import { type SnsMessage, type SnsSigner, snsRequest, snsSign } from "./sns-fake.ts";

export * from "./email-wire.ts";
export * from "./sns-fake.ts";

/**
 * Builds each inbound-parse provider's native HTTP request from a raw .eml, the way that provider
 * would post it (field names from its documentation), signed when a key is given. Parsed modes use
 * postal-mime to play the provider's own MIME parser. This file is independent of src/email so that
 * the routes are checked against a second reading of each format, not against themselves.
 */

// ---------- SendGrid Inbound Parse ----------

export interface SendgridOptions {
  mode: "parsed" | "raw";
  /** ECDSA P-256 private key: adds X-Twilio-Email-Event-Webhook-Signature/-Timestamp. */
  signingKey?: KeyObject;
  timestamp?: number;
  basicAuth?: string;
  urlKey?: string;
}

export async function sendgridRequest(eml: Buffer, o: SendgridOptions): Promise<ProviderRequest> {
  const m = await parse(eml);
  const from = addr(m.from);
  const common: FormPart[] = [
    { name: "from", value: pairValue(eml, "From") },
    { name: "to", value: pairValue(eml, "To") },
    { name: "subject", value: m.subject ?? "" },
    { name: "sender_ip", value: "192.0.2.10" },
    { name: "envelope", value: JSON.stringify({ to: addrList(m.to).map((a) => a.address), from }) },
    { name: "SPF", value: "pass" },
    { name: "dkim", value: `{@${from.split("@")[1] ?? "example.com"} : pass}` },
    { name: "spam_score", value: "0.1" },
    { name: "spam_report", value: "Spam detection software has NOT identified this incoming email as spam." },
  ];
  let parts: FormPart[];
  if (o.mode === "raw") {
    parts = [...common, { name: "email", value: eml }];
  } else {
    const info: Record<string, { filename: string; name: string; type: string }> = {};
    const files: FormPart[] = m.attachments.map((a, i) => {
      info[`attachment${i + 1}`] = { filename: a.filename ?? "", name: a.filename ?? "", type: a.mimeType };
      return {
        name: `attachment${i + 1}`,
        filename: a.filename ?? null,
        contentType: a.mimeType,
        content: bytes(a.content),
      };
    });
    parts = [
      { name: "headers", value: headerBlock(eml) },
      ...common,
      ...(m.text ? [{ name: "text", value: m.text }] : []),
      ...(m.html ? [{ name: "html", value: m.html }] : []),
      {
        name: "charsets",
        value: JSON.stringify({ to: "UTF-8", from: "UTF-8", subject: "UTF-8", text: "utf-8", html: "utf-8" }),
      },
      { name: "attachments", value: String(m.attachments.length) },
      ...(m.attachments.length > 0 ? [{ name: "attachment-info", value: JSON.stringify(info) }] : []),
      ...files,
    ];
  }
  const { body, contentType } = multipart(parts);
  const headers: Record<string, string> = { "content-type": contentType };
  if (o.signingKey)
    Object.assign(headers, sendgridSignature(body, o.signingKey, o.timestamp ?? nowSeconds()));
  if (o.basicAuth) headers.authorization = `Basic ${Buffer.from(o.basicAuth).toString("base64")}`;
  return { body, headers, ...(o.urlKey ? { query: `key=${encodeURIComponent(o.urlKey)}` } : {}) };
}

/** SendGrid's signed-webhook headers: base64 DER ECDSA/SHA-256 over `timestamp + body`. */
export function sendgridSignature(body: Buffer, key: KeyObject, timestamp: number): Record<string, string> {
  const ts = String(timestamp);
  return {
    "x-twilio-email-event-webhook-timestamp": ts,
    "x-twilio-email-event-webhook-signature": sign(
      "sha256",
      Buffer.concat([Buffer.from(ts), body]),
      key,
    ).toString("base64"),
  };
}

// ---------- Mailgun Routes forward() ----------

export interface MailgunOptions {
  mode: "parsed" | "raw";
  encoding: "multipart" | "urlencoded";
  signingKey?: string;
  timestamp?: number;
  token?: string;
}

export async function mailgunRequest(eml: Buffer, o: MailgunOptions): Promise<ProviderRequest> {
  const m = await parse(eml);
  const ts = String(o.timestamp ?? nowSeconds());
  const token = o.token ?? randomBytes(25).toString("hex");
  const signature = createHmac("sha256", o.signingKey ?? "unsigned")
    .update(ts + token)
    .digest("hex");
  const fields: [string, string][] = [
    [
      "recipient",
      addrList(m.to)
        .map((a) => a.address)
        .join(", "),
    ],
    ["sender", addr(m.from)],
    ["from", pairValue(eml, "From")],
    ["subject", m.subject ?? ""],
    ["timestamp", ts],
    ["token", token],
    ["signature", signature],
  ];
  if (o.mode === "raw") {
    fields.push(["body-mime", eml.toString("latin1")]);
  } else {
    const pairs = [
      ...headerPairs(eml),
      ["X-Mailgun-Spf", "Pass"],
      ["X-Mailgun-Dkim-Check-Result", "Pass"],
      ["X-Mailgun-Sscore", "0.2"],
    ];
    fields.push(["message-headers", JSON.stringify(pairs)]);
    if (m.text) fields.push(["body-plain", m.text], ["stripped-text", m.text.split(/\n-- \n/)[0] ?? ""]);
    if (m.html) fields.push(["body-html", m.html], ["stripped-html", m.html]);
    fields.push(["attachment-count", String(m.attachments.length)]);
  }
  if (o.encoding === "urlencoded") {
    if (o.mode === "parsed" && m.attachments.length > 0)
      throw new Error("Mailgun posts attachments as multipart/form-data, not urlencoded");
    const { body, contentType } = urlencoded(fields);
    return { body, headers: { "content-type": contentType } };
  }
  const parts: FormPart[] = fields.map(([name, value]) => ({
    name,
    // body-mime bytes were read as latin1 above: write them back byte for byte.
    value: name === "body-mime" ? Buffer.from(value, "latin1") : value,
  }));
  if (o.mode === "parsed")
    m.attachments.forEach((a, i) => {
      parts.push({
        name: `attachment-${i + 1}`,
        filename: a.filename ?? null,
        contentType: a.mimeType,
        content: bytes(a.content),
      });
    });
  const { body, contentType } = multipart(parts);
  return { body, headers: { "content-type": contentType } };
}

// ---------- Postmark inbound ----------

export interface PostmarkOptions {
  rawEmail?: boolean;
  basicAuth?: string;
}

export async function postmarkRequest(eml: Buffer, o: PostmarkOptions = {}): Promise<ProviderRequest> {
  const m = await parse(eml);
  const top = new Set(["from", "to", "cc", "bcc", "subject", "date", "reply-to"]);
  const json = {
    FromName: m.from && "name" in m.from ? m.from.name : "",
    MessageStream: "inbound",
    From: addr(m.from),
    FromFull: { Email: addr(m.from), Name: m.from && "name" in m.from ? m.from.name : "", MailboxHash: "" },
    To: pairValue(eml, "To"),
    ToFull: addrList(m.to).map((a) => ({ Email: a.address, Name: a.name, MailboxHash: "" })),
    Cc: "",
    CcFull: [],
    Bcc: "",
    BccFull: [],
    OriginalRecipient: addrList(m.to)[0]?.address ?? "",
    Subject: m.subject ?? "",
    MessageID: randomUUID(),
    ReplyTo: "",
    MailboxHash: "",
    Date: pairValue(eml, "Date"),
    TextBody: m.text ?? "",
    HtmlBody: m.html ?? "",
    StrippedTextReply: "",
    Tag: "",
    Headers: [
      ...headerPairs(eml)
        .filter(([k]) => !top.has(k.toLowerCase()))
        .map(([Name, Value]) => ({ Name, Value })),
      { Name: "X-Spam-Score", Value: "0.3" },
      { Name: "Received-SPF", Value: "Pass (sender SPF authorized) identity=mailfrom" },
    ],
    Attachments: m.attachments.map((a) => ({
      Name: a.filename ?? "",
      Content: bytes(a.content).toString("base64"),
      ContentType: a.mimeType,
      ContentLength: bytes(a.content).length,
      ContentID: a.contentId ?? "",
    })),
    ...(o.rawEmail ? { RawEmail: eml.toString("utf8") } : {}),
  };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (o.basicAuth) headers.authorization = `Basic ${Buffer.from(o.basicAuth).toString("base64")}`;
  return { body: Buffer.from(JSON.stringify(json), "utf8"), headers };
}

// ---------- SES via SNS ----------

export interface SesOptions {
  topicArn: string;
  signer?: SnsSigner;
  signatureVersion?: "1" | "2";
  /** The receipt rule's SNS action encoding; "S3" builds an S3-action notification without content. */
  encoding?: "UTF8" | "BASE64" | "S3";
  messageId?: string;
  subject?: string;
  /** SNS's publishing time (ISO); now by default. */
  timestamp?: string;
}

export async function sesRequest(eml: Buffer, o: SesOptions): Promise<ProviderRequest> {
  const m = await parse(eml);
  const encoding = o.encoding ?? "BASE64";
  const receiptAction =
    encoding === "S3"
      ? {
          type: "S3",
          topicArn: o.topicArn,
          bucketName: "inbound-mail",
          objectKeyPrefix: "in/",
          objectKey: `in/${randomUUID()}`,
        }
      : { type: "SNS", topicArn: o.topicArn, encoding };
  const pairs = headerPairs(eml);
  const notification = {
    notificationType: "Received",
    mail: {
      timestamp: "2026-11-28T10:00:00.000Z",
      source: addr(m.from),
      messageId: randomBytes(20).toString("hex"),
      destination: addrList(m.to).map((a) => a.address),
      headersTruncated: false,
      headers: pairs.map(([name, value]) => ({ name, value })),
      commonHeaders: {
        returnPath: addr(m.from),
        from: [pairValue(eml, "From")],
        date: pairValue(eml, "Date"),
        to: [pairValue(eml, "To")],
        messageId: m.messageId,
        subject: m.subject ?? "",
      },
    },
    receipt: {
      timestamp: "2026-11-28T10:00:00.000Z",
      processingTimeMillis: 420,
      recipients: addrList(m.to).map((a) => a.address),
      spamVerdict: { status: "PASS" },
      virusVerdict: { status: "PASS" },
      spfVerdict: { status: "PASS" },
      dkimVerdict: { status: "GRAY" },
      dmarcVerdict: { status: "PASS" },
      action: receiptAction,
    },
    ...(encoding === "S3"
      ? {}
      : { content: encoding === "BASE64" ? eml.toString("base64") : eml.toString("utf8") }),
  };
  const msg: SnsMessage = {
    Type: "Notification",
    MessageId: o.messageId ?? randomUUID(),
    TopicArn: o.topicArn,
    Subject: o.subject ?? "Amazon SES Email Receipt Notification",
    Message: JSON.stringify(notification),
    // SNS stamps the time of publishing; the route refuses one older than SNS_MAX_AGE_SECONDS.
    Timestamp: o.timestamp ?? new Date().toISOString(),
    SignatureVersion: "2",
    Signature: "",
    SigningCertURL:
      o.signer?.certUrl ?? "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem",
    UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
  };
  if (o.signer) snsSign(msg, o.signer, o.signatureVersion ?? "2");
  return snsRequest(msg);
}
