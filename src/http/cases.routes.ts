import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { CASE_SORTS, getCase, listCases } from "../cases/cases.query.ts";
import { isoDay } from "../impact/impact.model.ts";
import { SEVERITIES } from "../impact/impact.time.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

/** GET /v1/cases and /v1/cases/{id}: obsolescence cases, their reports and the notices linked. */

const ListQuery = z.object({
  status: LifecycleStatus.optional(),
  manufacturer: z.string().trim().min(1).optional(),
  product: z.string().trim().min(1).optional(),
  /** One severity or several, comma-separated (`critical,high`). */
  severity: z
    .string()
    .transform((v) => v.split(",").map((x) => x.trim().toLowerCase()))
    .pipe(z.array(z.enum(SEVERITIES)).min(1))
    .optional(),
  decision_by_before: z.iso.date().optional(),
  /** The part as written (`TPS54331DR`) or without packaging suffixes: its cases. */
  mpn: z.string().trim().min(1).max(200).optional(),
  /** Text found in the maker, MPN, PCN id or replacement MPN. */
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(CASE_SORTS).default("exposure"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
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
