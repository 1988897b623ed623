import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { CASE_SORTS, getCase, listCases } from "../cases/cases.query.ts";
import { isoDay } from "../impact/impact.model.ts";
import { SEVERITIES } from "../impact/impact.time.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";

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
  app.get("/v1/cases", async (req, reply) => {
    const q = parseOr422(ListQuery, req.query, reply);
    if (!q) return reply;
    const page = await listCases(deps.db, { ...q, today: isoDay(deps.now()) });
    return { total: page.total, limit: q.limit, offset: q.offset, cases: page.cases };
  });

  app.get("/v1/cases/:id", async (req, reply) => {
    const p = parseOr422(CaseParams, req.params, reply);
    if (!p) return reply;
    const c = await getCase(deps.db, p.id, isoDay(deps.now()));
    return c ?? notFound(reply);
  });
}
