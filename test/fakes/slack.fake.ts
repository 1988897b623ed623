import { z } from "zod";
import { type FakeBehaviour, type HttpFake, type Reply, startHttpFake } from "./http-fake.base.ts";

/**
 * A fake Slack incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 * `200 ok` on success; `429` with `Retry-After` (seconds) when posted to faster than about one
 * message per second, or at random; `400 invalid_payload` for a body that is not a message,
 * `400 invalid_blocks` for blocks that break Block Kit's documented limits; `404 no_service` and
 * `500` when scripted. The schema below holds the documented shapes and limits of the blocks we use
 * (https://docs.slack.dev/reference/block-kit/blocks, …/composition-objects/text-object).
 */
const text = (max: number) =>
  z.object({
    type: z.enum(["mrkdwn", "plain_text"]),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
    verbatim: z.boolean().optional(),
  });
const plain = (max: number) => text(max).extend({ type: z.literal("plain_text") });
const blockId = z.string().max(255).optional();

export const SlackBlock = z.discriminatedUnion("type", [
  z.object({ type: z.literal("header"), text: plain(150), block_id: blockId }).strict(),
  z
    .object({
      type: z.literal("section"),
      text: text(3000).optional(),
      fields: z.array(text(2000)).min(1).max(10).optional(),
      block_id: blockId,
    })
    .strict()
    .refine((s) => s.text || s.fields, "a section needs text or fields"),
  z
    .object({
      type: z.literal("context"),
      elements: z.array(text(3000)).min(1).max(10),
      block_id: blockId,
    })
    .strict(),
  z.object({ type: z.literal("divider"), block_id: blockId }).strict(),
  z
    .object({
      type: z.literal("actions"),
      block_id: blockId,
      elements: z
        .array(
          z
            .object({
              type: z.literal("button"),
              text: plain(75),
              action_id: z.string().max(255).optional(),
              url: z.url().max(3000).optional(),
              value: z.string().max(2000).optional(),
              style: z.enum(["primary", "danger"]).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(25),
    })
    .strict(),
]);

export const SlackMessage = z
  .object({
    text: z.string().max(40_000).optional(),
    blocks: z.array(SlackBlock).min(1).max(50).optional(),
    username: z.string().optional(),
    icon_emoji: z.string().optional(),
    unfurl_links: z.boolean().optional(),
  })
  .refine((m) => m.text || m.blocks, "a message needs text or blocks");

export const slackReplies = {
  ok: { status: 200, body: "ok" } as Reply,
  tooMany: (s: number): Reply => ({
    status: 429,
    body: "rate_limited",
    headers: { "retry-after": String(s) },
  }),
  invalidPayload: { status: 400, body: "invalid_payload" } as Reply,
  noService: { status: 404, body: "no_service" } as Reply,
  channelNotFound: { status: 404, body: "channel_not_found" } as Reply,
  serverError: { status: 500, body: "internal_error" } as Reply,
};

export function validateSlack(raw: string): Reply | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return slackReplies.invalidPayload;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return slackReplies.invalidPayload;
  const r = SlackMessage.safeParse(json);
  if (r.success) return null;
  const hasBlockIssue = r.error.issues.some((i) => i.path[0] === "blocks");
  return { status: 400, body: hasBlockIssue ? "invalid_blocks" : "no_text" };
}

export function startFakeSlack(behaviour: FakeBehaviour = {}): Promise<HttpFake> {
  return startHttpFake(
    { name: "slack", validate: validateSlack, ok: slackReplies.ok, tooMany: slackReplies.tooMany },
    { ratePerSec: 1, ...behaviour },
  );
}
