import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { assemblyTreeOfPart } from "../bom/assembly-tree.query.ts";
import { caseSources } from "../cases/case-sources.query.ts";
import { caseFacets, caseTotals } from "../cases/cases.query.ts";
import { explainTime } from "../impact/impact.explain.ts";
import { isoDay } from "../impact/impact.model.ts";
import { noticeExcerpts } from "../pipeline/notice-excerpts.ts";
import { TRANSITIONS } from "../workflow/case.workflow.ts";
import type { CaseContext } from "./api.types.ts";
import { CaseListFilters } from "./case-list.query.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound } from "./errors.ts";
import { docSchema } from "./openapi.ts";

/**
 * What the console shows around the case list and a case (DESIGN §12), for any reader (viewer):
 *  - `GET /v1/cases/totals`: counts and sums over the cases the list's filters select;
 *  - `GET /v1/cases/facets`: the makers, assemblies and routes cases touch (the filters' choices);
 *  - `GET /v1/cases/{id}/context`: the source excerpt naming the part in each notice, the assembly
 *    tree of the part as the BOM stands, the latest report's time view in sentences, and the
 *    workflow's transitions (which actions apply where).
 */
const CaseParams = z.object({ id: z.uuid() });

export async function registerCaseViewRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "db" | "now">) {
  app.get(
    "/v1/cases/totals",
    {
      schema: {
        summary: "Totals over the cases a list filter selects (exposure, P&L, by severity and state)",
        tags: ["cases"],
        querystring: docSchema(CaseListFilters),
      },
    },
    async (req, reply) => {
      const q = parseOr422(CaseListFilters, req.query, reply);
      if (!q) return reply;
      return caseTotals(deps.db, { ...q, today: isoDay(deps.now()) });
    },
  );

  app.get(
    "/v1/cases/facets",
    { schema: { summary: "Makers, assemblies and notification routes that cases touch", tags: ["cases"] } },
    async () => caseFacets(deps.db),
  );

  app.get(
    "/v1/cases/:id/context",
    {
      schema: {
        summary: "A case's source excerpts, assembly tree and workflow transitions (for the console)",
        tags: ["cases"],
        params: docSchema(CaseParams),
      },
    },
    async (req, reply) => {
      const p = parseOr422(CaseParams, req.params, reply);
      if (!p) return reply;
      const sources = await caseSources(deps.db, p.id);
      if (!sources) return notFound(reply, "no such case");
      const [excerpts, tree] = await Promise.all([
        noticeExcerpts(deps.db, sources.notices),
        assemblyTreeOfPart(deps.db, sources.part_id),
      ]);
      return {
        excerpts,
        tree,
        explanation: explainTime(sources.latest),
        transitions: TRANSITIONS,
      } satisfies CaseContext;
    },
  );
}
