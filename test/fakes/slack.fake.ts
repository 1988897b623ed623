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

/**
 * A Slack app around the incoming webhook, speaking the interactivity protocol
 * (https://docs.slack.dev/interactivity/handling-user-interaction):
 *  - every message accepted by the webhook is kept, with its current content;
 *  - `click` presses a button of such a message as a Slack user: it builds the `block_actions`
 *    payload (user, container, message, response_url, actions with action_id/block_id/value), posts it
 *    form-encoded (`payload=`) to the app's request URL, signed `v0` with the signing secret and
 *    `X-Slack-Request-Timestamp` (a test may pass another secret or an old timestamp), and returns the
 *    signed request so a test can `send` it again verbatim (a replay);
 *  - each interaction gets its own response URL on this server: `replace_original` replaces the
 *    message (checked against the Block Kit schema), `response_type: ephemeral` is shown to the clicking
 *    user only; at most five posts within 30 minutes, then `404 used_url` / `expired_url`;
 *  - the Web API's `users.info` (bot token in `Authorization: Bearer`) answers from a directory of
 *    users with their profile e-mail: `{ok:false, error:"invalid_auth"}` for a wrong token,
 *    `user_not_found` for an unknown id (HTTP 200, as the Web API does).
 */
export interface SlackPosted {
  ts: string;
  original: { text?: string; blocks?: unknown[] };
  current: { text?: string; blocks?: unknown[] };
  updates: unknown[];
  ephemeral: { user: string; text: string }[];
}
export interface SignedInteraction {
  url: string;
  body: string;
  headers: Record<string, string>;
}
export interface FakeSlackApp extends HttpFake {
  apiUrl: string;
  botToken: string;
  directory: Map<string, { name: string; email?: string }>;
  messages(): SlackPosted[];
  /** Every post to a response URL, answered or refused. */
  responses: { status: number; body: unknown }[];
  click(o: {
    message: SlackPosted;
    actionId: string;
    user: string;
    requestUrl: string;
    signingSecret: string;
    timestampSec?: number;
  }): Promise<{ status: number; body: string; request: SignedInteraction }>;
  send(request: SignedInteraction): Promise<{ status: number; body: string }>;
}

type Block = {
  type: string;
  block_id?: string;
  elements?: { action_id?: string; value?: string; url?: string; text?: unknown; type: string }[];
};

export async function startFakeSlackApp(behaviour: FakeBehaviour = {}): Promise<FakeSlackApp> {
  const { createHmac, randomBytes } = await import("node:crypto");
  const posted: SlackPosted[] = [];
  const responseUrls = new Map<string, { message: SlackPosted; user: string; uses: number; until: number }>();
  const responses: FakeSlackApp["responses"] = [];
  const directory = new Map<string, { name: string; email?: string }>();
  const botToken = `xoxb-fake-${randomBytes(8).toString("hex")}`;
  let seq = 0;
  const json = (status: number, body: unknown): Reply => ({
    status,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

  const fake = await startHttpFake(
    {
      name: "slack",
      validate: validateSlack,
      ok: slackReplies.ok,
      tooMany: slackReplies.tooMany,
      other(req) {
        if (req.path === "/slack/api/users.info") {
          if (req.headers.authorization !== `Bearer ${botToken}`)
            return json(200, { ok: false, error: "invalid_auth" });
          const id = req.query.get("user") ?? "";
          const u = directory.get(id);
          if (!u) return json(200, { ok: false, error: "user_not_found" });
          return json(200, {
            ok: true,
            user: {
              id,
              name: u.name,
              profile: { real_name: u.name, ...(u.email ? { email: u.email } : {}) },
            },
          });
        }
        const m = /^\/slack\/response\/([\w-]+)$/.exec(req.path);
        const target = m ? responseUrls.get(m[1]!) : undefined;
        if (req.method !== "POST" || !target) return { status: 404, body: "not_found" };
        const refuse = (status: number, body: string) => {
          responses.push({ status, body });
          return { status, body };
        };
        if (Date.now() > target.until) return refuse(404, "expired_url");
        if (target.uses >= 5) return refuse(404, "used_url");
        target.uses++;
        let body: { replace_original?: boolean; response_type?: string; text?: string; blocks?: unknown[] };
        try {
          body = JSON.parse(req.raw);
        } catch {
          return refuse(400, "invalid_payload");
        }
        if (body.response_type === "ephemeral") {
          target.message.ephemeral.push({ user: target.user, text: body.text ?? "" });
        } else if (body.replace_original) {
          const invalid = validateSlack(JSON.stringify({ text: body.text, blocks: body.blocks }));
          if (invalid) return refuse(invalid.status, invalid.body ?? "invalid");
          target.message.current = { text: body.text, blocks: body.blocks };
          target.message.updates.push(body);
        } else return refuse(400, "invalid_payload");
        responses.push({ status: 200, body });
        return json(200, { ok: true });
      },
    },
    {
      ratePerSec: 1,
      ...behaviour,
      onReceive: async (r) => {
        if (r.status >= 200 && r.status < 300) {
          const content = r.json as SlackPosted["original"];
          posted.push({
            ts: `${Math.floor(r.at / 1000)}.${String(++seq).padStart(6, "0")}`,
            original: content,
            current: content,
            updates: [],
            ephemeral: [],
          });
        }
        await behaviour.onReceive?.(r);
      },
    },
  );
  const base = new URL(fake.url).origin;

  const send = async (request: SignedInteraction) => {
    const res = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    return { status: res.status, body: await res.text() };
  };

  return {
    ...fake,
    apiUrl: `${base}/slack/api/`,
    botToken,
    directory,
    responses,
    messages: () => posted,
    reset() {
      fake.reset();
      posted.length = 0;
      responses.length = 0;
    },
    send,
    async click(o) {
      const blocks = (o.message.current.blocks ?? []) as Block[];
      const block = blocks.find(
        (b) => b.type === "actions" && b.elements?.some((e) => e.action_id === o.actionId),
      );
      const button = block?.elements?.find((e) => e.action_id === o.actionId);
      if (!block || !button) throw new Error(`the message has no button ${o.actionId}`);
      const rid = randomBytes(12).toString("hex");
      responseUrls.set(rid, { message: o.message, user: o.user, uses: 0, until: Date.now() + 30 * 60_000 });
      const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
      const payload = {
        type: "block_actions",
        user: {
          id: o.user,
          username: directory.get(o.user)?.name ?? o.user,
          name: directory.get(o.user)?.name ?? o.user,
          team_id: "T0FAKE",
        },
        api_app_id: "A0FAKE",
        token: "deprecated-verification-token",
        container: { type: "message", message_ts: o.message.ts, channel_id: "C0FAKE", is_ephemeral: false },
        trigger_id: `${seq}.${rid}`,
        team: { id: "T0FAKE", domain: "fake" },
        channel: { id: "C0FAKE", name: "obsolescence" },
        message: { type: "message", ts: o.message.ts, ...o.message.current },
        response_url: `${base}/slack/response/${rid}`,
        actions: [{ ...button, block_id: block.block_id, action_ts: actionTs }],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const ts = String(o.timestampSec ?? Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac("sha256", o.signingSecret).update(`v0:${ts}:${body}`).digest("hex")}`;
      const request: SignedInteraction = {
        url: o.requestUrl,
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": ts,
          "x-slack-signature": signature,
        },
      };
      return { ...(await send(request)), request };
    },
  };
}
