import type { FastifyInstance } from "fastify";
import { handleSlackInteraction, type SlackInteractionDeps } from "../slack/slack.interactions.service.ts";
import { badSignature, serviceUnavailable, validationFailed } from "./errors.ts";
import { responses } from "./openapi.ts";

/**
 * `POST /v1/integrations/slack/interactions`: Slack's Request URL for the buttons on case messages.
 * Authenticated by Slack's signature on the raw body, not by a bearer token (the auth hook leaves it
 * to this route). Slack wants an answer within three seconds: the action is applied before the
 * answer (one short transaction), the message update through `response_url` after it.
 */
export const SLACK_INTERACTIONS_PATH = "/v1/integrations/slack/interactions";

export async function registerSlackRoutes(
  app: FastifyInstance,
  deps: { slack: SlackInteractionDeps | null },
) {
  const slack = deps.slack;
  if (!slack) return; // SLACK_SIGNING_SECRET unset: no route (an unsigned click must never act).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  app.post(
    SLACK_INTERACTIONS_PATH,
    {
      schema: {
        summary: "Slack interactivity: Acknowledge / Decide as recommended buttons on case messages",
        description:
          "Form-encoded `payload=` JSON of type `block_actions`, signed by Slack (`X-Slack-Signature` v0, " +
          "`X-Slack-Request-Timestamp` within five minutes, each signature accepted once). Forged, stale or " +
          "replayed requests get 401 and change nothing.",
        tags: ["integrations"],
        response: responses(
          { 200: { description: "taken; the message is updated through response_url" } },
          [401, 422, 503],
        ),
      },
    },
    async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === "string" ? v : undefined;
      };
      const out = await handleSlackInteraction(slack, {
        rawBody: raw,
        timestamp: header("x-slack-request-timestamp"),
        signature: header("x-slack-signature"),
      });
      switch (out.kind) {
        case "rejected":
          req.log.warn({ reason: out.reason }, "Slack interaction refused");
          return badSignature(reply, out.reason);
        case "unavailable":
          return serviceUnavailable(reply, out.reason);
        case "invalid":
          return validationFailed(reply, [{ path: "payload", message: out.reason }]);
        case "ok": {
          req.log.info({ result: out.result }, "Slack interaction");
          const followUp = out.followUp;
          // After the answer: the message update must not hold Slack's three seconds.
          if (followUp)
            reply.raw.once("finish", () => {
              followUp().catch((err: unknown) => req.log.warn({ err }, "Slack message update failed"));
            });
          return reply.send("");
        }
      }
    },
  );
}
