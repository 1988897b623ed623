import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { assessPart } from "../bom/bom.assess.ts";
import { matchParts, whereUsed } from "../bom/bom.repository.ts";
import { isCalendarDate } from "../bom/bom.rows.ts";
import { impactSettingsFromConfig } from "../impact/impact.settings.ts";
import { LIFECYCLE_STATUSES, LifecycleStatus } from "../parts/lifecycle.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { conflict, notFound } from "./errors.ts";
import { docSchema, documentOnly, MANAGEMENT_ERRORS, responses } from "./openapi.ts";

/**
 * GET /v1/parts/{mpn}/where-used: assemblies and products using a part, with effective quantity.
 * GET /v1/parts/{mpn}/assessment: the impact model on the stored graph with `eolgate assess`'s
 * parameters, answering the JSON `assess --json` prints (DESIGN §5, §6b fields included), so a
 * script or the CLI gets it from a running gateway whatever store it uses.
 */

const PartParams = z.object({ mpn: z.string().trim().min(1).max(100) });
const PartQuery = z.object({ manufacturer: z.string().trim().min(1).optional() });
const day = (name: string) =>
  z.string().refine(isCalendarDate, `${name} must be a date YYYY-MM-DD`).optional();
const AssessmentQuery = z.object({
  manufacturer: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe("the maker, when the MPN names parts of several"),
  status: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(LifecycleStatus)
    .optional()
    .describe(`the notice's status (${LIFECYCLE_STATUSES.join(", ")}); default the part's stored status`),
  ltb_date: day("ltb_date").describe("the last-time-buy date, YYYY-MM-DD"),
  as_of: day("as_of").describe("the day to assess as of, YYYY-MM-DD; default today"),
});

export async function registerPartRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "db" | "now"> & { config: Pick<HttpDeps["config"], "impact"> },
) {
  documentOnly(app);
  app.get(
    "/v1/parts/:mpn/where-used",
    {
      schema: {
        summary: "Assemblies and products that use a part, with units per unit",
        tags: ["parts"],
        params: docSchema(PartParams),
        querystring: docSchema(PartQuery),
        response: responses({ 200: { description: "each stored part the MPN names, with its assemblies" } }, [
          ...MANAGEMENT_ERRORS,
          404,
          414,
        ]),
      },
    },
    async (req, reply) => {
      const p = parseOr422(PartParams, req.params, reply);
      const q = p && parseOr422(PartQuery, req.query, reply);
      if (!p || !q) return reply;
      const parts = await matchParts(deps.db, q.manufacturer ?? null, p.mpn);
      if (parts.length === 0) return notFound(reply, `no part ${p.mpn} in the BOM`);
      const matches = [];
      for (const part of parts) {
        matches.push({
          part: { manufacturer: part.manufacturer, mpn: part.mpn, lifecycle_status: part.status },
          assemblies: (await whereUsed(deps.db, part.id)).assemblies,
        });
      }
      return { mpn: p.mpn, parts: matches };
    },
  );

  const settings = impactSettingsFromConfig(deps.config.impact);
  app.get(
    "/v1/parts/:mpn/assessment",
    {
      schema: {
        summary: "Impact of a lifecycle change of a part (what `eolgate assess --json` prints)",
        description:
          "A part no stored part matches answers 200 with `part: null` and no exposure, as the CLI does.",
        tags: ["parts"],
        params: docSchema(PartParams),
        querystring: docSchema(AssessmentQuery),
        response: responses(
          {
            200: {
              description:
                "{part, demand_units, supply_units, shortfall_units, revenue_at_risk, recommendation, pnl_impact, options, affected, currency, …, the §6b time view}",
            },
          },
          [...MANAGEMENT_ERRORS, 409, 414],
        ),
      },
    },
    async (req, reply) => {
      const p = parseOr422(PartParams, req.params, reply);
      const q = p && parseOr422(AssessmentQuery, req.query, reply);
      if (!p || !q) return reply;
      const out = await assessPart(deps.db, {
        manufacturer: q.manufacturer ?? null,
        mpn: p.mpn,
        status: q.status ?? null,
        ltbDate: q.ltb_date ?? null,
        asOf: q.as_of ? new Date(`${q.as_of}T00:00:00Z`) : deps.now(),
        settings,
      });
      if (out.kind === "ambiguous")
        return conflict(
          reply,
          "ambiguous_part",
          `${p.mpn} names parts of several makers; give manufacturer (one of: ${out.candidates
            .map((c) => c.manufacturer)
            .join(", ")})`,
          { candidates: out.candidates },
        );
      return out.result;
    },
  );
}
