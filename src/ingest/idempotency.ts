import { createHash } from "node:crypto";

/**
 * DESIGN §4: the idempotency key is, first found, the `Idempotency-Key` header, the payload's
 * `idempotency_key`, the provider's message id, else a hash of the normalised content.
 * The kinds are tagged so that a header value can never collide with a content hash.
 */
export function idempotencyKey(sources: {
  header?: string | undefined;
  field?: string | null | undefined;
  messageId?: string | null | undefined;
  content: unknown;
}): string {
  const header = sources.header?.trim();
  if (header) return `key:${header}`;
  const field = sources.field?.trim();
  if (field) return `key:${field}`;
  const mid = sources.messageId?.trim().replace(/^<|>$/g, "");
  if (mid) return `msgid:${mid}`;
  return `sha256:${createHash("sha256").update(canonicalJson(sources.content)).digest("hex")}`;
}

/** JSON with object keys sorted at every depth, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
