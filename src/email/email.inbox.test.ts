import { readFileSync } from "node:fs";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmailTestApp, recordingIngestor, startEmailApp } from "../../test/support/email-app.ts";
import {
  mailgunRequest,
  makeSnsSigner,
  type ProviderRequest,
  postmarkRequest,
  snsRequest,
  subscriptionConfirmation,
} from "../../test/support/email-providers.ts";
import { startTestApp } from "../../test/support/gateway.ts";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { loadConfig } from "../config.ts";
import type { SqlDriver } from "../store/driver.ts";
import { emailRouteVerification } from "./email.verification.ts";
import { seenTokensRepository } from "./seen-tokens.repository.ts";
import { normalizeStoredEmail } from "./stored.ts";

const eml = readFileSync(
  new URL("../../../shared/corpus/emails/008-onsemi-pdn-sot23-csv-attachment.eml", import.meta.url),
);
const PM_AUTH = "postmark:inbound-pass";

describe("through the real app and inbox ingestor on PGlite", () => {
  let db: SqlDriver;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    db = await openTestStore("pglite");
    const gw = await startTestApp(db, { POSTMARK_BASIC_AUTH: PM_AUTH });
    url = gw.url;
    close = gw.close;
  });
  afterAll(async () => {
    await close?.();
    await db?.close();
  });

  const post = async (req: ProviderRequest) => {
    const res = await request(`${url}/v1/ingest/email/postmark`, {
      method: "POST",
      headers: req.headers,
      body: req.body,
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
  };

  it("commits the raw body before the 202, re-reads it, and answers a retry as a duplicate", async () => {
    const req = await postmarkRequest(eml, { basicAuth: PM_AUTH });
    const res = await post(req);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ ack: true, duplicate: false });
    const rows = await db.query<{
      route: string;
      provider: string;
      source: string;
      content_type: string;
      raw_payload: Uint8Array;
    }>("select route, provider, source, content_type, raw_payload from inbox where trace_id = $1", [
      res.json.trace_id,
    ]);
    expect(rows.rows).toHaveLength(1);
    const row = rows.rows[0]!;
    expect(row).toMatchObject({
      route: "email/postmark",
      provider: "postmark",
      content_type: "application/json",
    });
    expect(row.source).toMatch(/onsemi/);
    expect(Buffer.from(row.raw_payload).equals(req.body)).toBe(true);
    const e = await normalizeStoredEmail(row.provider, row.content_type, Buffer.from(row.raw_payload));
    expect(e.attachments.some((a) => /csv/i.test(a.contentType))).toBe(true);

    const retry = await post(await postmarkRequest(eml, { basicAuth: PM_AUTH }));
    expect(retry.json).toMatchObject({ duplicate: true, trace_id: res.json.trace_id });
    const n = await db.query<{ n: number }>("select count(*)::int as n from inbox");
    expect(n.rows[0]!.n).toBe(1);
  });

  it("takes a message larger than the app's JSON limit (per-route limits)", async () => {
    const big = Buffer.concat([
      Buffer.from(
        "From: pcn@vendor.example\r\nTo: in@us.example\r\nSubject: big\r\nMessage-ID: <big-1@vendor.example>\r\n\r\n",
      ),
      Buffer.alloc(2 * 1024 * 1024, "A"),
    ]);
    const req = await postmarkRequest(big, { basicAuth: PM_AUTH, rawEmail: true });
    expect(req.body.length).toBeGreaterThan(loadConfig({}).http.MAX_JSON_BYTES);
    const res = await post(req);
    expect(res.status).toBe(202);
  });

  it("leaves the app's own JSON parsing alone and counts email outcomes on /metrics", async () => {
    const bad = await request(`${url}/v1/ingest/component-alert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(bad.statusCode).toBe(422);
    await bad.body.dump();
    const docs = await (await request(`${url}/docs/json`)).body.text();
    for (const p of ["sendgrid", "mailgun", "ses", "postmark"])
      expect(docs).toContain(`/v1/ingest/email/${p}`);
    const metrics = await (await request(`${url}/metrics`)).body.text();
    // Two accepted so far in this file (the retry test's first post and the large message).
    expect(metrics).toMatch(/eolgate_email_ingest_total\{provider="postmark",outcome="accepted"\} 2/);
    expect(metrics).toMatch(/eolgate_email_ingest_total\{provider="postmark",outcome="duplicate"\} 1/);
  });
});

describeEachStore("Mailgun token replay memory", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("is atomic, expires, and can forget", async () => {
    const tokens = seenTokensRepository(db);
    const now = new Date("2026-11-28T10:00:00Z");
    const exp = new Date("2026-11-28T10:05:00Z");
    const firsts = await Promise.all([1, 2, 3].map(() => tokens.remember("mailgun", "t1", exp, now)));
    expect(firsts.filter((x) => x === "new")).toHaveLength(1);
    expect(await tokens.remember("mailgun", "t1", exp, new Date("2026-11-28T10:04:00Z"))).toBe("replay");
    // Past its expiry the row may be taken over (the signature window has refused real replays by then).
    expect(
      await tokens.remember(
        "mailgun",
        "t1",
        new Date("2026-11-28T10:20:00Z"),
        new Date("2026-11-28T10:06:00Z"),
      ),
    ).toBe("new");
    await tokens.forget("mailgun", "t1");
    expect(await tokens.remember("mailgun", "t1", exp, now)).toBe("new");
  });

  it("two gateway instances on one store refuse each other's replays", async () => {
    const env = { MAILGUN_SIGNING_KEY: "key-shared-0123456789" };
    const apps: EmailTestApp[] = [];
    for (let i = 0; i < 2; i++)
      apps.push(await startEmailApp({ db, ingestor: recordingIngestor().ingestor, env }));
    try {
      const req = await mailgunRequest(eml, {
        mode: "parsed",
        encoding: "multipart",
        signingKey: env.MAILGUN_SIGNING_KEY,
        timestamp: Math.floor(apps[0]!.clock.now.getTime() / 1000),
        token: `shared-${kind}`,
      });
      expect((await apps[0]!.post("mailgun", req)).status).toBe(202);
      const replay = await apps[1]!.post("mailgun", req);
      expect(replay.status).toBe(406);
      expect(replay.json.message).toMatch(/already used/);
    } finally {
      for (const a of apps) await a.close();
    }
  });
});

describe("unverified routes", () => {
  it("accept unsigned requests when no secret is set, and say so", async () => {
    const db = await openTestStore("pglite");
    const rec = recordingIngestor();
    const app = await startEmailApp({ db, ingestor: rec.ingestor });
    try {
      expect(
        emailRouteVerification(app.config.email).every((r) => !r.verified && /UNVERIFIED/.test(r.how)),
      ).toBe(true);
      const res = await app.post(
        "mailgun",
        await mailgunRequest(eml, { mode: "raw", encoding: "multipart" }),
      );
      expect(res.status).toBe(202);
      expect(rec.stored).toHaveLength(1);
      // Without SNS_TOPIC_ARNS nothing vouches for a SubscribeURL, so it is not fetched.
      const signer = makeSnsSigner();
      const sub = subscriptionConfirmation("arn:aws:sns:eu-west-1:123456789012:any", signer);
      const confirm = await app.post("ses", snsRequest(sub));
      expect(confirm.status).toBe(200);
      expect(confirm.json.subscription).toBe("not_confirmed");
      expect(rec.stored).toHaveLength(1);
    } finally {
      await app.close();
      await db.close();
    }
    const verified = emailRouteVerification(
      loadConfig({
        MAILGUN_SIGNING_KEY: "key-0123456789",
        SNS_TOPIC_ARNS: "arn:aws:sns:eu-west-1:123456789012:t",
      }).email,
    );
    expect(verified.find((r) => r.route.endsWith("mailgun"))).toMatchObject({ verified: true });
    expect(verified.find((r) => r.route.endsWith("ses"))).toMatchObject({ verified: true });
    expect(JSON.stringify(verified)).not.toContain("key-0123456789");
  });
});
