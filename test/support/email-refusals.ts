import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";
import { cachingCertificateSource } from "../../src/email/sns.certificates.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { type EmailTestApp, metricValue, recordingIngestor, startEmailApp } from "./email-app.ts";
import {
  fakeAws,
  makeSnsSigner,
  type ProviderRequest,
  sendgridRequest,
  sendgridSignature,
} from "./email-providers.ts";
import { openTestStore } from "./stores.ts";

/**
 * The email routes with every provider's proof configured, for refusal tests: keys, a fake AWS,
 * and `expectRefused`, which checks a refusal's status, error, metric, and that nothing was stored.
 */
export const corpus = (f: string) =>
  readFileSync(new URL(`../../../shared/corpus/emails/${f}`, import.meta.url));
export const PLAIN = corpus("002-microchip-pdn-pic16f877a.eml");
export const WITH_CSV = corpus("008-onsemi-pdn-sot23-csv-attachment.eml");

export const TOPIC = "arn:aws:sns:eu-west-1:123456789012:eolgate-inbound";
export const MAILGUN_KEY = "key-mailgun-test-0123456789";
export const SG_AUTH = "parse:sendgrid-pass";
export const SG_URL_KEY = "url-key-0123456789";
export const PM_AUTH = "postmark:inbound-pass";
export const sg = generateKeyPairSync("ec", { namedCurve: "P-256" });
export const sgOther = generateKeyPairSync("ec", { namedCurve: "P-256" });

/** Registers beforeAll/afterAll for the calling test file and returns the fixture. */
export function verifiedEmailApp() {
  const signer = makeSnsSigner();
  const f = {
    app: undefined as unknown as EmailTestApp,
    rec: recordingIngestor(),
    aws: fakeAws([signer]),
    signer,
    impostor: makeSnsSigner(signer.certUrl),
  };
  let db: SqlDriver | undefined;
  beforeAll(async () => {
    db = await openTestStore("pglite");
    f.app = await startEmailApp({
      db,
      ingestor: f.rec.ingestor,
      env: {
        SENDGRID_VERIFICATION_KEY: sg.publicKey.export({ format: "pem", type: "spki" }).toString(),
        SENDGRID_BASIC_AUTH: SG_AUTH,
        INBOUND_PARSE_SECRET_KEY: SG_URL_KEY,
        MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        SNS_TOPIC_ARNS: TOPIC,
        POSTMARK_BASIC_AUTH: PM_AUTH,
      },
      routeOptions: { httpsGet: f.aws.get, certificates: cachingCertificateSource(f.aws.get) },
    });
  });
  afterAll(async () => {
    await f.app?.close();
    await db?.close();
  });

  const ts = () => Math.floor(f.app.clock.now.getTime() / 1000);
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
    const before = f.rec.stored.length;
    const m = { provider, reason };
    const rejectedBefore = await metricValue(f.app.metrics, "eolgate_email_rejected_total", m);
    const res = await f.app.post(provider, req);
    expect(res.status, JSON.stringify(res.json)).toBe(status);
    expect(res.json.error).toBe(error);
    if (error === "validation_failed") expect((res.json.issues as unknown[]).length).toBeGreaterThan(0);
    else expect(String(res.json.message)).not.toBe("");
    if (detail) expect(JSON.stringify(res.json)).toMatch(detail);
    expect(await metricValue(f.app.metrics, "eolgate_email_rejected_total", m)).toBe(rejectedBefore + 1);
    expect(f.rec.stored.length, "nothing stored").toBe(before);
    return res;
  }

  return { f, ts, sgGood, resign, expectRefused };
}
