import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { noticeStatus } from "../pipeline/notice-status.query.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

const TraceParams = z.object({ trace_id: z.uuid("trace_id must be a UUID") });

/** GET /v1/notices/{trace_id} (DESIGN §4): status, phase, attempts, notices, cases, errors. */
export async function registerNoticeRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "db">) {
  documentOnly(app);
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
