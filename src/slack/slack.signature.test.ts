import { describe, expect, it } from "vitest";
import { caseActionsBlockId, parseInteraction } from "./slack.interaction.ts";
import { signSlackRequest, verifySlackSignature } from "./slack.signature.ts";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const now = new Date("2026-12-01T10:00:00Z");
const ts = String(Math.floor(now.getTime() / 1000));
const body = Buffer.from("payload=%7B%22type%22%3A%22block_actions%22%7D");

describe("Slack request signature", () => {
  it("matches Slack's documented example", () => {
    // https://docs.slack.dev/authentication/verifying-requests-from-slack (the worked example).
    const raw =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signSlackRequest(SECRET, 1531420618, raw)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });

  it("accepts a valid signature within five minutes", () => {
    const signature = signSlackRequest(SECRET, ts, body);
    const v = verifySlackSignature({ secret: SECRET, timestamp: ts, signature, rawBody: body, now });
    expect(v).toEqual({ kind: "valid", timestamp: Number(ts), signature });
    const later = new Date(now.getTime() + 299_000);
    expect(
      verifySlackSignature({ secret: SECRET, timestamp: ts, signature, rawBody: body, now: later }).kind,
    ).toBe("valid");
  });

  it("refuses another secret, another body, a stale or future timestamp, and malformed headers", () => {
    const signature = signSlackRequest(SECRET, ts, body);
    const check = (o: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
      verifySlackSignature({ secret: SECRET, timestamp: ts, signature, rawBody: body, now, ...o });
    expect(check({ secret: "another-secret-entirely" })).toEqual({
      kind: "rejected",
      reason: "bad_signature",
    });
    expect(check({ rawBody: Buffer.concat([body, Buffer.from("x")]) }).kind).toBe("rejected");
    expect(check({ now: new Date(now.getTime() + 301_000) })).toEqual({ kind: "rejected", reason: "stale" });
    expect(check({ now: new Date(now.getTime() - 301_000) })).toEqual({ kind: "rejected", reason: "stale" });
    expect(check({ signature: undefined })).toEqual({ kind: "rejected", reason: "missing_signature" });
    expect(check({ signature: "v1=abc" })).toEqual({ kind: "rejected", reason: "malformed_signature" });
    expect(check({ timestamp: "yesterday" })).toEqual({ kind: "rejected", reason: "malformed_signature" });
    // A forged signature on an old timestamp is "bad", never "stale": forgers learn nothing of the window.
    const old = String(Number(ts) - 3600);
    expect(check({ timestamp: old })).toEqual({ kind: "rejected", reason: "bad_signature" });
  });
});

describe("Slack interaction payload", () => {
  const CASE = "0b8e7c1e-2d55-4f4c-9a53-2c1d9c0f4a11";
  const form = (payload: unknown) =>
    Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const click = (action_id: string, extra: object = {}) => ({
    type: "block_actions",
    user: { id: "U024BE7LH", username: "alice", team_id: "T1" },
    team: { id: "T1" },
    response_url: "https://hooks.slack.com/actions/T1/1/abc",
    actions: [
      { type: "button", action_id, value: CASE, block_id: caseActionsBlockId(2, "last_time_buy"), ...extra },
    ],
  });

  it("reads our two buttons with the case, the user, the response URL and what the message showed", () => {
    expect(parseInteraction(form(click("eolgate_decide")))).toEqual({
      kind: "case_action",
      action: "decide",
      caseId: CASE,
      slackUserId: "U024BE7LH",
      slackUserName: "alice",
      responseUrl: "https://hooks.slack.com/actions/T1/1/abc",
      shown: { reportVersion: 2, recommendation: "last_time_buy" },
    });
    expect(parseInteraction(form(click("eolgate_acknowledge")))).toMatchObject({ action: "acknowledge" });
  });

  it("ignores the Open link and other interaction types; refuses broken payloads", () => {
    expect(parseInteraction(form(click("open_case"))).kind).toBe("ignored");
    expect(parseInteraction(form({ type: "view_submission" })).kind).toBe("ignored");
    expect(parseInteraction(Buffer.from("text=hello"))).toEqual({
      kind: "invalid",
      reason: "no payload field",
    });
    expect(parseInteraction(Buffer.from("payload=%7Bnot"))).toEqual({
      kind: "invalid",
      reason: "payload is not JSON",
    });
    expect(parseInteraction(form({ type: "block_actions", actions: [] })).kind).toBe("invalid");
    expect(parseInteraction(form(click("eolgate_decide", { value: "DROP TABLE" }))).kind).toBe("invalid");
  });
});
