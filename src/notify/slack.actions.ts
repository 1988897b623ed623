import { money, OPTION_LABEL } from "./format.ts";
import type { NotificationCase } from "./notification.types.ts";
import type { SlackBlock } from "./slack.blocks.ts";

/**
 * The workflow part of a Slack case message (DESIGN §11): a line saying where the case stands once
 * someone acted, and the buttons that still make sense: Acknowledge while the case is open, Decide as
 * recommended while it is undecided and has a recommendation, and always Open (a link to the console's
 * case page). Buttons carry `action_id` `eolgate_acknowledge` / `eolgate_decide` and the case id as
 * `value`; the block id carries what the message recommends, so a click decides what was shown.
 */
export const SLACK_ACTION_IDS = { acknowledge: "eolgate_acknowledge", decide: "eolgate_decide" } as const;

/**
 * The actions block of a case message carries the recommendation the message showed, so "Decide as
 * recommended" decides what the person saw, not a recommendation that changed since:
 * `eolgate_case:<report version>:<recommendation>` (read back by src/slack/slack.interaction.ts).
 */
export function caseActionsBlockId(reportVersion: number, recommendation: string): string {
  return `eolgate_case:${reportVersion}:${recommendation}`;
}

const STATE_LABEL: Record<string, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  decided: "Decided",
  mitigating: "Mitigating",
  closed: "Closed",
  dismissed: "Dismissed",
};

type Button = Extract<SlackBlock, { type: "actions" }>["elements"][number];
const button = (text: string, extra: Omit<Button, "type" | "text">): Button => ({
  type: "button",
  text: { type: "plain_text", text, emoji: true },
  ...extra,
});

export function slackCaseActions(c: NotificationCase): SlackBlock[] {
  const w = c.workflow;
  const state = w?.state ?? "open";
  const blocks: SlackBlock[] = [];
  if (w && (w.last || w.assignee || state !== "open")) {
    const parts = [`*${STATE_LABEL[state]}*`];
    if (w.decision) {
      const qty =
        w.decision.quantity === null ? "" : `, ${w.decision.quantity.toLocaleString("en-US")} units`;
      parts.push(`${OPTION_LABEL[w.decision.option]}${qty}, decided by ${w.decision.decided_by}`);
    } else if (w.last) parts.push(`by ${w.last.actor}`);
    if (w.last) parts.push(`${w.last.at.slice(0, 16).replace("T", " ")} UTC`);
    if (w.assignee) parts.push(`assigned to ${w.assignee}`);
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: parts.join(" · ") }] });
  }
  const elements: Button[] = [];
  if (state === "open")
    elements.push(button("Acknowledge", { action_id: SLACK_ACTION_IDS.acknowledge, value: c.case_id }));
  if ((state === "open" || state === "acknowledged") && c.recommendation !== "none")
    elements.push(
      button(
        `Decide: ${OPTION_LABEL[c.recommendation]} (${money(c.recommendation_cost, c.currency)})`.slice(
          0,
          75,
        ),
        {
          action_id: SLACK_ACTION_IDS.decide,
          value: c.case_id,
          style: "primary",
        },
      ),
    );
  elements.push(button("Open case", { action_id: "open_case", url: c.case_url }));
  blocks.push({ type: "actions", block_id: caseActionsBlockId(c.version, c.recommendation), elements });
  return blocks;
}
