import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { inboxRepository } from "../inbox/inbox.repository.ts";
import { searchNotices } from "../pipeline/notice-search.query.ts";
import { noticeStatus } from "../pipeline/notice-status.query.ts";
import type { NoticeSearchResponse, RawPayload } from "./api.types.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";
import { docSchema } from "./openapi.ts";

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

/**
 * GET /v1/notices (search, newest first), GET /v1/notices/{trace_id} (DESIGN §4: status, phase,
 * attempts, notices, cases, errors) and GET /v1/notices/{trace_id}/raw (the payload as received).
 */
export async function registerNoticeRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "db">) {
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
