import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SlackMessage, validateSlack } from "../../test/fakes/slack.fake.ts";
import { TeamsMessage, validateTeams } from "../../test/fakes/teams.fake.ts";
import { notificationCase } from "../../test/notify/cases.fixture.ts";
import type { OutgoingMessage } from "./message.ts";
import { caseUrl, daysUntil } from "./notification.types.ts";
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
