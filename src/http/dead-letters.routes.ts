import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { deadLetters } from "../pipeline/dead-letters.repository.ts";
import { replayDeadLetter } from "../pipeline/dead-letters.service.ts";
import type { ReplayAllResponse } from "./api.types.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, conflict, notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";
import { callerOf } from "./principal.ts";

const REPLAY_ALL_BATCH = 1000;

const ListQuery = z.object({
  limit: z.coerce
    .number()
    .int("limit must be an integer")
    .min(1, "limit must be ≥ 1")
    .max(1000, "limit must be ≤ 1000")
    .default(100),
  include_replayed: z
    .enum(["true", "false"], { message: "include_replayed must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
});
const IdParams = z.object({
  id: z.coerce.number().int("id must be an integer").positive("id must be a positive integer"),
});

/** GET /v1/dead-letters, POST /v1/dead-letters/{id}/replay (management auth by the app's hook). */
export async function registerDeadLetterRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "db" | "enqueue">,
): Promise<void> {
  documentOnly(app);
  app.get(
    "/v1/dead-letters",
    {
      schema: {
        summary: "Work that failed permanently or ran out of retries",
        tags: ["dead letters"],
        querystring: docSchema(ListQuery),
        response: responses(
          { 200: { description: "{dead_letters: [...]}, newest first" } },
          MANAGEMENT_ERRORS,
        ),
      },
    },
    async (req, reply) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success)
        return validationFailed(
          reply,
          q.error.issues.map((i) => ({ path: i.path.join(".") || "(query)", message: i.message })),
        );
      const items = await deadLetters.list(deps.db, {
        limit: q.data.limit,
        includeReplayed: q.data.include_replayed,
      });
      return { dead_letters: items };
    },
  );

  app.post(
    "/v1/dead-letters/:id/replay",
    {
      schema: {
        summary: "Replay a dead letter on the replay lane",
        tags: ["dead letters"],
        params: docSchema(IdParams),
        response: responses({ 202: { description: "the notice is back on the replay lane" } }, [
          ...MANAGEMENT_ERRORS,
          404,
          409,
        ]),
      },
    },
    async (req, reply) => {
      const p = IdParams.safeParse(req.params);
      if (!p.success)
        return validationFailed(
          reply,
          p.error.issues.map((i) => ({ path: "id", message: i.message })),
        );
      const r = await replayDeadLetter(deps.db, p.data.id, callerOf(req).name);
      switch (r.kind) {
        case "not_found":
          return notFound(reply, "no dead letter with this id");
        case "already_replayed":
          return conflict(reply, "already_replayed", `dead letter ${r.id} was replayed at ${r.replayedAt}`, {
            trace_id: r.traceId,
          });
        case "replayed":
          deps.enqueue([r.traceId], "replay");
          return accepted(reply, { replayed: true, id: r.id, trace_id: r.traceId });
      }
    },
  );

  app.post(
    "/v1/dead-letters/replay-all",
    {
      schema: {
        summary: "Replay every open dead letter (up to 1,000 a call) on the replay lane",
        tags: ["dead letters"],
        response: responses(
          { 202: { description: "{replayed, dead_letters: [{id, trace_id}], more}" } },
          MANAGEMENT_ERRORS,
        ),
      },
    },
    async (req, reply) => {
      const open = await deadLetters.list(deps.db, { limit: REPLAY_ALL_BATCH, includeReplayed: false });
      const replayed: { id: number; trace_id: string }[] = [];
      for (const d of open) {
        const r = await replayDeadLetter(deps.db, d.id, callerOf(req).name);
        // Another caller may replay one meanwhile: that one is simply not ours to count.
        if (r.kind === "replayed") replayed.push({ id: r.id, trace_id: r.traceId });
      }
      if (replayed.length > 0)
        deps.enqueue(
          replayed.map((r) => r.trace_id),
          "replay",
        );
      return accepted(reply, {
        replayed: replayed.length,
        dead_letters: replayed,
        more: open.length === REPLAY_ALL_BATCH,
      } satisfies ReplayAllResponse);
    },
  );
}
