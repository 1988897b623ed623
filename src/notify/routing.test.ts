import { describe, expect, it } from "vitest";
import { notificationCase, routingTo } from "../../test/notify/cases.fixture.ts";
import { ConfigError } from "../config.ts";
import { route, routingFromSettings } from "./routing.ts";

const SLACK_A = "https://hooks.slack.com/services/T000/B000/aaaaaaaaaaaa";
const SLACK_B = "https://hooks.slack.com/services/T000/B111/bbbbbbbbbbbb";
const TEAMS =
  "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cret";

describe("routing settings", () => {
  it("reads NOTIFY_ROUTES and adds the single-URL settings to the default route", () => {
    const r = routingFromSettings({
      NOTIFY_ROUTES: JSON.stringify({
        instruments: [`slack:${SLACK_A}`, `teams:${TEAMS}`],
        default: [`slack:${SLACK_B}`],
      }),
      SLACK_WEBHOOK_URL: SLACK_A,
      WEBHOOK_URL: "https://erp.example.com/hooks/eol",
      NOTIFY_MIN_REVENUE_AT_RISK: 500,
    });
    expect([...r.routes.keys()].sort()).toEqual(["default", "instruments"]);
    expect(r.routes.get("default")!.map((d) => d.channel)).toEqual(["slack", "slack", "webhook"]);
    expect(r.destinations.size).toBe(4);
    for (const k of r.destinations.keys()) expect(k).toMatch(/^(slack|teams|webhook):[0-9a-f]{16}$/);
    expect(r.minRevenueAtRisk).toBe(500);
  });

  it.each([
    ["not JSON", "{nope", /NOTIFY_ROUTES: is not valid JSON/],
    ["not an object of lists", '{"a": "slack:https://x"}', /NOTIFY_ROUTES: must be a JSON object/],
    [
      "an unknown channel",
      '{"a": ["email:https://x.example"]}',
      /route "a" entry 1 must be <slack\|teams\|webhook>/,
    ],
    ["a bad URL", '{"a": ["slack:https://exa mple.com"]}', /route "a" entry 1 has an invalid URL/],
  ])("refuses %s, naming the variable and never echoing a URL", (_name, value, message) => {
    const run = () => routingFromSettings({ NOTIFY_ROUTES: value, NOTIFY_MIN_REVENUE_AT_RISK: 0 });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as Error).message).not.toContain("https://x");
    }
  });
});

describe("route()", () => {
  const routing = routingTo(
    [`slack:${SLACK_B}`],
    { instruments: [`slack:${SLACK_A}`, `teams:${TEAMS}`, `slack:${SLACK_B}`] },
    1_000,
  );

  it("sends to the routes of the affected products plus default, each destination once", () => {
    const d = route(notificationCase(1), routing);
    expect(d.kind).toBe("send");
    if (d.kind !== "send") return;
    expect(d.destinations.map((x) => x.url).sort()).toEqual([SLACK_A, SLACK_B, TEAMS].sort());
    expect(d.notes).toEqual([]);
  });

  it("notes an unknown route and still sends to default", () => {
    const c = notificationCase(1, {
      affected: [{ assembly_id: "X", name: "x", qty_per_unit: 1, notify_channel: "nobody" }],
    });
    const d = route(c, routing);
    expect(d).toMatchObject({ kind: "send", notes: ['unknown route "nobody"'] });
    if (d.kind === "send") expect(d.destinations.map((x) => x.url)).toEqual([SLACK_B]);
  });

  it("sends nothing for recommendation none, or under the threshold", () => {
    expect(route(notificationCase(1, { recommendation: "none" }), routing)).toEqual({
      kind: "skip",
      reason: "recommendation is none",
    });
    expect(route(notificationCase(1, { revenue_at_risk: 999.99 }), routing)).toMatchObject({
      kind: "skip",
      reason: expect.stringMatching(/below the threshold 1000/),
    });
  });

  it("sends a review or watch case (still orderable, nothing to buy) unless no product uses the part", () => {
    const open = routingFromSettings({
      NOTIFY_ROUTES: JSON.stringify({ default: [`slack:${SLACK_B}`] }),
      NOTIFY_MIN_REVENUE_AT_RISK: 0,
    });
    const review = notificationCase(1, {
      recommendation: "none",
      attention: "review",
      revenue_at_risk: 0,
      recommendation_cost: null,
    });
    expect(route(review, open)).toMatchObject({ kind: "send" });
    expect(route({ ...review, attention: "watch" }, open)).toMatchObject({ kind: "send" });
    expect(route({ ...review, affected: [] }, open)).toEqual({
      kind: "skip",
      reason: "no product with future demand uses the part",
    });
    // A case to act on with nothing to do, or a payload from before the time view, sends nothing.
    expect(route({ ...review, attention: "act" }, open)).toMatchObject({ kind: "skip" });
    const { attention: _, ...legacy } = review;
    expect(route(legacy, open)).toMatchObject({ kind: "skip", reason: "recommendation is none" });
  });

  it("skips when no destination is configured at all", () => {
    const empty = routingFromSettings({ NOTIFY_MIN_REVENUE_AT_RISK: 0 });
    expect(route(notificationCase(1), empty)).toEqual({
      kind: "skip",
      reason: "no destination configured for its routes",
    });
  });
});
