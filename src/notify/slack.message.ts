import {
  advice,
  attentionOf,
  cash,
  causeLine,
  changeLine,
  clip,
  dateWithDays,
  joinWithin,
  ltbBuy,
  ltbUnlessDecide,
  maker,
  money,
  optionLabel,
  PROVISIONAL_NOTE,
  timeLine,
  title,
  workflowLine,
} from "./format.ts";
import { byExposure, digestIntro, type OutgoingMessage, type WeeklyDigest } from "./message.ts";
import { ASSUMPTIONS_NOTE, materialChanges, type NotificationCase } from "./notification.types.ts";
import { slackCaseActions } from "./slack.actions.ts";

import type { SlackBlock, SlackPayload, Text } from "./slack.blocks.ts";

/** Slack case messages and digests (block types and limits: slack.blocks.ts). */
export type { SlackBlock, SlackPayload };

/** Slack mrkdwn control characters (https://docs.slack.dev/messaging/formatting-message-text#escaping). */
export const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const md = (text: string, max = 3000): Text => ({ type: "mrkdwn", text: clip(text, max) });
const plain = (text: string, max: number): Text => ({
  type: "plain_text",
  text: clip(text, max),
  emoji: true,
});
const link = (url: string, label: string) => `<${url}|${esc(label)}>`;

export function renderSlack(m: OutgoingMessage): SlackPayload {
  return m.kind === "case" ? slackCase(m.case, m.deliveryId) : slackDigest(m.cases, m.deliveryId, m.weekly);
}

function slackCase(c: NotificationCase, deliveryId: string): SlackPayload {
  const blocks: SlackBlock[] = [{ type: "header", text: plain(title(c), 150) }];
  if (c.provisional) blocks.push({ type: "section", text: md(`:warning: *${esc(PROVISIONAL_NOTE)}*`) });
  const why = causeLine(c);
  if (why) blocks.push({ type: "context", elements: [md(esc(why))] });
  const changed = materialChanges(c);
  if (c.event === "updated" && changed.length) {
    blocks.push({
      type: "section",
      text: md(`*What changed*\n${changed.map((ch) => `• ${esc(changeLine(ch))}`).join("\n")}`),
    });
  }
  const when = timeLine(c);
  if (when) blocks.push({ type: "section", text: md(`*${esc(when)}*`) });
  const fields: Text[] = [
    md(`*Maker*\n${esc(maker(c))}`, 2000),
    md(`*MPN*\n${esc(c.mpn)}`, 2000),
    md(`*Status*\n${c.status}`, 2000),
  ];
  // Money and buy dates only where something is bought (a review or watch case has none).
  if (attentionOf(c) === "act")
    fields.push(
      md(`*Revenue at risk*\n${cash(c, c.revenue_at_risk)}`, 2000),
      md(`*LTB date*\n${dateWithDays(c.ltb_date, c.days_to_ltb)}`, 2000),
      md(`*Last ship*\n${dateWithDays(c.last_ship_date, c.days_to_last_ship)}`, 2000),
      md(`*Recommended*\n${esc(advice(c))}`, 2000),
      md(`*P&L impact*\n${cash(c, c.recommendation_cost)}`, 2000),
    );
  const buy = ltbBuy(c);
  if (buy) fields.push(md(`*Last-time buy*\n${buy}`, 2000));
  blocks.push({ type: "section", fields });
  if (c.options.length) {
    const lines = c.options.map((o) => `• ${esc(optionLabel(c, o.kind))}: ${cash(c, o.cost)}`);
    blocks.push({ type: "section", text: md(joinWithin(["*Other feasible options*", ...lines], 3000)) });
  }
  const products = c.affected.map(
    (a) =>
      `• ${esc(a.assembly_id)} ${esc(a.name)} — ${a.qty_per_unit} per unit${a.notify_channel ? ` (${esc(a.notify_channel)})` : ""}`,
  );
  blocks.push({
    type: "section",
    text: md(joinWithin([`*Affected products (${c.affected.length})*`, ...products], 3000)),
  });
  if (c.brief) blocks.push({ type: "section", text: md(esc(c.brief)) });
  blocks.push({ type: "divider" });
  blocks.push({
    type: "context",
    elements: [
      md(`Case ${link(c.case_url, c.case_id)} · event v${c.version} · delivery ${deliveryId}`),
      md(esc(c.assumptions)),
    ],
  });
  blocks.push(...slackCaseActions(c));
  const text = `${title(c)} · ${cash(c, c.revenue_at_risk)} at risk · case ${c.case_id}`;
  return { text: clip(text, 3000), blocks };
}

/**
 * Lines per section in a digest, each clipped to DIGEST_LINE_CHARS so a section stays within
 * Slack's 3000 characters; with ≤ 45 sections the message stays under Slack's 50 blocks.
 */
const DIGEST_LINES_PER_SECTION = 12;
const DIGEST_LINE_CHARS = 240;

export function digestLine(c: NotificationCase): string {
  const upd =
    c.event === "updated" ? ` · _updated: ${esc(materialChanges(c).map(changeLine).join("; "))}_` : "";
  const severity = c.severity ? ` · *${c.severity.toUpperCase()}*` : "";
  const decide = c.decision_by
    ? ` · decide by ${dateWithDays(c.decision_by, c.days_to_decision ?? null)}`
    : "";
  const what =
    c.recommendation === "none"
      ? advice(c)
      : `${esc(optionLabel(c, c.recommendation))} ${cash(c, c.recommendation_cost)}`;
  // Where people are with the case comes early: digest lines are clipped at the end.
  const where =
    c.event !== "updated" && (c.event === "reminder" || c.workflow) ? `_${esc(workflowLine(c))}_ · ` : "";
  return (
    `• ${link(c.case_url, c.case_id)} *${esc(maker(c))} ${esc(c.mpn)}* ${c.status}${severity} · ${where}` +
    `*${cash(c, c.revenue_at_risk)}* at risk${decide}${ltbUnlessDecide(c)} · ${what}${upd}`
  );
}

function slackDigest(cases: NotificationCase[], deliveryId: string, weekly?: WeeklyDigest): SlackPayload {
  const sorted = byExposure(cases);
  const total = sorted.reduce((s, c) => s + c.revenue_at_risk, 0);
  const currency = sorted[0]?.currency;
  const head = weekly
    ? `Week of ${weekly.week}: ${sorted.length} open obsolescence cases · ${money(total, currency)} at risk`
    : `Digest: ${sorted.length} obsolescence cases · ${money(total, currency)} at risk`;
  const blocks: SlackBlock[] = [
    { type: "header", text: plain(head, 150) },
    { type: "context", elements: [md(digestIntro(weekly))] },
  ];
  for (let i = 0; i < sorted.length; i += DIGEST_LINES_PER_SECTION) {
    const lines = sorted
      .slice(i, i + DIGEST_LINES_PER_SECTION)
      .map((c) => clip(digestLine(c), DIGEST_LINE_CHARS));
    blocks.push({ type: "section", text: md(lines.join("\n")) });
  }
  blocks.push({ type: "divider" });
  blocks.push({
    type: "context",
    elements: [md(`delivery ${deliveryId}`), md(esc(sorted[0]?.assumptions || ASSUMPTIONS_NOTE))],
  });
  return { text: clip(head, 3000), blocks };
}
