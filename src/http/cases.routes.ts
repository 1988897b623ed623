import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { getCase, listCases } from "../cases/cases.query.ts";
import { isoDay } from "../impact/impact.model.ts";
import { CaseListQuery } from "./case-list.query.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

/** GET /v1/cases and /v1/cases/{id}: obsolescence cases, their reports and the notices linked. */

const ListQuery = CaseListQuery;
const CaseParams = z.object({ id: z.uuid() });

/** The value `schema` makes of `value`, or null after answering 422 with the issues. */
export function parseOr422<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | null {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  void validationFailed(
    reply,
    r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  );
  return null;
}

export async function registerCaseRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "db" | "now">) {
  documentOnly(app);
  app.get(
    "/v1/cases",
    {
      schema: {
        summary: "Obsolescence cases, filtered and sorted",
        tags: ["cases"],
        querystring: docSchema(ListQuery),
        response: responses({ 200: { description: "a page of cases" } }, MANAGEMENT_ERRORS),
      },
    },
    async (req, reply) => {
      const q = parseOr422(ListQuery, req.query, reply);
      if (!q) return reply;
      const page = await listCases(deps.db, { ...q, today: isoDay(deps.now()) });
      return { total: page.total, limit: q.limit, offset: q.offset, cases: page.cases };
    },
  );

  app.get(
    "/v1/cases/:id",
    {
      schema: {
        summary: "One case: its notices, versioned impact reports, options and time view",
        tags: ["cases"],
        params: docSchema(CaseParams),
        response: responses({ 200: { description: "the case" } }, [...MANAGEMENT_ERRORS, 404, 414]),
      },
    },
    async (req, reply) => {
      const p = parseOr422(CaseParams, req.params, reply);
      if (!p) return reply;
      const c = await getCase(deps.db, p.id, isoDay(deps.now()));
      return c ?? notFound(reply, "no case with this id");
    },
  );
}
