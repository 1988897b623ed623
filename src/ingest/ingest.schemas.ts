import { z } from "zod";

/**
 * The two JSON ingest contracts (DESIGN §4). Objects are loose: unknown fields are harmless drift,
 * accepted, kept in the raw payload and counted. Missing or mistyped known fields are critical and
 * rejected. Strings are trimmed; a required string that is empty after trimming is rejected.
 */
const required = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `at most ${max} characters`);
const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for a real day: 2027-02-30 is not one. */
export function isCalendarDay(ymd: string): boolean {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A calendar day or an ISO timestamp; kept as the calendar day `YYYY-MM-DD`. */
const isoDay = z
  .string()
  .trim()
  .regex(ISO_DAY, "expected an ISO date (YYYY-MM-DD)")
  .refine((s) => !ISO_DAY.test(s) || isCalendarDay(s.slice(0, 10)), "not a calendar date")
  .transform((s) => s.slice(0, 10))
  .nullish()
  .transform((v) => v ?? null);

export const ComponentAlertSchema = z.looseObject({
  source_platform: required(100),
  manufacturer_code: required(200),
  part_number: required(200),
  lifecycle_status: required(100),
  raw_context: optional(100_000),
  idempotency_key: optional(200),
  pcn_id: optional(200),
  ltb_date: isoDay,
  last_ship_date: isoDay,
  replacement_part_number: optional(200),
  notice_date: isoDay,
});
export type ComponentAlert = z.output<typeof ComponentAlertSchema>;

const AttachmentMeta = z.looseObject({
  filename: z.string().nullish(),
  content_type: z.string().nullish(),
  size: z.number().int().nonnegative().nullish(),
});

export const EmailForwardSchema = z.looseObject({
  sender_domain: required(255),
  subject_line: required(2_000),
  body_content: required(5_000_000),
  attachment_metadata: z.array(AttachmentMeta).max(1000).nullish(),
  idempotency_key: optional(200),
  message_id: optional(998),
});
export type EmailForward = z.output<typeof EmailForwardSchema>;

/** Top-level fields a payload carries that its contract does not name. */
export function unknownFields(schema: z.ZodObject, payload: unknown): string[] {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return [];
  const known = schema.shape;
  return Object.keys(payload).filter((k) => !(k in known));
}

export interface ValidationIssue {
  path: string;
  message: string;
}

/** Zod issues as the `issues` list of a 422 (DESIGN §4): every issue, with a dotted path. */
export function toIssues(error: z.ZodError, payload: unknown): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: i.path.length > 0 ? i.path.map(String).join(".") : "(body)",
    message: i.code === "invalid_type" && valueAt(payload, i.path) === undefined ? "is required" : i.message,
  }));
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = payload;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
