import { describe, expect, it } from "vitest";
import {
  postmarkRequest,
  sesRequest,
  snsRequest,
  snsSign,
  subscriptionConfirmation,
} from "../../test/support/email-providers.ts";
import {
  corpus,
  PLAIN,
  PM_AUTH,
  TOPIC,
  verifiedEmailApp,
  WITH_CSV,
} from "../../test/support/email-refusals.ts";
import { normalizeStoredEmail } from "./stored.ts";

// SES via SNS and Postmark (the JSON-posting providers), and idempotency across providers.
const { f, sgGood, expectRefused } = verifiedEmailApp();

describe("SES via SNS refusals", () => {
  const ses = (o: Partial<Parameters<typeof sesRequest>[1]> = {}) =>
    sesRequest(PLAIN, { topicArn: TOPIC, signer: f.signer, ...o });

  it("a certificate URL off the SNS hosts: 401, and nothing is fetched", async () => {
    for (const url of [
      "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
      "http://sns.eu-west-1.amazonaws.com/cert.pem",
      "https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem",
      "https://sns.eu-west-1.amazonaws.com:8443/cert.pem",
    ]) {
      const fetched = f.aws.gets.length;
      const req = await ses({ signer: { ...f.signer, certUrl: url } });
      await expectRefused("ses", req, 401, "bad_cert_url", "unauthorized", /SigningCertURL/);
      expect(f.aws.gets.length).toBe(fetched);
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
    await expectRefused("ses", await ses({ signer: f.impostor }), 401, "bad_signature", "unauthorized");
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
      signer: { ...f.signer, certUrl: "https://sns.eu-west-1.amazonaws.com/not-yet-fetched.pem" },
    });
    const msg = JSON.parse(req.body.toString());
    snsSign(msg, f.signer);
    msg.SigningCertURL = "https://sns.eu-west-1.amazonaws.com/not-yet-fetched.pem";
    f.aws.state.down = true;
    try {
      const res = await f.app.post("ses", snsRequest(msg));
      expect(res.status).toBe(503);
      expect(res.json.error).toBe("certificate_unavailable");
    } finally {
      f.aws.state.down = false;
    }
  });

  it("caches the signing certificate", async () => {
    const fetchesOf = () => f.aws.gets.filter((u) => u.href === f.signer.certUrl).length;
    expect((await f.app.post("ses", await ses())).status).toBe(202);
    const after = fetchesOf();
    expect((await f.app.post("ses", await ses({ signatureVersion: "1" }))).status).toBe(202);
    expect(fetchesOf()).toBe(after);
    expect(after).toBe(1);
  });

  it("confirms a verified SubscriptionConfirmation, stores nothing", async () => {
    const before = f.rec.stored.length;
    const res = await f.app.post("ses", snsRequest(subscriptionConfirmation(TOPIC, f.signer)));
    expect(res.status).toBe(200);
    expect(res.json.subscription).toBe("confirmed");
    expect(f.aws.confirmed).toContain(TOPIC);
    expect(f.rec.stored.length).toBe(before);
  });

  it("never confirms a forged or off-host subscription", async () => {
    const confirmed = f.aws.confirmed.length;
    await expectRefused(
      "ses",
      snsRequest(subscriptionConfirmation(TOPIC, f.impostor)),
      401,
      "bad_signature",
      "unauthorized",
    );
    const offHost = subscriptionConfirmation(
      TOPIC,
      f.signer,
      "https://attacker.example/?Action=ConfirmSubscription",
    );
    await expectRefused("ses", snsRequest(offHost), 401, "bad_subscribe_url", "unauthorized");
    expect(f.aws.confirmed.length).toBe(confirmed);
  });

  it("SNS throttling the confirmation: 503, so SNS sends it again", async () => {
    f.aws.state.throttle = true;
    try {
      const res = await f.app.post("ses", snsRequest(subscriptionConfirmation(TOPIC, f.signer)));
      expect(res.status).toBe(503);
    } finally {
      f.aws.state.throttle = false;
    }
  });

  it("a Bounce notification is not inbound mail: 422", async () => {
    const req = await ses();
    const msg = JSON.parse(req.body.toString());
    msg.Message = JSON.stringify({ notificationType: "Bounce", bounce: {}, mail: { messageId: "x" } });
    snsSign(msg, f.signer);
    await expectRefused("ses", snsRequest(msg), 422, "validation_failed", "validation_failed", /Received/);
  });

  it("an S3-action notification is stored and flagged, with no body", async () => {
    const req = await ses({ encoding: "S3" });
    // The same Message-ID was stored above; a distinct key makes this one a notice of its own.
    req.headers["idempotency-key"] = "s3-action-1";
    const res = await f.app.post("ses", req);
    expect(res.status).toBe(202);
    expect(res.json.duplicate).toBe(false);
    const got = f.rec.stored.at(-1)!;
    const e = await normalizeStoredEmail("ses", got.contentType, got.raw);
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

  it("malformed JSON: 403 with the issues; a non-base64 attachment is no refusal (issue 18)", async () => {
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
    // The attachment is recorded as unreadable and the message taken (test/hardening/postmark-*).
    const res = await f.app.post("postmark", {
      body: Buffer.from(JSON.stringify(json)),
      headers: req.headers,
    });
    expect(res.status).toBe(202);
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
    const first = await f.app.post("postmark", await postmarkRequest(eml, { basicAuth: PM_AUTH }));
    expect(first.status).toBe(202);
    expect(first.json.duplicate).toBe(false);
    const retry = await f.app.post("postmark", await postmarkRequest(eml, { basicAuth: PM_AUTH }));
    const viaSes = await f.app.post("ses", await sesRequest(eml, { topicArn: TOPIC, signer: f.signer }));
    const viaSendgrid = await f.app.post("sendgrid", await sgGood(eml, "raw"));
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
    const ra = await f.app.post("sendgrid", a);
    const rb = await f.app.post("sendgrid", b);
    expect(ra.json.duplicate).toBe(false);
    expect(rb.json.duplicate).toBe(false);
    expect(ra.json.trace_id).not.toBe(rb.json.trace_id);
  });

  it("an SNS redelivery without Message-ID falls back to the SNS MessageId", async () => {
    const eml = Buffer.from(
      "From: pcn@vendor.example\r\nTo: in@us.example\r\nSubject: no id\r\n\r\nbody\r\n",
    );
    const r1 = await f.app.post(
      "ses",
      await sesRequest(eml, { topicArn: TOPIC, signer: f.signer, messageId: "sns-fixed-1" }),
    );
    const r2 = await f.app.post(
      "ses",
      await sesRequest(eml, { topicArn: TOPIC, signer: f.signer, messageId: "sns-fixed-1" }),
    );
    expect(r1.json.duplicate).toBe(false);
    expect(r2.json).toMatchObject({ duplicate: true, trace_id: r1.json.trace_id });
  });
});
