import { afterEach, describe, expect, it } from "vitest";
import type { HttpFake } from "../../test/fakes/http-fake.base.ts";
import { slackReplies, startFakeSlack } from "../../test/fakes/slack.fake.ts";
import { startFakeTeams, teamsReplies } from "../../test/fakes/teams.fake.ts";
import { notificationCase } from "../../test/notify/cases.fixture.ts";
import { createHttpSender, parseRetryAfter } from "./channel.send.ts";
import { parseDestination } from "./routing.ts";

const fakes: HttpFake[] = [];
afterEach(async () => {
  while (fakes.length) await fakes.pop()!.close();
});
const msg = { kind: "case" as const, deliveryId: "dlv_test", case: notificationCase(1) };
// A loaded machine may take longer than 300 ms to answer the first request: only the timeout case
// uses the short deadline, with a reply ten times slower than it.
const send = createHttpSender({ timeoutMs: 10_000, now: Date.now });
const impatient = createHttpSender({ timeoutMs: 300, now: Date.now });
const dest = (spec: string) => {
  const d = parseDestination(spec);
  if ("error" in d) throw new Error(d.error);
  return d;
};

describe("HTTP sender against a fake Slack", () => {
  it.each([
    ["200 ok", slackReplies.ok, { kind: "delivered", status: 200, body: "ok" }],
    [
      "429 Retry-After: 3",
      slackReplies.tooMany(3),
      { kind: "rate_limited", status: 429, retryAfterMs: 3000 },
    ],
    [
      "400 invalid_payload",
      slackReplies.invalidPayload,
      { kind: "permanent", status: 400, reason: "invalid_payload" },
    ],
    ["404 no_service", slackReplies.noService, { kind: "permanent", status: 404, reason: "no_service" }],
    [
      "404 channel_not_found",
      slackReplies.channelNotFound,
      { kind: "permanent", reason: "channel_not_found" },
    ],
    ["403 action_prohibited", { status: 403, body: "action_prohibited" }, { kind: "permanent", status: 403 }],
    ["500", slackReplies.serverError, { kind: "retryable", status: 500 }],
    [
      "a slow reply past the timeout",
      { ...slackReplies.ok, delayMs: 3_000 },
      { kind: "retryable", status: null, reason: "timeout after 300 ms" },
    ],
  ])("classifies %s", async (_n, reply, expected) => {
    const slack = await startFakeSlack({ ratePerSec: null, script: [reply] });
    fakes.push(slack);
    const sender = "delayMs" in reply ? impatient : send;
    expect(await sender(dest(`slack:${slack.url}`), msg)).toMatchObject(expected);
    expect(slack.received[0]!.deliveryId).toBe("dlv_test");
  });

  it("a connection failure is retryable and does not echo the URL", async () => {
    const out = await send(dest("slack:http://127.0.0.1:1/services/T/B/secret"), msg);
    expect(out).toMatchObject({ kind: "retryable", status: null });
    expect(JSON.stringify(out)).not.toContain("secret");
  });
});

describe("HTTP sender against a fake Teams workflow", () => {
  it.each([
    ["202 Accepted", teamsReplies.ok, { kind: "delivered", status: 202 }],
    ["429", teamsReplies.tooMany(2), { kind: "rate_limited", retryAfterMs: 2000 }],
    ["404 workflow gone", teamsReplies.notFound, { kind: "permanent", status: 404 }],
    ["502", teamsReplies.serverError, { kind: "retryable", status: 502 }],
  ])("classifies %s", async (_n, reply, expected) => {
    const teams = await startFakeTeams({ script: [reply] });
    fakes.push(teams);
    expect(await send(dest(`teams:${teams.url}`), msg)).toMatchObject(expected);
  });

  it("a card the workflow refuses (400 with its JSON error) is permanent, keeping the error", async () => {
    const teams = await startFakeTeams({
      script: [{ status: 400, body: '{"error":{"code":"InvalidRequestContent","message":"body.0: bad"}}' }],
    });
    fakes.push(teams);
    expect(await send(dest(`teams:${teams.url}`), msg)).toMatchObject({
      kind: "permanent",
      status: 400,
      reason: expect.stringContaining("InvalidRequestContent"),
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, and falls back when absent or garbled", () => {
    const now = Date.parse("2026-11-28T12:00:00Z");
    expect(parseRetryAfter("2", now, 999)).toBe(2000);
    expect(parseRetryAfter("0.5", now, 999)).toBe(500);
    expect(parseRetryAfter("Sat, 28 Nov 2026 12:00:05 GMT", now, 999)).toBe(5000);
    expect(parseRetryAfter("Sat, 28 Nov 2026 11:00:00 GMT", now, 999)).toBe(0);
    expect(parseRetryAfter(null, now, 999)).toBe(999);
    expect(parseRetryAfter("soon", now, 999)).toBe(999);
  });
});
