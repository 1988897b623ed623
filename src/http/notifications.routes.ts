import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { listUnconfirmed, resendUnconfirmed } from "../notify/outbox.repository.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, conflict, notFound } from "./errors.ts";
import { docSchema } from "./openapi.ts";
import { callerOf } from "./principal.ts";

const ListQuery = z.object({
  limit: z.coerce
    .number()
    .int("limit must be an integer")
    .min(1)
    .max(1000, "limit must be ≤ 1000")
    .default(100),
});
const IdParams = z.object({
  delivery_id: z.string().regex(/^(?:dlv|dg)_[0-9a-f]{32}$/, "not a delivery id"),
});

/**
 * Stakeholder messages left `unconfirmed` (a worker died while sending to Slack or Teams, which cannot
 * say whether the message arrived; ADR 0009): an operator lists them, checks the channel, and resends
 * those that did not arrive. GET /v1/notifications/unconfirmed, POST /v1/notifications/{id}/resend.
 */
export async function registerNotificationRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "db" | "now">,
): Promise<void> {
  app.get(
    "/v1/notifications/unconfirmed",
    {
      schema: {
        summary: "Messages that may or may not have reached Slack or Teams",
        tags: ["notifications"],
        querystring: docSchema(ListQuery),
      },
    },
    async (req, reply) => {
      const q = parseOr422(ListQuery, req.query, reply);
      if (!q) return reply;
      return { unconfirmed: await listUnconfirmed(deps.db, q.limit) };
    },
  );

  app.post(
    "/v1/notifications/:delivery_id/resend",
    {
      schema: {
        summary: "Send an unconfirmed message again (the operator found it did not arrive)",
        tags: ["notifications"],
        params: docSchema(IdParams),
      },
    },
    async (req, reply) => {
      const p = parseOr422(IdParams, req.params, reply);
      if (!p) return reply;
      const r = await resendUnconfirmed(deps.db, p.delivery_id, deps.now(), callerOf(req).name);
      switch (r.kind) {
        case "not_found":
          return notFound(reply, "no message with this delivery id");
        case "not_unconfirmed":
          return conflict(
            reply,
            "not_unconfirmed",
            `message ${r.deliveryId} is ${r.state}; only unconfirmed messages are resent`,
            { state: r.state },
          );
        case "resent":
          return accepted(reply, { resent: true, delivery_id: r.deliveryId });
      }
    },
  );
}
