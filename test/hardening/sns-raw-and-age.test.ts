import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { normalizeStoredEmail } from "../../src/email/stored.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { type EmailTestApp, recordingIngestor, startEmailApp } from "../support/email-app.ts";
import { makeSnsSigner, sesRequest } from "../support/email-providers.ts";
import { openTestStore } from "../support/stores.ts";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:eolgate-inbound";
const EML = readFileSync(
  new URL("../../../shared/corpus/emails/001-ti-pdn-tps54331-tlv702-ltb.eml", import.meta.url),
);
const signer = makeSnsSigner();

let db: SqlDriver;
const apps: EmailTestApp[] = [];
let rec: ReturnType<typeof recordingIngestor>;
async function app(env: Record<string, string>): Promise<EmailTestApp> {
  rec = recordingIngestor();
  const certificates = {
    certificate: async () => new (await import("node:crypto")).X509Certificate(signer.certPem),
  };
  const a = await startEmailApp({ db, ingestor: rec.ingestor, env, routeOptions: { certificates } });
  apps.push(a);
  return a;
}
beforeAll(async () => {
  db = await openTestStore("pglite");
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await db.close();
});

it("refuses a signed SNS message older than SNS_MAX_AGE_SECONDS and takes a fresh one", async () => {
  const a = await app({ SNS_TOPIC_ARNS: TOPIC, SNS_MAX_AGE_SECONDS: "600" });
  const old = new Date(a.clock.now.getTime() - 601_000).toISOString();
  const stale = await a.post("ses", await sesRequest(EML, { topicArn: TOPIC, signer, timestamp: old }));
  expect(stale.status).toBe(403);
  expect(stale.json).toMatchObject({
    error: "forbidden",
    issues: [{ path: "Timestamp", message: "too old" }],
  });
  const fresh = new Date(a.clock.now.getTime() - 599_000).toISOString();
  const ok = await a.post("ses", await sesRequest(EML, { topicArn: TOPIC, signer, timestamp: fresh }));
  expect(ok.status).toBe(202);
});

it("defaults to one hour", async () => {
  const a = await app({ SNS_TOPIC_ARNS: TOPIC });
  expect(a.config.email.SNS_MAX_AGE_SECONDS).toBe(3600);
  const old = new Date(a.clock.now.getTime() - 3601_000).toISOString();
  const r = await a.post("ses", await sesRequest(EML, { topicArn: TOPIC, signer, timestamp: old }));
  expect(r.status).toBe(403);
});

/** What SNS posts with raw message delivery on: the SES notification as the body, SNS fields as headers. */
async function rawDelivery(basicAuth?: string) {
  const enveloped = JSON.parse((await sesRequest(EML, { topicArn: TOPIC })).body.toString()) as {
    Message: string;
  };
  return {
    body: Buffer.from(enveloped.Message),
    headers: {
      "content-type": "text/plain; charset=UTF-8",
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-message-id": "8b7e1d7c-3b5a-5c2e-9f0d-0a1b2c3d4e5f",
      "x-amz-sns-topic-arn": TOPIC,
      "x-amz-sns-subscription-arn": `${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      "x-amz-sns-rawdelivery": "true",
      ...(basicAuth ? { authorization: `Basic ${Buffer.from(basicAuth).toString("base64")}` } : {}),
    },
  };
}

it("accepts SNS raw message delivery and stores it so the pipeline re-reads it", async () => {
  const a = await app({});
  const r = await a.post("ses", await rawDelivery());
  expect(r.status, JSON.stringify(r.json)).toBe(202);
  const n = rec.stored[0]!;
  const email = await normalizeStoredEmail("ses", n.contentType, n.raw);
  expect(email.subject).toMatch(/TPS54331/);
  // The SNS message id is the idempotency key: SNS's retry of the same message is a duplicate.
  const again = await a.post("ses", await rawDelivery());
  expect(again.json).toMatchObject({ duplicate: true });
});

it("in verified mode takes raw delivery only with SNS_RAW_BASIC_AUTH credentials", async () => {
  const unverifiable = await app({ SNS_TOPIC_ARNS: TOPIC });
  expect((await unverifiable.post("ses", await rawDelivery())).status).toBe(401);
  const a = await app({ SNS_TOPIC_ARNS: TOPIC, SNS_RAW_BASIC_AUTH: "sns:raw-delivery-secret" });
  expect((await a.post("ses", await rawDelivery())).status).toBe(401);
  expect((await a.post("ses", await rawDelivery("sns:wrong-password!"))).status).toBe(401);
  expect((await a.post("ses", await rawDelivery("sns:raw-delivery-secret"))).status).toBe(202);
  const other = await rawDelivery("sns:raw-delivery-secret");
  other.headers["x-amz-sns-topic-arn"] = "arn:aws:sns:eu-west-1:123456789012:someone-else";
  expect((await a.post("ses", other)).status).toBe(403);
});
