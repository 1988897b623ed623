import { z } from "zod";

/**
 * JSON Schema for OpenAI structured output (`response_format.json_schema` with `strict: true`),
 * derived from the zod schema that also validates the answer, so the two cannot drift apart.
 *
 * Strict mode requires, on every object, `additionalProperties: false` and every property listed in
 * `required`; optional fields must be expressed as nullable. Keywords outside the subset the API
 * documents for strict mode are removed (zod still enforces them on the answer).
 */
export type JsonSchema = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const KEPT_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "description",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "$defs",
  "$ref",
]);

export class StrictSchemaError extends Error {
  override readonly name = "StrictSchemaError";
}

export function strictJsonSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { io: "output", unrepresentable: "throw" }) as JsonSchema;
  return strictify(raw, "$") as JsonSchema;
}

function strictify(node: JsonValue, path: string): JsonValue {
  if (Array.isArray(node)) return node.map((n, i) => strictify(n, `${path}[${i}]`));
  if (node === null || typeof node !== "object") return node;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(node)) {
    if (!KEPT_KEYWORDS.has(k)) continue;
    if (k === "properties" && v && typeof v === "object" && !Array.isArray(v)) {
      // Property names are data, not keywords: recurse into each value, keep every name.
      const props: { [key: string]: JsonValue } = {};
      for (const [name, sub] of Object.entries(v)) props[name] = strictify(sub, `${path}.${name}`);
      out[k] = props;
    } else if (k === "$defs" && v && typeof v === "object" && !Array.isArray(v)) {
      const defs: { [key: string]: JsonValue } = {};
      for (const [name, sub] of Object.entries(v)) defs[name] = strictify(sub, `${path}.$defs.${name}`);
      out[k] = defs;
    } else {
      out[k] = strictify(v, path);
    }
  }
  if (out.type === "object" || out.properties) {
    const props = (out.properties ?? {}) as { [key: string]: JsonValue };
    const required = new Set(Array.isArray(out.required) ? out.required : []);
    const missing = Object.keys(props).filter((p) => !required.has(p));
    if (missing.length > 0) {
      throw new StrictSchemaError(
        `${path}: optional properties (${missing.join(", ")}) are not allowed in strict mode; make them nullable`,
      );
    }
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}
