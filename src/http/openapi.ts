import type { FastifyInstance } from "fastify";
import { z } from "zod";

/** A zod schema as an OpenAPI 3.0 schema object, for route documentation at /docs. */
export function docSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

/** Every error body (src/http/errors.ts): a code, a sentence, and detail fields. */
export const ErrorBodySchema = z
  .object({
    error: z.string().describe("stable code, e.g. validation_failed, not_found, unauthorized"),
    message: z.string().describe("what went wrong, for a person"),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("422: each invalid field, parameter or row"),
  })
  .loose();

/** What each error status means on this API (the route's own cases are in its description). */
const ERROR_MEANING: Record<number, string> = {
  400: "the request is not valid HTTP or its URL does not decode",
  401: "a token is required (API_TOKEN / INGEST_TOKEN set) and is missing or wrong",
  403: "the caller's role does not allow this (or, on an e-mail route, the proof was refused)",
  404: "nothing with this id or part number",
  406: "refused (Mailgun's 'do not retry')",
  409: "the request contradicts the current state",
  413: "the body exceeds the limit",
  414: "a path segment exceeds 100 characters",
  415: "the content type is not one this route takes",
  422: "invalid parameters, query (unknown query parameters included) or body; `issues` names each",
  503: "a dependency cannot take the request now; retry (Retry-After)",
};

export type DocResponse = { description: string; schema?: z.ZodType; text?: true };

/**
 * A route's `response` documentation: its successes (with their body schema) and the error statuses
 * it can answer, each with the common error body. Response schemas document only: the app's
 * serializer ignores them, so a body is never reshaped by its documentation.
 */
export function responses(
  ok: Partial<Record<number, DocResponse>>,
  errors: readonly number[],
): Record<number, Record<string, unknown>> {
  const out: Record<number, Record<string, unknown>> = {};
  for (const [code, r] of Object.entries(ok)) {
    if (!r) continue;
    out[Number(code)] = r.text
      ? { description: r.description, type: "string" }
      : { description: r.description, ...(r.schema ? docSchema(r.schema) : { type: "object" }) };
  }
  for (const code of errors) {
    out[code] = {
      description: ERROR_MEANING[code] ?? "error",
      ...docSchema(ErrorBodySchema),
    };
  }
  return out;
}

/**
 * The statuses every management route can answer besides its own: no or a bad token, a role that
 * does not allow it, bad parameters.
 */
export const MANAGEMENT_ERRORS = [401, 403, 422] as const;

/**
 * Makes a scope's route schemas documentation only: requests are validated by zod in the handlers
 * (one source for rules and 422 issues), and bodies are sent as the handler built them. Without
 * this, Fastify would compile each documented response into a serializer that drops every field
 * the documentation does not list. Each routes file calls it on its own scope, so the rule holds
 * wherever the routes are registered.
 */
export function documentOnly(scope: FastifyInstance): void {
  scope.setValidatorCompiler(() => () => true);
  scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
