/**
 * Slack incoming-webhook payloads in Block Kit (https://docs.slack.dev/reference/block-kit/blocks):
 * the block types we send. Invariants kept by the renderers, checked by the fake: header text ≤ 150
 * chars, section text ≤ 3000, ≤ 10 fields of ≤ 2000 chars each, ≤ 50 blocks; `text` is the
 * notification fallback.
 */
export type Text = { type: "mrkdwn" | "plain_text"; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: "header"; text: Text }
  | { type: "section"; text?: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] }
  | { type: "divider" }
  | {
      type: "actions";
      block_id?: string;
      elements: {
        type: "button";
        text: Text;
        action_id: string;
        url?: string;
        value?: string;
        style?: "primary" | "danger";
      }[];
    };
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}
