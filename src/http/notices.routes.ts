import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { noticeStatus } from "../pipeline/notice-status.query.ts";
import { currentBomVersion, planReevaluation, reevaluationSince } from "../pipeline/reevaluation.service.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

const TraceParams = z.object({ trace_id: z.uuid("trace_id must be a UUID") });
const ReevaluateBody = z
  .object({
    since: z.iso
      .date("since must be a date YYYY-MM-DD")
      .optional()
      .describe("re-evaluate notices received on or after this day; default REEVALUATE_DAYS ago"),
  })
  .strict();

/**
 * GET /v1/notices/{trace_id} (DESIGN §4): status, phase, attempts, notices, cases, errors, and the
 * notice's re-evaluations. POST /v1/notices/reevaluate: match and assess the window's notices again
 * on the current BOM, each at most once per BOM version.
 */
export async function registerNoticeRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "db" | "now" | "enqueue"> & { config: Pick<HttpDeps["config"], "pipeline"> },
) {
  documentOnly(app);
  app.post(
    "/v1/notices/reevaluate",
    {
      schema: {
        summary: "Re-evaluate the notices of a window on the current BOM",
        description:
          "Each notice is re-evaluated at most once per BOM version (a BOM import re-evaluates those " +
          "whose parts it changed by itself). Each re-evaluation is its own trace: follow it at " +
          "/v1/notices/{trace_id}; the notice's own status lists its re-evaluations.",
        tags: ["notices"],
        body: docSchema(ReevaluateBody),
        response: responses(
          {
            202: {
              description: "{bom_version, cause, since, examined, matched, queued: [trace ids], already}",
            },
          },
          [...MANAGEMENT_ERRORS, 415],
        ),
      },
    },
    async (req, reply) => {
      const b = parseOr422(ReevaluateBody, req.body ?? {}, reply);
      if (!b) return reply;
      const now = deps.now();
      const plan = await planReevaluation(deps.db, {
        bomVersion: await currentBomVersion(deps.db),
        changed: "all",
        since: b.since
          ? new Date(`${b.since}T00:00:00Z`)
          : reevaluationSince(now, deps.config.pipeline.REEVALUATE_DAYS),
        now,
        cause: "on_demand",
      });
      deps.enqueue(plan.queued, "replay");
      return accepted(reply, { ...plan });
    },
  );

  app.get(
    "/v1/notices/:trace_id",
    {
      schema: {
        summary: "Status of an accepted notice",
        tags: ["notices"],
        params: docSchema(TraceParams),
        response: responses(
          {
            200: {
              description: "{trace_id, status, phase, attempts, received_at, notices, cases, errors, …}",
            },
          },
          [...MANAGEMENT_ERRORS, 404],
        ),
      },
    },
    async (req, reply) => {
      const p = TraceParams.safeParse(req.params);
      if (!p.success)
        return validationFailed(reply, [{ path: "trace_id", message: "trace_id must be a UUID" }]);
      return (
        (await noticeStatus(deps.db, p.data.trace_id)) ?? notFound(reply, "no notice with this trace_id")
      );
    },
  );
}
