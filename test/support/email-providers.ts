import { execFileSync } from "node:child_process";
import { createHmac, createPrivateKey, type KeyObject, randomBytes, randomUUID, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PostalMime, { type Email } from "postal-mime";

/**
 * Builds each inbound-parse provider's native HTTP request from a raw .eml, the way that provider
 * would post it (field names from its documentation), signed when a key is given. Parsed modes use
 * postal-mime to play the provider's own MIME parser. This file is independent of src/email so that
 * the routes are checked against a second reading of each format, not against themselves.
 */
export interface ProviderRequest {
  body: Buffer;
  headers: Record<string, string>;
  /** Query string to append to the route (SendGrid's URL key). */
  query?: string;
}

// ---------- multipart / urlencoded encoding ----------

export type FormPart =
  | { name: string; value: string | Buffer }
  | { name: string; filename: string | null; contentType: string; content: Uint8Array };

export function multipart(parts: FormPart[], boundary = `----eolgate${randomBytes(8).toString("hex")}`) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if ("content" in p) {
      // An empty filename still marks the part as a file, as providers do for unnamed attachments.
      head += `; filename="${(p.filename ?? "").replace(/"/g, "%22")}"\r\nContent-Type: ${p.contentType}`;
      chunks.push(Buffer.from(`${head}\r\n\r\n`, "utf8"), Buffer.from(p.content), Buffer.from("\r\n"));
    } else {
      chunks.push(Buffer.from(`${head}\r\n\r\n`, "utf8"), Buffer.from(p.value), Buffer.from("\r\n"));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function urlencoded(fields: [string, string][]): { body: Buffer; contentType: string } {
  return {
    body: Buffer.from(new URLSearchParams(fields).toString(), "utf8"),
    contentType: "application/x-www-form-urlencoded",
  };
}

// ---------- reading the .eml as a provider would ----------

/** Header lines of the message, unfolded, as [name, value] in order. */
export function headerPairs(eml: Buffer): [string, string][] {
  const text = eml.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n(?=[ \t])/g, "");
  return block
    .split(/\r?\n/)
    .filter((l) => l.includes(":"))
    .map((l) => {
      const i = l.indexOf(":");
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
    });
}

export function headerBlock(eml: Buffer): Buffer {
  const end = eml.indexOf("\r\n\r\n");
  return end >= 0 ? eml.subarray(0, end) : eml;
}

async function parse(eml: Buffer): Promise<Email> {
  return PostalMime.parse(eml, { attachmentEncoding: "arraybuffer" });
}

const addr = (a: Email["from"]) => (a && "address" in a ? (a.address ?? "") : "");
const addrList = (l: Email["to"]) =>
  (l ?? []).flatMap((a) => ("address" in a && a.address ? [a] : "group" in a ? (a.group ?? []) : []));
const bytes = (c: ArrayBuffer | Uint8Array | string) =>
  typeof c === "string"
    ? Buffer.from(c, "utf8")
    : Buffer.from(c instanceof Uint8Array ? c : new Uint8Array(c));

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

function pairValue(eml: Buffer, name: string): string {
  return headerPairs(eml).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? "";
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

/** A self-signed RSA certificate made with the openssl CLI, standing in for SNS's signing certificate. */
export interface SnsSigner {
  privateKey: KeyObject;
  certPem: string;
  certUrl: string;
}

export function makeSnsSigner(
  certUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
  days = 2,
): SnsSigner {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-sns-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "k.pem"),
        "-out",
        join(dir, "c.pem"),
        "-days",
        String(days),
        "-subj",
        "/CN=sns.amazonaws.com",
      ],
      { stdio: "ignore" },
    );
    return {
      privateKey: createPrivateKey(readFileSync(join(dir, "k.pem"))),
      certPem: readFileSync(join(dir, "c.pem"), "utf8"),
      certUrl,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type SnsMessage = Record<string, string | undefined> & { Type: string };

/** Signs an SNS message in place the way SNS does (SignatureVersion 1: SHA1, 2: SHA256). */
export function snsSign(msg: SnsMessage, signer: SnsSigner, version: "1" | "2" = "2"): SnsMessage {
  const keys =
    msg.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const toSign = keys
    .filter((k) => msg[k] !== undefined)
    .map((k) => `${k}\n${msg[k]}\n`)
    .join("");
  msg.SignatureVersion = version;
  msg.SigningCertURL = signer.certUrl;
  msg.Signature = sign(
    version === "1" ? "sha1" : "sha256",
    Buffer.from(toSign, "utf8"),
    signer.privateKey,
  ).toString("base64");
  return msg;
}

export interface SesOptions {
  topicArn: string;
  signer?: SnsSigner;
  signatureVersion?: "1" | "2";
  /** The receipt rule's SNS action encoding; "S3" builds an S3-action notification without content. */
  encoding?: "UTF8" | "BASE64" | "S3";
  messageId?: string;
  subject?: string;
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
    Timestamp: "2026-11-28T10:00:00.512Z",
    SignatureVersion: "2",
    Signature: "",
    SigningCertURL:
      o.signer?.certUrl ?? "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem",
    UnsubscribeURL: "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
  };
  if (o.signer) snsSign(msg, o.signer, o.signatureVersion ?? "2");
  return snsRequest(msg);
}

export function snsRequest(msg: SnsMessage): ProviderRequest {
  return {
    body: Buffer.from(JSON.stringify(msg), "utf8"),
    headers: {
      "content-type": "text/plain; charset=UTF-8",
      "x-amz-sns-message-type": msg.Type,
      "x-amz-sns-message-id": msg.MessageId ?? "",
      "x-amz-sns-topic-arn": msg.TopicArn ?? "",
      "user-agent": "Amazon Simple Notification Service Agent",
    },
  };
}

export function subscriptionConfirmation(
  topicArn: string,
  signer: SnsSigner,
  subscribeUrl?: string,
): SnsMessage {
  const token = randomBytes(32).toString("hex");
  return snsSign(
    {
      Type: "SubscriptionConfirmation",
      MessageId: randomUUID(),
      Token: token,
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL:
        subscribeUrl ??
        `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
      Timestamp: "2026-11-28T10:00:00.000Z",
    },
    signer,
  );
}

/**
 * A stand-in for AWS's HTTPS endpoints: serves the signing certificates it holds and answers
 * ConfirmSubscription like SNS (XML, 200 / 404 / 403 for a bad token / 503 throttling on demand).
 */
export function fakeAws(certs: SnsSigner[]) {
  const gets: URL[] = [];
  const confirmed: string[] = [];
  const state = { down: false, throttle: false };
  const get = async (url: URL): Promise<{ status: number; body: Buffer }> => {
    gets.push(url);
    if (state.down) throw new Error("connect ECONNREFUSED (fake AWS is down)");
    const cert = certs.find((c) => c.certUrl === url.href);
    if (cert) return { status: 200, body: Buffer.from(cert.certPem) };
    if (url.searchParams.get("Action") === "ConfirmSubscription") {
      if (state.throttle)
        return { status: 503, body: Buffer.from(awsError("Throttling", "Rate exceeded", "Receiver")) };
      const token = url.searchParams.get("Token") ?? "";
      if (!/^[0-9a-f]{64}$/.test(token))
        return { status: 400, body: Buffer.from(awsError("InvalidParameter", "Invalid token", "Sender")) };
      confirmed.push(url.searchParams.get("TopicArn") ?? "");
      return {
        status: 200,
        body: Buffer.from(
          `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${url.searchParams.get("TopicArn")}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>`,
        ),
      };
    }
    return { status: 404, body: Buffer.from(awsError("NotFound", "Not Found", "Sender")) };
  };
  return { get, gets, confirmed, state };
}

function awsError(code: string, message: string, type: string): string {
  return `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A message the corpus lacks: ISO-2022-JP text and RFC 2047 subject, a quoted-printable UTF-8 HTML
 * part inside nested multiparts, and a notice forwarded as a `message/rfc822` attachment that itself
 * carries a CSV attachment.
 */
export function forwardedIso2022jpEml(): Buffer {
  const jis = (s: string) => Buffer.from(s, "latin1");
  return Buffer.concat([
    Buffer.from(
      [
        "From: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?= PCN <pcn@renesas.example>",
        "To: Components <components@maker.example>",
        "Subject: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?= FW: PDN forwarded",
        "Date: Tue, 03 Nov 2026 09:15:00 +0900",
        "Message-ID: <fwd-iso2022jp-1@renesas.example>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="outer"',
        "",
        "--outer",
        'Content-Type: multipart/alternative; boundary="alt"',
        "",
        "--alt",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
        "",
        "",
      ].join("\r\n"),
    ),
    jis("\x1b$BF|K\\\x1b(B: see the attached notice.\r\n"),
    Buffer.from(
      [
        "--alt",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "<p>Gr=C3=BC=C3=9Fe, see the attached notice.</p>",
        "--alt--",
        "--outer",
        "Content-Type: message/rfc822",
        'Content-Disposition: attachment; filename="PDN-2026-0419.eml"',
        "",
        "From: Renesas PCN <pcn@renesas.example>",
        "Subject: PDN-2026-0419 discontinuation of R5F10",
        "Date: Mon, 02 Nov 2026 10:00:00 +0900",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="inner"',
        "",
        "--inner",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "R5F100LEAFB last time buy 2027-05-31.",
        "--inner",
        "Content-Type: text/csv; name=parts.csv",
        'Content-Disposition: attachment; filename="parts.csv"',
        "Content-Transfer-Encoding: base64",
        "",
        Buffer.from("mpn,ltb\r\nR5F100LEAFB,2027-05-31\r\n").toString("base64"),
        "--inner--",
        "--outer--",
        "",
      ].join("\r\n"),
    ),
  ]);
}
