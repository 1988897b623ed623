import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { loadConfig } from "../../src/config.ts";
import { isoDay } from "../../src/impact/impact.model.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { type FakeSlackApp, type SlackPosted, startFakeSlackApp } from "../fakes/slack.fake.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";

/**
 * Done-when of issue 12, in one embedded gateway over the fake Slack: a notice makes a case and its
 * Slack message; a reminder arrives before the decide-by date; from the message a person acknowledges
 * and then decides the case with its buttons (signed interactions); the message updates in place; the
 * case's events show who did it. Forged, stale and replayed clicks change nothing; a Slack user who is
 * not linked, or only a viewer, is told so and changes nothing.
 */
const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus");
const ADMIN = "e2e-admin-token-0123456789";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const DAY = 86_400_000;
let gw: Gateway;
let slack: FakeSlackApp;
let dir: string;
const decideBy = isoDay(new Date(Date.now() + 60 * DAY));

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-slack-e2e-"));
  slack = await startFakeSlackApp({ ratePerSec: 50 });
  // Dan is found through his Slack profile's e-mail (users.info); Vera through SLACK_USER_MAP.
  slack.directory.set("U0DAN", { name: "dan", email: "Dan.Decider@example.com" });
  slack.directory.set("U0VERA", { name: "vera", email: "vera@example.com" });
  slack.directory.set("U0STRANGER", { name: "stranger", email: "stranger@elsewhere.example" });
  gw = await startGateway(
    loadConfig({
      DATA_DIR: dir,
      PORT: "0",
      LOG_LEVEL: "silent",
      PIPELINE_POLL_MS: "50",
      API_TOKEN: ADMIN,
      SLACK_WEBHOOK_URL: slack.url,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_USER_MAP: "U0VERA=Vera Viewer",
      REMINDER_POLL_SECONDS: "1",
      PUBLIC_BASE_URL: "https://eol.example.com",
    }),
    silent,
  );
  expect((await importBom(gw.db, bomSourcesFromDir(join(CORPUS, "bom")))).kind).toBe("imported");
  expect(
    (
      await api("POST", "/v1/users", {
        name: "Dan Decider",
        role: "decider",
        email: "dan.decider@example.com",
      })
    ).status,
  ).toBe(201);
  expect((await api("POST", "/v1/users", { name: "Vera Viewer", role: "viewer" })).status).toBe(201);
});
afterAll(async () => {
  await gw?.close();
  await slack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const requestUrl = () => `${gw.url}/v1/integrations/slack/interactions`;
const click = (
  message: SlackPosted,
  actionId: string,
  user: string,
  o: { secret?: string; timestampSec?: number } = {},
) =>
  slack.click({
    message,
    actionId,
    user,
    requestUrl: requestUrl(),
    signingSecret: o.secret ?? SECRET,
    ...(o.timestampSec ? { timestampSec: o.timestampSec } : {}),
  });
const buttons = (m: SlackPosted) =>
  ((m.current.blocks ?? []) as { type: string; elements?: { action_id?: string; url?: string }[] }[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? []);
const events = async (id: string) =>
  (await api("GET", `/v1/cases/${id}/events`)).body.events as {
    actor: string;
    action: string;
    from: string;
    to: string;
    payload: Record<string, unknown>;
  }[];

it("from a Slack message a person acknowledges and decides a case; the message updates; the events name them; a reminder came first", async () => {
  const ingest = await fetch(`${gw.url}/v1/ingest/component-alert`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      source_platform: "SiliconExpert",
      manufacturer_code: "TI",
      part_number: "TPS54331D",
      lifecycle_status: "LTB",
      ltb_date: decideBy,
    }),
  });
  expect(ingest.status).toBe(202);

  // The case message, with its three buttons; then a reminder, 60 days before the decide-by date.
  const posted = await waitFor(
    async () => slack.messages().filter((m) => m.original.text?.includes("TPS54331D")),
    (l) => l.length >= 2,
    "case message and reminder",
  );
  const message = posted.find((m) => !m.original.text?.startsWith("Reminder"));
  const reminder = posted.find((m) => m.original.text?.startsWith("Reminder"))!;
  const caseId = buttons(message!).find((b) => b.action_id === "eolgate_acknowledge") as
    | { value?: string }
    | undefined;
  expect(buttons(message!).map((b) => b.action_id)).toEqual([
    "eolgate_acknowledge",
    "eolgate_decide",
    "open_case",
  ]);
  const id = caseId!.value!;
  expect(buttons(message!)[2]!.url).toBe(`https://eol.example.com/cases/${id}`);
  expect(reminder.original.text).toMatch(new RegExp(`^Reminder: decide by ${decideBy} \\(60 d left\\)`));

  // Someone not linked to eolgate, and a viewer: told so, nothing changes.
  expect((await click(message!, "eolgate_acknowledge", "U0STRANGER")).status).toBe(200);
  expect((await click(message!, "eolgate_acknowledge", "U0VERA")).status).toBe(200);
  await waitFor(
    async () => message!.ephemeral.length,
    (n) => n >= 2,
    "ephemeral refusals",
  );
  expect(message!.ephemeral.map((e) => e.user)).toEqual(["U0STRANGER", "U0VERA"]);
  expect(message!.ephemeral[0]!.text).toContain("not linked");
  expect(message!.ephemeral[1]!.text).toContain("needs the decider role");
  expect(await events(id)).toEqual([]);

  // Acknowledge: the message updates in place, the Acknowledge button is gone.
  const ack = await click(message!, "eolgate_acknowledge", "U0DAN");
  expect(ack.status).toBe(200);
  await waitFor(
    async () => message!.updates.length,
    (n) => n >= 1,
    "message update after acknowledge",
  );
  expect(buttons(message!).map((b) => b.action_id)).toEqual(["eolgate_decide", "open_case"]);
  expect(JSON.stringify(message!.current.blocks)).toContain("Acknowledged");
  expect(JSON.stringify(message!.current.blocks)).toContain("Dan Decider");

  // Decide as recommended, from the updated message.
  const decide = await click(message!, "eolgate_decide", "U0DAN");
  expect(decide.status).toBe(200);
  await waitFor(
    async () => message!.updates.length,
    (n) => n >= 2,
    "message update after decide",
  );
  expect(buttons(message!).map((b) => b.action_id)).toEqual(["open_case"]);
  expect(JSON.stringify(message!.current.blocks)).toContain("Last-time buy");
  expect(JSON.stringify(message!.current.blocks)).toContain("decided by Dan Decider");

  const history = await events(id);
  expect(history.map((e) => [e.actor, e.action, e.from, e.to])).toEqual([
    ["Dan Decider", "acknowledge", "open", "acknowledged"],
    ["Dan Decider", "decide", "acknowledged", "decided"],
  ]);
  expect(history[1]!.payload).toMatchObject({
    via: "slack",
    slack_user: "U0DAN",
    decision: { option: "last_time_buy" },
  });
  const kase = (await api("GET", `/v1/cases/${id}`)).body;
  expect(kase).toMatchObject({ state: "decided", version: 3, decision: { decided_by: "Dan Decider" } });

  // A replay of the decide click, a forged click and a stale one: 401, nothing changes.
  expect((await slack.send(decide.request)).status).toBe(401);
  expect((await click(message!, "open_case", "U0DAN", { secret: "not-the-signing-secret" })).status).toBe(
    401,
  );
  const stale = Math.floor(Date.now() / 1000) - 301;
  expect((await click(message!, "open_case", "U0DAN", { timestampSec: stale })).status).toBe(401);
  expect((await events(id)).length).toBe(2);

  // Decided: no further reminder, whatever the scheduler's passes.
  await new Promise((r) => setTimeout(r, 2500));
  expect(slack.messages().filter((m) => m.original.text?.startsWith("Reminder")).length).toBe(1);
  expect(slack.invalid).toEqual([]);
});
