import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { reviewedAsLabels } from "../extract/labels.export.ts";
import { LifecycleStatus, NoticeType } from "../parts/lifecycle.ts";
import { LabelEntry, ReviewItem, ReviewPage } from "../review/review.item.ts";
import { getReviewItem, listReviewItems, reviewedNotices } from "../review/review.query.ts";
import { REVIEW_STATUSES } from "../review/review.repository.ts";
import { decideReview, type ReviewDecision, type ReviewDeps } from "../review/review.service.ts";
import type { SqlDriver } from "../store/driver.ts";
import { conflict, forbidden, notFound, validationFailed } from "./errors.ts";
import { docSchema } from "./openapi.ts";
import { callerOf } from "./principal.ts";

/**
 * The review queue (issue 19 §4): notices the extractor was not sure of. Viewers read
 * (`GET /v1/review`, `/v1/review/{id}`, `/v1/review/export`); deciders confirm, correct or reject
 * (`POST /v1/review/{id}/confirm|correct|reject`), which answers 200 with the item as decided. The same
 * decision again answers the same (nothing is done twice); another decision on a decided item is
 * `409 already_reviewed` with the item.
 */
const issuesOf = (e: z.ZodError, where: string) =>
  e.issues.map((i) => ({ path: i.path.join(".") || where, message: i.message }));

const ReviewParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, "id must be a positive integer")
    .transform(Number),
});

const ListQuery = z.object({
  /** One status or several, comma-separated (`pending,corrected`). */
  status: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim().toLowerCase()))
    .pipe(z.array(z.enum(REVIEW_STATUSES)).min(1))
    .optional(),
  maker: z.string().trim().min(1).max(200).optional(),
  /** Items filed at or after this day (`YYYY-MM-DD`, UTC) or instant (ISO 8601 with offset). */
  since: z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      message: "since must be a date YYYY-MM-DD or an ISO 8601 date-time",
    })
    .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1e9).default(0),
});

const note = z.string().trim().min(1).max(4000).nullable().optional();
const NoteBody = z.object({ note }).strict();

const day = z.iso.date("must be a calendar day YYYY-MM-DD").nullable();
/** The corrected fields, in the extract schema (labels.json); a field left out keeps what was read. */
const CorrectBody = z
  .object({
    manufacturer: z.string().trim().min(1).max(200).nullable(),
    mpn: z.string().trim().min(1).max(100),
    lifecycle_status: LifecycleStatus,
    notice_type: NoticeType,
    pcn_id: z.string().trim().min(1).max(200).nullable(),
    ltb_date: day,
    last_ship_date: day,
    replacement_mpn: z.string().trim().min(1).max(100).nullable(),
    note,
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== "note"), {
    message: "give at least one corrected field (or confirm the notice as it is)",
  });

const ErrorBody = z.object({ error: z.string(), message: z.string().optional() }).loose();
const errors = {
  401: docSchema(ErrorBody),
  403: docSchema(ErrorBody),
  404: docSchema(ErrorBody),
  422: docSchema(ErrorBody),
};
const doc = (summary: string, extra: Record<string, unknown>) => ({
  summary,
  tags: ["review"],
  security: [{ bearer: [] }],
  ...extra,
});

export async function registerReviewRoutes(
  app: FastifyInstance,
  deps: { db: SqlDriver; now: () => Date; review: ReviewDeps },
) {
  app.get(
    "/v1/review",
    {
      schema: doc("The review queue: notices the extractor was not sure of, newest first", {
        description:
          "Filters: `status` (pending, confirmed, corrected, rejected; comma-separated), `maker` " +
          "(compared by canonical maker), `since` (filed at or after). Paged by `limit` (≤ 500) and `offset`.",
        querystring: docSchema(ListQuery),
        response: { 200: docSchema(ReviewPage), ...errors },
      }),
    },
    async (req, reply) => {
      const q = ListQuery.safeParse(req.query ?? {});
      if (!q.success) return validationFailed(reply, issuesOf(q.error, "(query)"));
      const page = await listReviewItems(deps.db, q.data);
      return { total: page.total, limit: q.data.limit, offset: q.data.offset, items: page.items };
    },
  );

  app.get(
    "/v1/review/export",
    {
      schema: doc("Reviewed messages as a labelled set, in the format of corpus/emails/labels.json", {
        description:
          "One entry per message whose review items are all decided: its notices as confirmed or " +
          "corrected (the ones the extractor was sure of as read), rejected ones left out; a message " +
          "whose every notice was rejected is `is_lifecycle_notice: false`. `file` is `<trace_id>.eml`.",
        response: { 200: docSchema(z.array(LabelEntry)), 401: errors[401], 403: errors[403] },
      }),
    },
    async () => reviewedAsLabels(await reviewedNotices(deps.db)),
  );

  app.get(
    "/v1/review/:id",
    {
      schema: doc("One review item: the notice, its confidence and reasons, the excerpt, the message", {
        params: docSchema(ReviewParams),
        response: { 200: docSchema(ReviewItem), ...errors },
      }),
    },
    async (req, reply) => {
      const p = ReviewParams.safeParse(req.params);
      if (!p.success) return validationFailed(reply, issuesOf(p.error, "id"));
      return (await getReviewItem(deps.db, p.data.id)) ?? notFound(reply, "no review item with this id");
    },
  );

  const decision = (
    path: string,
    summary: string,
    body: z.ZodType,
    toDecision: (b: Record<string, unknown>) => ReviewDecision,
  ) =>
    app.post(
      `/v1/review/:id/${path}`,
      {
        config: { role: "decider" },
        schema: doc(summary, {
          description: "Needs the decider role. The same decision again answers 200 and does nothing more.",
          params: docSchema(ReviewParams),
          body: docSchema(body),
          response: { 200: docSchema(ReviewItem), 409: docSchema(ErrorBody), ...errors },
        }),
      },
      async (req, reply) => {
        const p = ReviewParams.safeParse(req.params);
        if (!p.success) return validationFailed(reply, issuesOf(p.error, "id"));
        const b = body.safeParse(req.body ?? {});
        if (!b.success) return validationFailed(reply, issuesOf(b.error, "(body)"));
        return decide(req, reply, p.data.id, toDecision(b.data as Record<string, unknown>));
      },
    );

  async function decide(req: FastifyRequest, reply: FastifyReply, id: number, d: ReviewDecision) {
    const out = await decideReview(deps.db, deps.review, id, d, callerOf(req), deps.now());
    switch (out.kind) {
      case "decided":
      case "repeated":
        return getReviewItem(deps.db, id);
      case "not_found":
        return notFound(reply, "no review item with this id");
      case "forbidden":
        return forbidden(reply, out.needed, out.role);
      case "already_reviewed":
        return conflict(reply, "already_reviewed", `review item ${id} was already ${out.status}`, {
          item: await getReviewItem(deps.db, id),
        });
      case "invalid":
        return validationFailed(reply, out.issues);
    }
  }

  const noteOf = (b: Record<string, unknown>) => (typeof b.note === "string" ? b.note : null);
  decision("confirm", "Confirm the notice as the extractor read it", NoteBody, (b) => ({
    verdict: "confirmed",
    note: noteOf(b),
  }));
  decision(
    "correct",
    "Correct the notice: it is assessed again as corrected (new or updated case), once",
    CorrectBody,
    ({ note: _note, ...fields }) => ({ verdict: "corrected", fields, note: noteOf({ note: _note }) }),
  );
  decision(
    "reject",
    "Reject the notice: unlinked from its cases; a case left without evidence is dismissed",
    NoteBody,
    (b) => ({
      verdict: "rejected",
      note: noteOf(b),
    }),
  );
}
