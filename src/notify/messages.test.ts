import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SlackMessage, validateSlack } from "../../test/fakes/slack.fake.ts";
import { TeamsMessage, validateTeams } from "../../test/fakes/teams.fake.ts";
import { notificationCase } from "../../test/notify/cases.fixture.ts";
import type { OutgoingMessage } from "./message.ts";
import { caseUrl, daysUntil, materialChanges } from "./notification.types.ts";
import { renderSlack } from "./slack.message.ts";
import { renderTeams } from "./teams.message.ts";
import { newWebhookSecret, renderWebhook, signedHeaders } from "./webhook.message.ts";

const update = {
  event: "updated",
  version: 2,
  changes: [
    { field: "status", from: "nrnd", to: "ltb" },
    { field: "ltb_date", from: null, to: "2027-03-31" },
    { field: "revenue_at_risk", from: 1, to: 2 },
  ],
} as const;
const updated = notificationCase(7, {
  ...update,
  changes: [...update.changes],
  brief: "TI announced the LTB; two products use it. <b>Buy now</b> & qualify the alternate.",
});
const long = notificationCase(9, {
  mpn: "X".repeat(400),
  manufacturer: "M".repeat(400),
  affected: Array.from({ length: 300 }, (_, i) => ({
    assembly_id: `A-${i}`,
    name: "A very long assembly name ".repeat(4),
    qty_per_unit: i,
    notify_channel: null,
  })),
  brief: "b".repeat(5000),
});
const single = (c = notificationCase(1)): OutgoingMessage => ({ kind: "case", deliveryId: "dlv_1", case: c });
const digest: OutgoingMessage = {
  kind: "digest",
  deliveryId: "dg_1",
  cases: Array.from({ length: 100 }, (_, i) =>
    notificationCase(i, i % 3 ? {} : { ...update, changes: [...update.changes] }),
  ),
};

describe("Slack Block Kit payloads", () => {
  it.each([
    ["a new case", single()],
    ["an update", single(updated)],
    ["a case with oversized fields", single(long)],
    ["a digest of 100 cases", digest],
  ])("%s validates against the documented Block Kit shape and limits", (_n, m) => {
    const p = renderSlack(m);
    expect(SlackMessage.safeParse(p).error?.issues ?? []).toEqual([]);
    expect(validateSlack(JSON.stringify(p))).toBeNull();
  });

  it("carries every field the issue asks for", () => {
    const raw = JSON.stringify(renderSlack(single()));
    for (const s of [
      "Texas Instruments",
      "LM317-1",
      "ltb",
      "2027-03-31 (123 d left)",
      "2027-09-30 (306 d left)",
      "$10,137.25",
      "Last-time buy",
      "$1,234.50",
      "Qualify drop-in alternate: $41,000.00",
      "Redesign: $1,118,000.00",
      "A-100 Bench power supply — 2 per unit",
      "<https://eolgate.example.com/cases/case-0001|case-0001>",
      "common industry practice, not a published standard",
    ])
      expect(raw).toContain(s);
  });

  it("an update says what changed (material changes only) and escapes mrkdwn", () => {
    const raw = JSON.stringify(renderSlack(single(updated)));
    expect(raw).toContain("Status: nrnd → ltb");
    expect(raw).toContain("LTB date: — → 2027-03-31");
    expect(raw).not.toContain("revenue_at_risk: 1");
    expect(raw).toContain("&lt;b&gt;Buy now&lt;/b&gt; &amp; qualify");
  });

  it("a digest lists every case, largest exposure first", () => {
    const raw = JSON.stringify(renderSlack(digest));
    const ids = [...raw.matchAll(/case-(\d{4})\|/g)].map((m) => Number(m[1]));
    expect(new Set(ids).size).toBe(100);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("the fake's schema accepts Slack's documented example and refuses broken blocks", () => {
    // From https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks (Block Kit example).
    const documented = {
      text: "Danny Torrence left a 1 star review for your property.",
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: "Danny Torrence left the following review for your property:" },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: "<https://example.com|Overlook Hotel> \n :star: \n Doors had too many axe holes.",
          },
        },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Average Rating*\n1.0" },
            { type: "mrkdwn", text: "*Updated*\n2024-01-01" },
          ],
        },
      ],
    };
    expect(validateSlack(JSON.stringify(documented))).toBeNull();
    expect(validateSlack("{not json")).toEqual({ status: 400, body: "invalid_payload" });
    const tooLongHeader = {
      blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
    };
    expect(validateSlack(JSON.stringify(tooLongHeader))).toEqual({ status: 400, body: "invalid_blocks" });
    const elevenFields = {
      blocks: [
        { type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "x" })) },
      ],
    };
    expect(validateSlack(JSON.stringify(elevenFields))?.body).toBe("invalid_blocks");
    const tooMany = { blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) };
    expect(validateSlack(JSON.stringify(tooMany))?.body).toBe("invalid_blocks");
    expect(validateSlack(JSON.stringify({ blocks: [{ type: "image" }] }))?.body).toBe("invalid_blocks");
  });
});

describe("the time view and review/watch cases in every format (DESIGN §6b, §6 step 0)", () => {
  const review = notificationCase(3, {
    status: "active",
    attention: "review",
    recommendation: "none",
    recommendation_cost: null,
    revenue_at_risk: 0,
    options: [],
    ltb_cash_outlay: null,
    ltb_date: null,
    days_to_ltb: null,
    severity: "none",
    run_out_date: null,
    decision_by: null,
    days_to_decision: null,
  });
  const worse = notificationCase(4, {
    event: "updated",
    version: 3,
    severity: "critical",
    decision_by: "2026-12-02",
    days_to_decision: 1,
    changes: [
      { field: "severity", from: "high", to: "critical" },
      { field: "decision_by", from: "2027-03-31", to: "2026-12-02" },
    ],
  });
  const slack = (m: OutgoingMessage) => JSON.stringify(renderSlack(m));
  const teams = (m: OutgoingMessage) => JSON.stringify(renderTeams(m));
  const hook = (m: OutgoingMessage) => JSON.stringify(renderWebhook(m, new Date("2026-11-28T00:00:00Z")));

  it("shows severity, run-out date and decide-by in Slack, Teams and the webhook", () => {
    const slackText = slack(single());
    expect(slackText).toContain(
      "*Severity HIGH · stock runs out 2027-02-14 (2.5 months) · decide by 2027-03-31 (123 d left)*",
    );
    const teamsText = teams(single());
    for (const fact of [
      '{"title":"Severity","value":"HIGH"}',
      '{"title":"Stock runs out","value":"2027-02-14 (2.5 months)"}',
      '{"title":"Decide by","value":"2027-03-31 (123 d left)"}',
    ])
      expect(teamsText).toContain(fact);
    expect(hook(single())).toContain(
      '"severity":"high","run_out_date":"2027-02-14","coverage_months":2.5,"decision_by":"2027-03-31"',
    );
    for (const text of [slack(digest), teams(digest)])
      expect(text).toContain("decide by 2027-03-31 (123 d left)");
    expect(slack(single())).toContain("notional planning figures");
  });

  it("says a review case needs no buy, and why", () => {
    for (const text of [slack(single(review)), teams(single(review))]) {
      expect(text).toContain("is ACTIVE — Review the change: still orderable, no buy needed");
      expect(text).toContain("Still orderable as usual: a review item");
      expect(text).not.toContain("Last-time buy");
    }
    const watch = { ...review, status: "nrnd" as const, attention: "watch" as const };
    expect(slack(single(watch))).toContain("is NRND — Watch: still orderable, no buy needed");
    expect(teams(single(watch))).toContain("a watch item, no buy advice");
    expect(slack({ kind: "digest", deliveryId: "dg_2", cases: [review, notificationCase(5)] })).toContain(
      "Review the change: still orderable, no buy needed",
    );
  });

  it("an update of severity or decide-by is material and says what changed", () => {
    expect(materialChanges(worse)).toHaveLength(2);
    for (const text of [slack(single(worse)), teams(single(worse))]) {
      expect(text).toContain("Severity: high → critical");
      expect(text).toContain("Decide by: 2027-03-31 → 2026-12-02");
    }
  });

  it("renders a payload enqueued before the time view without it", () => {
    const { attention, severity, run_out_date, coverage_months, decision_by, days_to_decision, ...legacy } =
      notificationCase(6);
    const text = slack(single(legacy));
    expect(text).not.toContain("Severity");
    expect(text).toContain("Last-time buy");
    expect(SlackMessage.safeParse(renderSlack(single(legacy))).success).toBe(true);
  });
});

describe("what to do, with its money (issue 16)", () => {
  const act = notificationCase(3, {
    recommendation: "alternate",
    recommendation_cost: 41_000,
    alternate_part: { manufacturer: "Texas Instruments", mpn: "TPS54331DR" },
    substitute_part: { manufacturer: "onsemi", mpn: "NCP3170ADR2G" },
    options: [
      { kind: "last_time_buy", cost: 3_534 },
      { kind: "substitute", cost: 34_000 },
    ],
    ltb_quantity: 302_027,
    ltb_cash_outlay: 6_343,
    currency: "EUR",
  });
  const formats = (c: ReturnType<typeof notificationCase>) => [
    JSON.stringify(renderSlack(single(c))),
    JSON.stringify(renderTeams(single(c))),
  ];

  it("names the alternate or substitute each option means, the LTB quantity and its cash", () => {
    for (const raw of formats(act)) {
      expect(raw).toContain("Qualify drop-in alternate Texas Instruments TPS54331DR");
      expect(raw).toContain("Qualify substitute onsemi NCP3170ADR2G: €34,000.00");
      expect(raw).toContain("Last-time buy of 302,027 units: €3,534.00");
      expect(raw).toContain("302,027 units, cash outlay €6,343.00");
    }
  });

  it("shows every amount in the case's currency, USD for a payload from before CURRENCY", () => {
    for (const raw of formats(act)) {
      expect(raw).not.toMatch(/\$\d/);
      expect(raw).toContain("€41,000.00");
    }
    const { currency: _c, ...old } = notificationCase(1);
    expect(JSON.stringify(renderSlack(single(old)))).toContain("$10,137.25");
  });

  it("says a re-evaluation made the case, and after which BOM import", () => {
    const c = notificationCase(5, {
      cause: {
        kind: "reevaluation",
        notice_trace_id: "3f5c2a7e-8b1d-4c9e-a0f4-6d2b7e9c1a58",
        bom_version: 3,
      },
    });
    for (const raw of formats(c)) {
      expect(raw).toContain("New case (re-evaluation): Texas Instruments LM317-5");
      expect(raw).toContain("Re-evaluated after BOM import v3: notice 3f5c2a7e-8b1d-4c9e-a0f4-6d2b7e9c1a58");
    }
    expect(renderWebhook(single(c), new Date()).data).toMatchObject({ cause: { kind: "reevaluation" } });
    expect(SlackMessage.safeParse(renderSlack(single(c))).error?.issues ?? []).toEqual([]);
  });
});

describe("Teams Adaptive Card payloads", () => {
  it.each([
    ["a new case", single()],
    ["an update", single(updated)],
    ["a case with oversized fields", single(long)],
    ["a digest of 100 cases", digest],
  ])("%s validates as a Workflows message with an Adaptive Card ≥ 1.4", (_n, m) => {
    const p = renderTeams(m);
    expect(TeamsMessage.safeParse(p).error?.issues ?? []).toEqual([]);
    expect(validateTeams(JSON.stringify(p))).toBeNull();
    expect(p.attachments[0]!.content.version).toBe("1.4");
  });

  it("the fake's schema accepts Microsoft's documented card example and refuses a bad card", () => {
    // From learn.microsoft.com "Create incoming webhooks with Workflows" (message with an Adaptive Card).
    const documented = {
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [{ type: "TextBlock", text: "Hello from the workflow" }],
          },
        },
      ],
    };
    expect(validateTeams(JSON.stringify(documented))).toBeNull();
    const old = structuredClone(documented);
    old.attachments[0]!.content.version = "1.2";
    expect(validateTeams(JSON.stringify(old))).toMatchObject({
      status: 400,
      body: expect.stringContaining("1.4"),
    });
    expect(validateTeams(JSON.stringify({ type: "message", attachments: [] }))?.status).toBe(400);
  });
});

describe("signed webhook", () => {
  it("signs per Standard Webhooks: the official verifier accepts it, a tampered body fails", () => {
    const secret = newWebhookSecret();
    const now = new Date();
    const body = JSON.stringify(renderWebhook(single(updated), now));
    const headers = signedHeaders("dlv_abc", body, now, secret);
    expect(headers["webhook-id"]).toBe("dlv_abc");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({
      type: "case.updated",
      data: { delivery_id: "dlv_1" },
    });
    expect(() => new Webhook(secret).verify(body.replace("ltb", "LTB"), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe("dates and links", () => {
  it("counts whole days to a date from the injected now", () => {
    const now = new Date("2026-11-28T13:00:00Z");
    expect(daysUntil("2026-11-29", now)).toBe(1);
    expect(daysUntil("2026-11-28", now)).toBe(0);
    expect(daysUntil("2026-11-01", now)).toBe(-27);
    expect(daysUntil(null, now)).toBeNull();
    expect(daysUntil("not a date", now)).toBeNull();
  });
  it("builds the case URL from PUBLIC_BASE_URL", () => {
    expect(caseUrl("https://eol.example.com/gw", "c 1")).toBe("https://eol.example.com/gw/cases/c%201");
    expect(caseUrl("https://eol.example.com/", "c1")).toBe("https://eol.example.com/cases/c1");
  });
});
