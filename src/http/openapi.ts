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
