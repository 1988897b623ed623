import { generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmailTestApp, recordingIngestor, startEmailApp } from "../../test/support/email-app.ts";
import {
  fakeAws,
  forwardedIso2022jpEml,
  mailgunRequest,
  makeSnsSigner,
  type ProviderRequest,
  postmarkRequest,
  sendgridRequest,
  sesRequest,
} from "../../test/support/email-providers.ts";
import { openTestStore } from "../../test/support/stores.ts";
import { parseMime, senderDomain } from "../mail/mime.ts";
import type { NormalizedEmail } from "../mail/normalized-email.ts";
import type { SqlDriver } from "../store/driver.ts";
import { cachingCertificateSource } from "./sns.certificates.ts";
import { normalizeStoredEmail } from "./stored.ts";

const dir = new URL("../../../shared/corpus/emails/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".eml"))
  .sort();

/** Everything but the provider and its verdicts, with bytes as hex so that comparisons are exact. */
function comparable(e: NormalizedEmail) {
  return {
    messageId: e.messageId,
    from: e.from,
    to: e.to,
    subject: e.subject,
    date: e.date,
    text: e.text,
    html: e.html,
    attachments: e.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      hex: Buffer.from(a.content).toString("hex"),
    })),
  };
}

/** What each variant's provider says about SPF/DKIM/DMARC/spam (see test/support/email-providers.ts). */
const VERDICTS: Record<string, Partial<NormalizedEmail["auth"]>> = {
  "sendgrid parsed": { spf: "pass", dkim: "pass", spamScore: 0.1 },
  "sendgrid raw": { spf: "pass", dkim: "pass", spamScore: 0.1 },
  "mailgun parsed multipart": { spf: "pass", dkim: "pass", spamScore: 0.2 },
  "ses BASE64, signature v2": { spf: "pass", dkim: "gray", dmarc: "pass" },
  "ses UTF8, signature v1": { spf: "pass", dkim: "gray", dmarc: "pass" },
  "postmark fields": { spf: "pass", spamScore: 0.3 },
  "postmark RawEmail": { spf: "pass", spamScore: 0.3 },
};

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:eolgate-inbound";
const MAILGUN_KEY = "key-mailgun-test-0123456789";
const sendgridKeys = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signer = makeSnsSigner();

describe("every corpus message through every provider gives the same NormalizedEmail", () => {
  let db: SqlDriver;
  let app: EmailTestApp;
  const rec = recordingIngestor();
  beforeAll(async () => {
    db = await openTestStore("pglite");
    const aws = fakeAws([signer]);
    app = await startEmailApp({
      db,
      ingestor: rec.ingestor,
      env: {
        SENDGRID_VERIFICATION_KEY: sendgridKeys.publicKey
          .export({ format: "der", type: "spki" })
          .toString("base64"),
        SENDGRID_BASIC_AUTH: "parse:sendgrid-pass",
        INBOUND_PARSE_SECRET_KEY: "url-key-0123456789",
        MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        SNS_TOPIC_ARNS: TOPIC,
        POSTMARK_BASIC_AUTH: "postmark:inbound-pass",
      },
      routeOptions: { httpsGet: aws.get, certificates: cachingCertificateSource(aws.get) },
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const ts = () => Math.floor(app.clock.now.getTime() / 1000);
  const variants: [string, string, (eml: Buffer) => Promise<ProviderRequest>][] = [
    [
      "sendgrid",
      "parsed",
      (eml) =>
        sendgridRequest(eml, {
          mode: "parsed",
          signingKey: sendgridKeys.privateKey,
          timestamp: ts(),
          basicAuth: "parse:sendgrid-pass",
          urlKey: "url-key-0123456789",
        }),
    ],
    [
      "sendgrid",
      "raw",
      (eml) =>
        sendgridRequest(eml, {
          mode: "raw",
          signingKey: sendgridKeys.privateKey,
          timestamp: ts(),
          basicAuth: "parse:sendgrid-pass",
          urlKey: "url-key-0123456789",
        }),
    ],
    [
      "mailgun",
      "parsed multipart",
      (eml) =>
        mailgunRequest(eml, {
          mode: "parsed",
          encoding: "multipart",
          signingKey: MAILGUN_KEY,
          timestamp: ts(),
        }),
    ],
    [
      "mailgun",
      "raw urlencoded",
      (eml) =>
        mailgunRequest(eml, {
          mode: "raw",
          encoding: "urlencoded",
          signingKey: MAILGUN_KEY,
          timestamp: ts(),
        }),
    ],
    [
      "ses",
      "BASE64, signature v2",
      (eml) => sesRequest(eml, { topicArn: TOPIC, signer, signatureVersion: "2", encoding: "BASE64" }),
    ],
    [
      "ses",
      "UTF8, signature v1",
      (eml) => sesRequest(eml, { topicArn: TOPIC, signer, signatureVersion: "1", encoding: "UTF8" }),
    ],
    ["postmark", "fields", (eml) => postmarkRequest(eml, { basicAuth: "postmark:inbound-pass" })],
    [
      "postmark",
      "RawEmail",
      (eml) => postmarkRequest(eml, { basicAuth: "postmark:inbound-pass", rawEmail: true }),
    ],
  ];

  const samples: [string, () => Buffer][] = [
    ...files.map((f): [string, () => Buffer] => [f, () => readFileSync(new URL(f, dir))]),
    ["(synthetic) ISO-2022-JP with a notice forwarded as an attachment", forwardedIso2022jpEml],
  ];
  for (const [file, load] of samples) {
    it(file, async () => {
      const eml = load();
      const parsed = await parseMime(eml, "json");
      const expected = comparable(parsed);
      expect(expected.from).toMatch(/@/);
      for (const [provider, mode, build] of variants) {
        const req = await build(eml);
        // A distinct key per variant, so that each is stored and re-read (Message-ID dedupe is tested apart).
        req.headers["idempotency-key"] = `${file}/${provider}/${mode}`;
        const before = rec.stored.length;
        const res = await app.post(provider, req);
        expect(res.status, `${provider} ${mode}: ${JSON.stringify(res.json)}`).toBe(202);
        expect(res.json).toMatchObject({ ack: true, duplicate: false });
        expect(rec.stored.length).toBe(before + 1);
        const got = rec.stored.at(-1)!;
        expect(got).toMatchObject({
          route: `email/${provider}`,
          provider,
          source: senderDomain(parsed.from),
        });
        expect(got.raw.equals(req.body)).toBe(true);
        const again = await normalizeStoredEmail(provider, got.contentType, got.raw);
        expect(again.provider).toBe(provider);
        expect(comparable(again), `${provider} ${mode}`).toEqual(expected);
        // The provider's own verdicts, as the helper's provider stand-ins report them.
        expect(again.auth, `${provider} ${mode}`).toMatchObject(VERDICTS[`${provider} ${mode}`] ?? {});
      }
    });
  }
});
