import { describe, expect, it } from "vitest";
import { SlackMessage } from "../../test/fakes/slack.fake.ts";
import { validateTeams } from "../../test/fakes/teams.fake.ts";
import { notificationCase } from "../../test/notify/cases.fixture.ts";
import { PROVISIONAL_NOTE } from "./format.ts";
import type { OutgoingMessage } from "./message.ts";
import { renderSlack } from "./slack.message.ts";
import { renderTeams } from "./teams.message.ts";
import { renderWebhook } from "./webhook.message.ts";

/**
 * A provisional case (issue 19: it rests on a notice nobody has checked yet) says so in its title and
 * in plain words near the top of every channel's message; other cases say nothing of it.
 */
const msg = (provisional: boolean): OutgoingMessage => ({
  kind: "case",
  deliveryId: "dlv_p",
  case: notificationCase(3, provisional ? { provisional: true } : {}),
});

describe("provisional cases in messages", () => {
  it("Slack: the title and the first section say it, within Block Kit's shape", () => {
    const p = renderSlack(msg(true));
    expect(SlackMessage.safeParse(p).success).toBe(true);
    expect(p.text).toMatch(/^Provisional — New case: Texas Instruments LM317-3/);
    expect(JSON.stringify(p.blocks?.slice(0, 2))).toContain(PROVISIONAL_NOTE);
    expect(JSON.stringify(renderSlack(msg(false)))).not.toContain("rovisional");
  });

  it("Teams: the card's first lines say it, and the card stays valid", () => {
    const p = renderTeams(msg(true));
    expect(validateTeams(JSON.stringify(p))).toBeNull();
    const body = p.attachments[0]!.content.body;
    expect(body[0]).toMatchObject({ text: expect.stringMatching(/^Provisional — New case/) });
    expect(body[1]).toMatchObject({ text: PROVISIONAL_NOTE, weight: "Bolder" });
    expect(JSON.stringify(renderTeams(msg(false)))).not.toContain("rovisional");
  });

  it("webhook: the event carries `provisional: true` for the receiving system", () => {
    const e = renderWebhook(msg(true), new Date("2026-12-01T00:00:00Z"));
    expect(e.data).toMatchObject({ provisional: true });
    expect(renderWebhook(msg(false), new Date()).data).not.toHaveProperty("provisional");
  });
});
