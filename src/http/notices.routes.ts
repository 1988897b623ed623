import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { inboxRepository } from "../inbox/inbox.repository.ts";
import { searchNotices } from "../pipeline/notice-search.query.ts";
import { noticeStatus } from "../pipeline/notice-status.query.ts";
import { currentBomVersion, planReevaluation, reevaluationSince } from "../pipeline/reevaluation.service.ts";
import type { NoticeSearchResponse, RawPayload } from "./api.types.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { accepted, notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

const TraceParams = z.object({ trace_id: z.uuid("trace_id must be a UUID") });
const SearchQuery = z.object({
  trace_id: z.uuid("trace_id must be a UUID").optional(),
  manufacturer: z.string().trim().min(1).max(200).optional(),
  mpn: z.string().trim().min(1).max(200).optional(),
  from: z.iso.date("from must be YYYY-MM-DD").optional(),
  to: z.iso.date("to must be YYYY-MM-DD").optional(),
  status: z.enum(["received", "processing", "completed", "dead"]).optional(),
  needs_review: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The raw payload shown to a reader is cut here: enough for any notice, bounded for the page. */
const RAW_TEXT_LIMIT = 256 * 1024;

const issuesOf = (e: z.ZodError) =>
  e.issues.map((i) => ({ path: i.path.join(".") || "(query)", message: i.message }));

const ReevaluateBody = z
  .object({
    since: z.iso
      .date("since must be a date YYYY-MM-DD")
      .optional()
      .describe("re-evaluate notices received on or after this day; default REEVALUATE_DAYS ago"),
  })
  .strict();

/**
 * GET /v1/notices (search, newest first), GET /v1/notices/{trace_id} (DESIGN §4: status, phase,
 * attempts, notices, cases, errors, and the notice's re-evaluations), GET /v1/notices/{trace_id}/raw
 * (the payload as received). POST /v1/notices/reevaluate: match and assess the window's notices again
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
    "/v1/notices",
    {
      schema: {
        summary: "Accepted notices, newest first: by trace id, maker, part number, receipt day, status",
        tags: ["notices"],
        querystring: docSchema(SearchQuery),
      },
    },
    async (req, reply) => {
      const q = SearchQuery.safeParse(req.query);
      if (!q.success) return validationFailed(reply, issuesOf(q.error));
      const found = await searchNotices(deps.db, { ...q.data, needs_review: q.data.needs_review === "true" });
      return { ...found, limit: q.data.limit, offset: q.data.offset } satisfies NoticeSearchResponse;
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

  app.get(
    "/v1/notices/:trace_id/raw",
    {
      schema: {
        summary: "The payload of an accepted notice as it was received (as text, first 256 KiB)",
        tags: ["notices"],
        params: docSchema(TraceParams),
      },
    },
    async (req, reply) => {
      const p = TraceParams.safeParse(req.params);
      if (!p.success)
        return validationFailed(reply, [{ path: "trace_id", message: "trace_id must be a UUID" }]);
      const raw = await inboxRepository.getRaw(deps.db, p.data.trace_id);
      if (!raw) return notFound(reply, "no notice with this trace_id");
      // Always JSON with the text inside: the payload (an HTML e-mail, say) is never served as itself.
      return {
        trace_id: p.data.trace_id,
        content_type: raw.content_type,
        bytes: raw.raw_payload.length,
        truncated: raw.raw_payload.length > RAW_TEXT_LIMIT,
        text: raw.raw_payload.subarray(0, RAW_TEXT_LIMIT).toString("utf8"),
      } satisfies RawPayload;
    },
  );
}
