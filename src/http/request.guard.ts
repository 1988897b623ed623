import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ValidationIssue } from "../ingest/ingest.schemas.ts";

/**
 * Two checks every management route shares, made from what the routes declare:
 * - the methods a path answers to, so a wrong method is a 405 with `Allow` rather than a 404;
 * - the query parameters a route documents (its `querystring` schema, the one /docs shows), so an
 *   unknown one is a 422 naming those it takes, rather than silently ignored.
 */

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The methods some route answers for this URL's path (empty when no route has the path). */
export function allowedMethods(app: FastifyInstance, method: string, url: string): string[] {
  const path = url.split("?")[0] ?? "";
  return METHODS.filter((m) => m !== method && app.findRoute({ method: m, url: path }) !== null);
}

/**
 * The ingest and e-mail routes are exempt: a provider's webhook URL is configured by a person and
 * may carry parameters of their own (SendGrid's `?key=` is one we read), and a provider must never be
 * refused for them. Health and metrics are scraped by tools that add their own.
 */
function checksQuery(url: string): boolean {
  return url.startsWith("/v1/") && !url.startsWith("/v1/ingest/");
}

export function unknownQueryIssues(req: FastifyRequest): ValidationIssue[] {
  const route = req.routeOptions.url ?? "";
  if (!checksQuery(route)) return [];
  const query = req.query;
  if (query === null || typeof query !== "object") return [];
  const keys = Object.keys(query);
  if (keys.length === 0) return [];
  const schema = req.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  const known = Object.keys(schema?.properties ?? {});
  const accepted = known.length > 0 ? `accepted: ${known.join(", ")}` : "this route takes none";
  return keys
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: `query.${k}`, message: `unknown query parameter (${accepted})` }));
}
