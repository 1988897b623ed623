import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmailTestApp,
  metricValue,
  recordingIngestor,
  startEmailApp,
} from "../../test/support/email-app.ts";
import {
  fakeAws,
  mailgunRequest,
  makeSnsSigner,
  multipart,
  type ProviderRequest,
  postmarkRequest,
  sendgridRequest,
  sendgridSignature,
  sesRequest,
  snsRequest,
  snsSign,
  subscriptionConfirmation,
} from "../../test/support/email-providers.ts";
import { openTestStore } from "../../test/support/stores.ts";
import type { SqlDriver } from "../store/driver.ts";
import { cachingCertificateSource } from "./sns.certificates.ts";
import { normalizeStoredEmail } from "./stored.ts";

const corpus = (f: string) => readFileSync(new URL(`../../../shared/corpus/emails/${f}`, import.meta.url));
const PLAIN = corpus("002-microchip-pdn-pic16f877a.eml");
const WITH_CSV = corpus("008-onsemi-pdn-sot23-csv-attachment.eml");

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:eolgate-inbound";
const MAILGUN_KEY = "key-mailgun-test-0123456789";
const SG_AUTH = "parse:sendgrid-pass";
const SG_URL_KEY = "url-key-0123456789";
const PM_AUTH = "postmark:inbound-pass";
const sg = generateKeyPairSync("ec", { namedCurve: "P-256" });
const sgOther = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signer = makeSnsSigner();
const impostor = makeSnsSigner(signer.certUrl);

let db: SqlDriver;
let app: EmailTestApp;
const rec = recordingIngestor();
const aws = fakeAws([signer]);

beforeAll(async () => {
  db = await openTestStore("pglite");
  app = await startEmailApp({
    db,
    ingestor: rec.ingestor,
    env: {
      SENDGRID_VERIFICATION_KEY: sg.publicKey.export({ format: "pem", type: "spki" }).toString(),
      SENDGRID_BASIC_AUTH: SG_AUTH,
      INBOUND_PARSE_SECRET_KEY: SG_URL_KEY,
      MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      SNS_TOPIC_ARNS: TOPIC,
      POSTMARK_BASIC_AUTH: PM_AUTH,
    },
    routeOptions: { httpsGet: aws.get, certificates: cachingCertificateSource(aws.get) },
  });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const ts = () => Math.floor(app.clock.now.getTime() / 1000);
const sgGood = (eml: Buffer, mode: "parsed" | "raw" = "parsed") =>
  sendgridRequest(eml, {
    mode,
    signingKey: sg.privateKey,
    timestamp: ts(),
    basicAuth: SG_AUTH,
    urlKey: SG_URL_KEY,
  });
const resign = (req: ProviderRequest) => {
  Object.assign(req.headers, sendgridSignature(req.body, sg.privateKey, ts()));
  return req;
};

/** Posts a request that must be refused: its status, a clear error, one metric each, nothing stored. */
async function expectRefused(
  provider: string,
  req: ProviderRequest,
  status: number,
  reason: string,
  error: string,
  detail?: RegExp,
) {
  const before = rec.stored.length;
  const m = { provider, reason };
  const rejectedBefore = await metricValue(app.metrics, "eolgate_email_rejected_total", m);
  const res = await app.post(provider, req);
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error).toBe(error);
  if (error === "validation_failed") expect((res.json.issues as unknown[]).length).toBeGreaterThan(0);
  else expect(String(res.json.message)).not.toBe("");
  if (detail) expect(JSON.stringify(res.json)).toMatch(detail);
  expect(await metricValue(app.metrics, "eolgate_email_rejected_total", m)).toBe(rejectedBefore + 1);
  expect(rec.stored.length, "nothing stored").toBe(before);
  return res;
}

describe("SendGrid refusals", () => {
  it("accepts the genuine article (control)", async () => {
    const res = await app.post("sendgrid", await sgGood(PLAIN));
    expect(res.status).toBe(202);
  });

  it("forged signature: 401", async () => {
    const req = await sendgridRequest(PLAIN, {
      mode: "raw",
      signingKey: sgOther.privateKey,
      timestamp: ts(),
      basicAuth: SG_AUTH,
      urlKey: SG_URL_KEY,
    });
    await expectRefused("sendgrid", req, 401, "bad_signature", "unauthorized", /signature does not match/);
  });

  it("body changed after signing: 401", async () => {
    const req = await sgGood(PLAIN, "raw");
    req.body = Buffer.from(req.body.toString("latin1").replace("PIC16F877A", "PIC16F877B"), "latin1");
    await expectRefused("sendgrid", req, 401, "bad_signature", "unauthorized");
  });

  it("missing signature headers: 401", async () => {
    const req = await sendgridRequest(PLAIN, { mode: "raw", basicAuth: SG_AUTH, urlKey: SG_URL_KEY });
    await expectRefused("sendgrid", req, 401, "missing_signature", "unauthorized");
  });

  it("stale timestamp: 401", async () => {
    const req = await sendgridRequest(PLAIN, {
      mode: "raw",
      signingKey: sg.privateKey,
      timestamp: ts() - 3600,
      basicAuth: SG_AUTH,
      urlKey: SG_URL_KEY,
    });
    await expectRefused("sendgrid", req, 401, "stale_timestamp", "unauthorized", /window/);
  });

  it("wrong URL key or basic auth: 401, and the secret is not echoed", async () => {
    const wrongKey = await sgGood(PLAIN);
    wrongKey.query = "key=nope";
    const res = await expectRefused("sendgrid", wrongKey, 401, "bad_url_key", "unauthorized");
    expect(JSON.stringify(res.json)).not.toContain(SG_URL_KEY);
    const wrongAuth = await sgGood(PLAIN);
    wrongAuth.headers.authorization = `Basic ${Buffer.from("parse:guess").toString("base64")}`;
    await expectRefused("sendgrid", wrongAuth, 401, "bad_basic_auth", "unauthorized");
  });

  it("truncated multipart (validly signed): 422", async () => {
    const req = await sgGood(WITH_CSV);
    req.body = req.body.subarray(0, Math.floor(req.body.length * 0.6));
    await expectRefused("sendgrid", resign(req), 422, "truncated_form", "validation_failed", /truncated/);
  });

  it("an attachment announced but missing: 422", async () => {
    const req = await sgGood(WITH_CSV);
    req.body = Buffer.from(
      req.body.toString("latin1").replace(/name="attachments"\r\n\r\n1/, 'name="attachments"\r\n\r\n2'),
      "latin1",
    );
    await expectRefused(
      "sendgrid",
      resign(req),
      422,
      "validation_failed",
      "validation_failed",
      /attachment2/,
    );
  });

  it("oversized field: 413", async () => {
    const { body, contentType } = multipart([
      { name: "headers", value: "From: a@b.example\r\nSubject: x" },
      { name: "subject", value: "x".repeat(1024 * 1024 + 1) },
      { name: "text", value: "hello" },
    ]);
    const req = resign({
      body,
      headers: {
        "content-type": contentType,
        authorization: `Basic ${Buffer.from(SG_AUTH).toString("base64")}`,
      },
      query: `key=${SG_URL_KEY}`,
    });
    await expectRefused("sendgrid", req, 413, "field_too_large", "payload_too_large", /subject/);
  });

  it("charset lie (declared UTF-8, bytes are Latin-1): 422", async () => {
    const { body, contentType } = multipart([
      { name: "headers", value: "From: a@b.example\r\nSubject: Preis\r\nMessage-ID: <lie@b.example>" },
      { name: "text", value: Buffer.from("Gr\xfc\xdfe, Stra\xdfe", "latin1") },
      { name: "charsets", value: JSON.stringify({ text: "UTF-8" }) },
    ]);
    const req = resign({
      body,
      headers: {
        "content-type": contentType,
        authorization: `Basic ${Buffer.from(SG_AUTH).toString("base64")}`,
      },
      query: `key=${SG_URL_KEY}`,
    });
    await expectRefused(
      "sendgrid",
      req,
      422,
      "charset_mismatch",
      "validation_failed",
      /charsets\.text.*not valid UTF-8/,
    );
  });

  it("decodes text in its declared charset (ISO-8859-1, Shift_JIS)", async () => {
    const { body, contentType } = multipart([
      { name: "headers", value: "From: a@b.example\r\nSubject: Preis\r\nMessage-ID: <charset@b.example>" },
      { name: "text", value: Buffer.from("Gr\xfc\xdfe", "latin1") },
      { name: "html", value: Buffer.from([0x93, 0xfa, 0x96, 0x7b]) },
      { name: "charsets", value: JSON.stringify({ text: "iso-8859-1", html: "Shift_JIS" }) },
    ]);
    const req = resign({
      body,
      headers: {
        "content-type": contentType,
        authorization: `Basic ${Buffer.from(SG_AUTH).toString("base64")}`,
      },
      query: `key=${SG_URL_KEY}`,
    });
    const res = await app.post("sendgrid", req);
    expect(res.status).toBe(202);
    const e = await normalizeStoredEmail("sendgrid", contentType, rec.stored.at(-1)!.raw, app.config);
    expect(e.text).toBe("Grüße");
    expect(e.html).toBe("日本");
  });

  it("too many attachments: 413", async () => {
    const files = Array.from({ length: 101 }, (_, i) => ({
      name: `attachment${i + 1}`,
      filename: `f${i}.txt`,
      contentType: "text/plain",
      content: Buffer.from("x"),
    }));
    const { body, contentType } = multipart([
      { name: "headers", value: "From: a@b.example" },
      { name: "attachments", value: "101" },
      ...files,
    ]);
    const req = resign({
      body,
      headers: {
        "content-type": contentType,
        authorization: `Basic ${Buffer.from(SG_AUTH).toString("base64")}`,
      },
      query: `key=${SG_URL_KEY}`,
    });
    await expectRefused("sendgrid", req, 413, "too_many_attachments", "payload_too_large");
  });

  it("too many attachments inside raw MIME: 413", async () => {
    const parts = Array.from(
      { length: 101 },
      (_, i) =>
        `--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="f${i}.txt"\r\n\r\nx\r\n`,
    ).join("");
    const mime = `From: a@b.example\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`;
    const req = await sgGood(Buffer.from(mime), "raw");
    await expectRefused("sendgrid", req, 413, "too_many_attachments", "payload_too_large");
  });

  it("body over 30 MiB: 413 before it is read", async () => {
    const { body, contentType } = multipart([
      { name: "email", value: Buffer.alloc(30 * 1024 * 1024 + 1, 0x61) },
    ]);
    await expectRefused(
      "sendgrid",
      { body, headers: { "content-type": contentType } },
      413,
      "body_too_large",
      "payload_too_large",
    );
  });

  it("wrong media type: 415", async () => {
    const req = await sgGood(PLAIN);
    req.headers["content-type"] = "application/json";
    req.body = Buffer.from("{}");
    await expectRefused("sendgrid", req, 415, "unsupported_media_type", "unsupported_media_type");
    await expectRefused(
      "sendgrid",
      { body: Buffer.from("x"), headers: { "content-type": "application/xml" } },
      415,
      "unsupported_media_type",
      "unsupported_media_type",
    );
  });

  it("not an email (no sender anywhere): 422", async () => {
    const { body, contentType } = multipart([{ name: "email", value: "this is not a MIME message at all" }]);
    const req = resign({
      body,
      headers: {
        "content-type": contentType,
        authorization: `Basic ${Buffer.from(SG_AUTH).toString("base64")}`,
      },
      query: `key=${SG_URL_KEY}`,
    });
    await expectRefused("sendgrid", req, 422, "not_an_email", "validation_failed", /no sender/);
  });
});

describe("Mailgun refusals (406 stops Mailgun retrying)", () => {
  const mg = (o: { timestamp?: number; token?: string; key?: string } = {}) =>
    mailgunRequest(PLAIN, {
      mode: "parsed",
      encoding: "urlencoded",
      signingKey: o.key ?? MAILGUN_KEY,
      timestamp: o.timestamp ?? ts(),
      ...(o.token ? { token: o.token } : {}),
    });

  it("forged signature: 406", async () => {
    await expectRefused(
      "mailgun",
      await mg({ key: "key-guessed-000000000" }),
      406,
      "bad_signature",
      "unauthorized",
    );
  });

  it("stale timestamp: 406", async () => {
    await expectRefused(
      "mailgun",
      await mg({ timestamp: ts() - 301 }),
      406,
      "stale_timestamp",
      "unauthorized",
    );
  });

  it("replayed token: the second use is 406 and nothing more is stored", async () => {
    const token = "a".repeat(50);
    const first = await mg({ token });
    first.headers["idempotency-key"] = "mailgun-replay-1";
    expect((await app.post("mailgun", first)).status).toBe(202);
    const again = await mg({ token });
    again.headers["idempotency-key"] = "mailgun-replay-2";
    await expectRefused("mailgun", again, 406, "replayed_token", "unauthorized", /already used/);
  });

  it("a store outage answers 503 and frees the token, so Mailgun's retry is accepted", async () => {
    const req = await mg({ token: "b".repeat(50) });
    rec.state.down = true;
    try {
      const res = await app.post("mailgun", req);
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("store_unavailable");
    } finally {
      rec.state.down = false;
    }
    expect(
      await metricValue(app.metrics, "eolgate_email_ingest_total", {
        provider: "mailgun",
        outcome: "store_unavailable",
      }),
    ).toBe(1);
    expect((await app.post("mailgun", req)).status).toBe(202);
  });

  it("a field that is not UTF-8 (charset lie): 406", async () => {
    const req = await mailgunRequest(PLAIN, {
      mode: "parsed",
      encoding: "urlencoded",
      signingKey: MAILGUN_KEY,
      timestamp: ts(),
    });
    req.body = Buffer.concat([req.body, Buffer.from("&body-html=%E9t%E9")]);
    await expectRefused("mailgun", req, 406, "charset_mismatch", "validation_failed", /body-html.*UTF-8/);
  });

  it("no message-headers nor body-mime: 406", async () => {
    const req = await mg();
    req.body = Buffer.from(req.body.toString("utf8").replace(/message-headers=[^&]*&?/, ""));
    await expectRefused("mailgun", req, 406, "validation_failed", "validation_failed", /message-headers/);
  });
});

describe("SES via SNS refusals", () => {
  const ses = (o: Partial<Parameters<typeof sesRequest>[1]> = {}) =>
    sesRequest(PLAIN, { topicArn: TOPIC, signer, ...o });

  it("a certificate URL off the SNS hosts: 401, and nothing is fetched", async () => {
    for (const url of [
      "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
      "http://sns.eu-west-1.amazonaws.com/cert.pem",
      "https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem",
      "https://sns.eu-west-1.amazonaws.com:8443/cert.pem",
    ]) {
      const fetched = aws.gets.length;
      const req = await ses({ signer: { ...signer, certUrl: url } });
      await expectRefused("ses", req, 401, "bad_cert_url", "unauthorized", /SigningCertURL/);
      expect(aws.gets.length).toBe(fetched);
    }
  });

  it("an unlisted topic: 403", async () => {
    const other = "arn:aws:sns:eu-west-1:999999999999:someone-else";
    await expectRefused(
      "ses",
      await ses({ topicArn: other }),
      403,
      "topic_not_allowed",
      "forbidden",
      /TopicArn/,
    );
  });

  it("forged signature (another key, the real certificate URL): 401", async () => {
    await expectRefused("ses", await ses({ signer: impostor }), 401, "bad_signature", "unauthorized");
  });

  it("a message changed after signing (v1 and v2): 401", async () => {
    for (const v of ["1", "2"] as const) {
      const req = await ses({ signatureVersion: v });
      const msg = JSON.parse(req.body.toString());
      msg.Message = msg.Message.replace("PASS", "FAIL");
      await expectRefused("ses", snsRequest(msg), 401, "bad_signature", "unauthorized");
    }
  });

  it("a certificate AWS will not serve now: 503, so SNS retries", async () => {
    const req = await ses({
      signer: { ...signer, certUrl: "https://sns.eu-west-1.amazonaws.com/not-yet-fetched.pem" },
    });
    const msg = JSON.parse(req.body.toString());
    snsSign(msg, signer);
    msg.SigningCertURL = "https://sns.eu-west-1.amazonaws.com/not-yet-fetched.pem";
    aws.state.down = true;
    try {
      const res = await app.post("ses", snsRequest(msg));
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("certificate_unavailable");
    } finally {
      aws.state.down = false;
    }
  });

  it("caches the signing certificate", async () => {
    const fetchesOf = () => aws.gets.filter((u) => u.href === signer.certUrl).length;
    expect((await app.post("ses", await ses())).status).toBe(202);
    const after = fetchesOf();
    expect((await app.post("ses", await ses({ signatureVersion: "1" }))).status).toBe(202);
    expect(fetchesOf()).toBe(after);
    expect(after).toBe(1);
  });

  it("confirms a verified SubscriptionConfirmation, stores nothing", async () => {
    const before = rec.stored.length;
    const res = await app.post("ses", snsRequest(subscriptionConfirmation(TOPIC, signer)));
    expect(res.status).toBe(200);
    expect(res.json.subscription).toBe("confirmed");
    expect(aws.confirmed).toContain(TOPIC);
    expect(rec.stored.length).toBe(before);
  });

  it("never confirms a forged or off-host subscription", async () => {
    const confirmed = aws.confirmed.length;
    await expectRefused(
      "ses",
      snsRequest(subscriptionConfirmation(TOPIC, impostor)),
      401,
      "bad_signature",
      "unauthorized",
    );
    const offHost = subscriptionConfirmation(
      TOPIC,
      signer,
      "https://attacker.example/?Action=ConfirmSubscription",
    );
    await expectRefused("ses", snsRequest(offHost), 401, "bad_subscribe_url", "unauthorized");
    expect(aws.confirmed.length).toBe(confirmed);
  });

  it("SNS throttling the confirmation: 503, so SNS sends it again", async () => {
    aws.state.throttle = true;
    try {
      const res = await app.post("ses", snsRequest(subscriptionConfirmation(TOPIC, signer)));
      expect(res.status).toBe(503);
    } finally {
      aws.state.throttle = false;
    }
  });

  it("a Bounce notification is not inbound mail: 422", async () => {
    const req = await ses();
    const msg = JSON.parse(req.body.toString());
    msg.Message = JSON.stringify({ notificationType: "Bounce", bounce: {}, mail: { messageId: "x" } });
    snsSign(msg, signer);
    await expectRefused("ses", snsRequest(msg), 422, "validation_failed", "validation_failed", /Received/);
  });

  it("an S3-action notification is stored and flagged, with no body", async () => {
    const req = await ses({ encoding: "S3" });
    // The same Message-ID was stored above; a distinct key makes this one a notice of its own.
    req.headers["idempotency-key"] = "s3-action-1";
    const res = await app.post("ses", req);
    expect(res.status).toBe(202);
    expect(res.json.duplicate).toBe(false);
    const got = rec.stored.at(-1)!;
    const e = await normalizeStoredEmail("ses", got.contentType, got.raw, app.config);
    expect(e.flags).toEqual(["body_in_s3"]);
    expect(e.bodyLocation).toMatchObject({ kind: "s3", bucket: "inbound-mail" });
    expect(e.text).toBeNull();
    expect(e.from).toMatch(/@microchip/i);
    expect(e.subject.length).toBeGreaterThan(0);
  });

  it("body over 1 MiB: 413", async () => {
    const body = Buffer.alloc(1024 * 1024 + 10, 0x20);
    await expectRefused(
      "ses",
      { body, headers: { "content-type": "text/plain" } },
      413,
      "body_too_large",
      "payload_too_large",
    );
  });

  it("not JSON: 422", async () => {
    await expectRefused(
      "ses",
      { body: Buffer.from("Type=Notification"), headers: { "content-type": "text/plain" } },
      422,
      "validation_failed",
      "validation_failed",
      /JSON/,
    );
  });
});

describe("Postmark refusals (403 stops Postmark retrying)", () => {
  it("missing or wrong basic auth: 403", async () => {
    await expectRefused("postmark", await postmarkRequest(PLAIN), 403, "bad_basic_auth", "unauthorized");
    await expectRefused(
      "postmark",
      await postmarkRequest(PLAIN, { basicAuth: "postmark:nope" }),
      403,
      "bad_basic_auth",
      "unauthorized",
    );
  });

  it("malformed JSON and a non-base64 attachment: 403 with the issues", async () => {
    const auth = {
      authorization: `Basic ${Buffer.from(PM_AUTH).toString("base64")}`,
      "content-type": "application/json",
    };
    await expectRefused(
      "postmark",
      { body: Buffer.from('{"Subject": '), headers: auth },
      403,
      "validation_failed",
      "validation_failed",
      /not valid JSON/,
    );
    const req = await postmarkRequest(WITH_CSV, { basicAuth: PM_AUTH });
    const json = JSON.parse(req.body.toString());
    json.Attachments[0].Content = "not base64 !!";
    await expectRefused(
      "postmark",
      { body: Buffer.from(JSON.stringify(json)), headers: req.headers },
      403,
      "validation_failed",
      "validation_failed",
      /Attachments\.0\.Content/,
    );
  });

  it("a body that is not UTF-8: 403", async () => {
    const req = await postmarkRequest(PLAIN, { basicAuth: PM_AUTH });
    req.body = Buffer.from(req.body.toString("utf8").replace('"Tag":""', '"Tag":"\xe9"'), "latin1");
    await expectRefused("postmark", req, 403, "charset_mismatch", "validation_failed");
  });
});

describe("idempotency", () => {
  it("a provider retry and the same email through another gateway are duplicates (Message-ID)", async () => {
    const eml = corpus("017-diodes-pcn-additional-wafer-fab.eml");
    const first = await app.post("postmark", await postmarkRequest(eml, { basicAuth: PM_AUTH }));
    expect(first.status).toBe(202);
    expect(first.json.duplicate).toBe(false);
    const retry = await app.post("postmark", await postmarkRequest(eml, { basicAuth: PM_AUTH }));
    const viaSes = await app.post("ses", await sesRequest(eml, { topicArn: TOPIC, signer }));
    const viaSendgrid = await app.post("sendgrid", await sgGood(eml, "raw"));
    for (const r of [retry, viaSes, viaSendgrid]) {
      expect(r.status).toBe(202);
      expect(r.json).toMatchObject({ duplicate: true, trace_id: first.json.trace_id });
    }
  });

  it("the Idempotency-Key header comes first", async () => {
    const eml = corpus("018-littelfuse-eol-fuses-ptc-bullets.eml");
    const a = await sgGood(eml);
    a.headers["idempotency-key"] = "k-018-a";
    const b = await sgGood(eml);
    b.headers["idempotency-key"] = "k-018-b";
    const ra = await app.post("sendgrid", a);
    const rb = await app.post("sendgrid", b);
    expect(ra.json.duplicate).toBe(false);
    expect(rb.json.duplicate).toBe(false);
    expect(ra.json.trace_id).not.toBe(rb.json.trace_id);
  });

  it("an SNS redelivery without Message-ID falls back to the SNS MessageId", async () => {
    const eml = Buffer.from(
      "From: pcn@vendor.example\r\nTo: in@us.example\r\nSubject: no id\r\n\r\nbody\r\n",
    );
    const r1 = await app.post(
      "ses",
      await sesRequest(eml, { topicArn: TOPIC, signer, messageId: "sns-fixed-1" }),
    );
    const r2 = await app.post(
      "ses",
      await sesRequest(eml, { topicArn: TOPIC, signer, messageId: "sns-fixed-1" }),
    );
    expect(r1.json.duplicate).toBe(false);
    expect(r2.json).toMatchObject({ duplicate: true, trace_id: r1.json.trace_id });
  });
});
