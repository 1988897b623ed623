import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { normalizeStoredEmail } from "../../src/email/stored.ts";
import { createGuardedGet } from "../../src/outbound/guarded.fetch.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { type MailgunStorageFake, startMailgunStorageFake } from "../fakes/mailgun-storage.fake.ts";
import { type EmailTestApp, recordingIngestor, startEmailApp } from "../support/email-app.ts";
import { urlencoded } from "../support/email-wire.ts";
import { openTestStore } from "../support/stores.ts";

const SIGNING_KEY = "mailgun-signing-key-0123456789";
const API_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
const EML = readFileSync(
  new URL("../../../shared/corpus/emails/001-ti-pdn-tps54331-tlv702-ltb.eml", import.meta.url),
);

let db: SqlDriver;
let fake: MailgunStorageFake;
let app: EmailTestApp;
let rec: ReturnType<typeof recordingIngestor>;
const apps: EmailTestApp[] = [];

async function appWith(env: Record<string, string>): Promise<EmailTestApp> {
  rec = recordingIngestor();
  const a = await startEmailApp({
    db,
    ingestor: rec.ingestor,
    env: {
      MAILGUN_SIGNING_KEY: SIGNING_KEY,
      MAILGUN_API_KEY: API_KEY,
      MAILGUN_STORAGE_HOSTS: fake.host,
      ...env,
    },
    routeOptions: {
      mailgunStorage: {
        get: createGuardedGet({ dispatcher: new Agent({ connect: { ca: fake.ca } }) }),
        sleep: async () => {},
      },
    },
  });
  apps.push(a);
  return a;
}

beforeAll(async () => {
  db = await openTestStore("pglite");
  fake = await startMailgunStorageFake(API_KEY);
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await fake.close();
  await db.close();
});
beforeEach(async () => {
  fake.script.length = 0;
  fake.requests.length = 0;
  app = await appWith({});
});

/** The post a `store(notify="…")` route makes: signature fields, headers, `message-url`, no content. */
function notifyPost(messageUrl: string, o: { key?: string; tamper?: boolean } = {}) {
  const timestamp = String(Math.floor(app.clock.now.getTime() / 1000));
  const token = randomBytes(25).toString("hex");
  const signature = createHmac("sha256", o.key ?? SIGNING_KEY)
    .update(timestamp + token)
    .digest("hex");
  const fields: [string, string][] = [
    ["domain", "inbound.example.com"],
    ["recipient", "eol@inbound.example.com"],
    ["sender", "pdn@ti.com"],
    ["from", "Texas Instruments <pdn@ti.com>"],
    ["subject", "PDN 20260113002"],
    [
      "message-headers",
      JSON.stringify([
        ["From", "Texas Instruments <pdn@ti.com>"],
        ["Subject", "PDN 20260113002"],
      ]),
    ],
    ["message-url", messageUrl],
    ["timestamp", timestamp],
    ["token", token],
    ["signature", o.tamper ? signature.replace(/^./, (c) => (c === "a" ? "b" : "a")) : signature],
  ];
  const { body, contentType } = urlencoded(fields);
  return { body, headers: { "content-type": contentType } };
}

const stored = () =>
  fake.store("inbound.example.com", `AgEFK${randomBytes(6).toString("hex")}=`, {
    mime: EML.toString("latin1"),
    from: "pdn@ti.com",
    subject: "PDN 20260113002",
    plain: "see the MIME",
  });

it("fetches the stored message with the API key and stores it as a raw post", async () => {
  const res = await app.post("mailgun", notifyPost(stored()));
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  expect(fake.requests).toHaveLength(1);
  expect(fake.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`api:${API_KEY}`).toString("base64")}`);
  expect(fake.requests[0]!.accept).toBe("message/rfc2822");
  const notice = rec.stored[0]!;
  expect(notice.contentType).toBe("application/x-www-form-urlencoded");
  const email = await normalizeStoredEmail("mailgun", notice.contentType, notice.raw);
  expect(email.subject).toMatch(/TPS54331/);
  expect(email.text ?? email.html).toMatch(/TPS54331D/);
});

it("retries a 429 and a 503 from the storage API, then takes the message", async () => {
  fake.script.push(
    { status: 429, body: JSON.stringify({ message: "Too many requests" }), headers: { "retry-after": "1" } },
    { status: 503, body: "" },
  );
  const res = await app.post("mailgun", notifyPost(stored()));
  expect(res.status).toBe(202);
  expect(fake.requests).toHaveLength(3);
});

it("answers 503 (Mailgun retries) when the API key is refused with 401, storing nothing", async () => {
  const bad = await appWith({ MAILGUN_API_KEY: "key-wrong-wrong-wrong" });
  const res = await bad.post("mailgun", notifyPost(stored()));
  expect(res.status).toBe(503);
  expect(res.json.message).toMatch(/retry later/);
  expect(rec.stored).toHaveLength(0);
});

it("answers 406 (Mailgun stops) when the stored message is gone (404)", async () => {
  const res = await app.post(
    "mailgun",
    notifyPost(`${fake.url}/v3/domains/inbound.example.com/messages/nope=`),
  );
  expect(res.status).toBe(406);
  expect(JSON.stringify(res.json)).toMatch(/no stored message/);
});

it.each([
  ["a bad signature", (u: string) => notifyPost(u, { tamper: true }), {}],
  ["a route without MAILGUN_SIGNING_KEY", (u: string) => notifyPost(u), { MAILGUN_SIGNING_KEY: "" }],
  ["plain http", (u: string) => notifyPost(u.replace("https:", "http:")), {}],
  ["a host not on the allow-list", (u: string) => notifyPost(u.replace("127.0.0.1", "localhost")), {}],
  [
    "the default allow-list (Mailgun's own hosts only)",
    (u: string) => notifyPost(u),
    { MAILGUN_STORAGE_HOSTS: "" },
  ],
  ["credentials in the URL", (u: string) => notifyPost(u.replace("https://", "https://x:y@")), {}],
] as const)("never fetches for %s", async (_, post, env) => {
  const a = Object.keys(env).length > 0 ? await appWith(env) : app;
  const res = await a.post("mailgun", post(stored()));
  expect(res.status).toBe(406);
  expect(fake.requests).toHaveLength(0);
  expect(rec.stored).toHaveLength(0);
});

it("does not follow a redirect elsewhere", async () => {
  fake.script.push({ status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } });
  const res = await app.post("mailgun", notifyPost(stored()));
  expect(res.status).toBe(503);
  expect(fake.requests).toHaveLength(1);
  expect(rec.stored).toHaveLength(0);
});

it("refuses an answer over the size limit without reading it", async () => {
  fake.script.push({ status: 200, headers: { "content-length": String(64 * 1024 * 1024) }, body: "{}" });
  const res = await app.post("mailgun", notifyPost(stored()));
  expect(res.status).toBe(406);
  expect(JSON.stringify(res.json)).toMatch(/over/);
});
