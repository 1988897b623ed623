import { describe, expect, it } from "vitest";
import { metricValue } from "../../test/support/email-app.ts";
import { mailgunRequest, multipart, sendgridRequest } from "../../test/support/email-providers.ts";
import {
  MAILGUN_KEY,
  PLAIN,
  SG_AUTH,
  SG_URL_KEY,
  sg,
  sgOther,
  verifiedEmailApp,
  WITH_CSV,
} from "../../test/support/email-refusals.ts";
import { normalizeStoredEmail } from "./stored.ts";

// SendGrid and Mailgun: the form-posting providers.
const { f, ts, sgGood, resign, expectRefused } = verifiedEmailApp();

describe("SendGrid refusals", () => {
  it("accepts the genuine article (control)", async () => {
    const res = await f.app.post("sendgrid", await sgGood(PLAIN));
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
    const res = await f.app.post("sendgrid", req);
    expect(res.status).toBe(202);
    const e = await normalizeStoredEmail("sendgrid", contentType, f.rec.stored.at(-1)!.raw);
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
    expect((await f.app.post("mailgun", first)).status).toBe(202);
    const again = await mg({ token });
    again.headers["idempotency-key"] = "mailgun-replay-2";
    await expectRefused("mailgun", again, 406, "replayed_token", "unauthorized", /already used/);
  });

  it("a store outage answers 503 and frees the token, so Mailgun's retry is accepted", async () => {
    const req = await mg({ token: "b".repeat(50) });
    f.rec.state.down = true;
    try {
      const res = await f.app.post("mailgun", req);
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("store_unavailable");
    } finally {
      f.rec.state.down = false;
    }
    expect(
      await metricValue(f.app.metrics, "eolgate_email_ingest_total", {
        provider: "mailgun",
        outcome: "store_unavailable",
      }),
    ).toBe(1);
    expect((await f.app.post("mailgun", req)).status).toBe(202);
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
