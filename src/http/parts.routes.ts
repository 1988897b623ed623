import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { matchParts, whereUsed } from "../bom/bom.repository.ts";
import { parseOr422 } from "./cases.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { notFound } from "./errors.ts";

/** GET /v1/parts/{mpn}/where-used: assemblies and products using a part, with effective quantity. */

const PartParams = z.object({ mpn: z.string().trim().min(1).max(200) });
const PartQuery = z.object({ manufacturer: z.string().trim().min(1).optional() });

export async function registerPartRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "db">) {
  app.get("/v1/parts/:mpn/where-used", async (req, reply) => {
    const p = parseOr422(PartParams, req.params, reply);
    const q = p && parseOr422(PartQuery, req.query, reply);
    if (!p || !q) return reply;
    const parts = await matchParts(deps.db, q.manufacturer ?? null, p.mpn);
    if (parts.length === 0) return notFound(reply);
    const matches = [];
    for (const part of parts) {
      matches.push({
        part: { manufacturer: part.manufacturer, mpn: part.mpn, lifecycle_status: part.status },
        assemblies: (await whereUsed(deps.db, part.id)).assemblies,
      });
    }
    return { mpn: p.mpn, parts: matches };
  });
}
