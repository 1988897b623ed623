import { z } from "zod";
import { caseActionsBlockId, SLACK_ACTION_IDS } from "../notify/slack.actions.ts";

/**
 * The part of Slack's `block_actions` interaction payload we use
 * (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload). Slack posts it as
 * `application/x-www-form-urlencoded` with one field, `payload`, holding the JSON. Pure.
 */
export { caseActionsBlockId, SLACK_ACTION_IDS };

/** The actions block id of a case message (`caseActionsBlockId`): what the message recommended. */
function parseBlockId(blockId: string | undefined): { reportVersion: number; recommendation: string } | null {
  const m = /^eolgate_case:(\d+):([a-z_]+)$/.exec(blockId ?? "");
  return m ? { reportVersion: Number(m[1]), recommendation: m[2]! } : null;
}

const BlockActions = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  response_url: z.url().optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
        type: z.string(),
      }),
    )
    .min(1),
});

export type SlackCaseAction = "acknowledge" | "decide";

export type ParsedInteraction =
  | {
      kind: "case_action";
      action: SlackCaseAction;
      caseId: string;
      slackUserId: string;
      slackUserName: string | null;
      responseUrl: string | null;
      /** What the message showed, when it says (messages sent before this field existed do not). */
      shown: { reportVersion: number; recommendation: string } | null;
    }
  /** A real interaction we have nothing to do for (the Open link button, another app's action). */
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseInteraction(rawBody: Buffer): ParsedInteraction {
  const form = new URLSearchParams(rawBody.toString("utf8"));
  const payload = form.get("payload");
  if (!payload) return { kind: "invalid", reason: "no payload field" };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { kind: "invalid", reason: "payload is not JSON" };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== "block_actions") return { kind: "ignored", reason: `interaction type ${String(type)}` };
  const r = BlockActions.safeParse(json);
  if (!r.success) return { kind: "invalid", reason: "block_actions payload lacks user or actions" };
  const p = r.data;
  const a = p.actions[0]!;
  const action =
    a.action_id === SLACK_ACTION_IDS.acknowledge
      ? "acknowledge"
      : a.action_id === SLACK_ACTION_IDS.decide
        ? "decide"
        : null;
  if (!action) return { kind: "ignored", reason: `action ${a.action_id}` };
  if (!a.value || !UUID.test(a.value)) return { kind: "invalid", reason: "button value is not a case id" };
  return {
    kind: "case_action",
    action,
    caseId: a.value.toLowerCase(),
    slackUserId: p.user.id,
    slackUserName: p.user.username ?? p.user.name ?? null,
    responseUrl: p.response_url ?? null,
    shown: parseBlockId(a.block_id),
  };
}
