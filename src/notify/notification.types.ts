import { z } from "zod";
import { OPTION_KINDS } from "../impact/impact.model.ts";
import { SEVERITIES } from "../impact/impact.time.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";

/**
 * What the notify phase needs to know about one case event. Defined here (not imported from
 * src/cases) so the notify area depends on a narrow, stable shape; the pipeline maps its case to it.
 * Money is in the company currency, already rounded to cents (DESIGN §6); dates are ISO `YYYY-MM-DD`.
 */
export { OPTION_KINDS };
export const OptionKind = z.enum(OPTION_KINDS);
export type OptionKind = z.infer<typeof OptionKind>;

/**
 * Fields whose change makes a re-assessment worth an update message (issue 7: dates, status,
 * recommendation; issue 15: severity and the decide-by date).
 */
export const MATERIAL_FIELDS = [
  "status",
  "ltb_date",
  "last_ship_date",
  "recommendation",
  "manufacturer",
  "mpn",
  "severity",
  "decision_by",
] as const;

/**
 * What the case asks of people: `act` when supply ends (buy, qualify, redesign); `review` or `watch`
 * when the part can still be bought as usual (DESIGN §6 step 0: a product change to review, an NRND
 * part to watch), with no buy advice.
 */
export const ATTENTIONS = ["act", "review", "watch"] as const;
export type Attention = (typeof ATTENTIONS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date YYYY-MM-DD");
const money = z.number().finite();
const scalar = z.union([z.string(), z.number(), z.null()]);
const PartRef = z.object({ manufacturer: z.string(), mpn: z.string() });

export const NotificationCaseSchema = z.object({
  case_id: z.string().min(1),
  /** Event version: 1 when the case is created, +1 for each re-assessment. Part of the delivery id. */
  version: z.number().int().min(1),
  /** `reminder`: the case is undecided and its decide-by date is near or past (DESIGN §11). */
  event: z.enum(["created", "updated", "reminder"]),
  changes: z.array(z.object({ field: z.string().min(1), from: scalar, to: scalar })),
  manufacturer: z.string().nullable(),
  mpn: z.string().min(1),
  status: LifecycleStatus,
  ltb_date: isoDate.nullable(),
  last_ship_date: isoDate.nullable(),
  /** Whole days from the injected `now` to the date (negative when past); see `daysUntil`. */
  days_to_ltb: z.number().int().nullable(),
  days_to_last_ship: z.number().int().nullable(),
  revenue_at_risk: money.min(0),
  recommendation: z.union([OptionKind, z.literal("none")]),
  recommendation_cost: money.nullable(),
  /** The other feasible options (not the recommended one), each with its P&L cost. */
  options: z.array(z.object({ kind: OptionKind, cost: money })),
  /** Cash needed for the last-time buy (Q × unit cost), when an LTB is feasible. */
  ltb_cash_outlay: money.nullable(),
  /** Units the last-time buy buys (the shortfall Q), when an LTB is feasible. */
  ltb_quantity: z.number().int().min(0).nullable().optional(),
  /** The cheapest usable drop-in alternate and substitute behind those options (DESIGN §6). */
  alternate_part: PartRef.nullable().optional(),
  substitute_part: PartRef.nullable().optional(),
  /** ISO 4217 code of every money figure (CURRENCY); rows enqueued before it carry none: USD. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** What made this event: absent or null for a notice; a re-evaluation after a BOM change. */
  cause: z
    .object({
      kind: z.literal("reevaluation"),
      notice_trace_id: z.string(),
      bom_version: z.number().int().min(0),
    })
    .nullable()
    .optional(),
  affected: z.array(
    z.object({
      assembly_id: z.string().min(1),
      name: z.string(),
      qty_per_unit: z.number().min(0),
      notify_channel: z.string().nullable(),
    }),
  ),
  /**
   * The §6b time view (optional: rows enqueued before it carry none). `coverage_months` counts to
   * the run-out date, or to the last end of production when covered.
   */
  attention: z.enum(ATTENTIONS).optional(),
  severity: z.enum(SEVERITIES).nullable().optional(),
  run_out_date: isoDate.nullable().optional(),
  coverage_months: z.number().min(0).nullable().optional(),
  decision_by: isoDate.nullable().optional(),
  days_to_decision: z.number().int().nullable().optional(),
  case_url: z.url(),
  /** Human brief (LLM-written or template, from src/llm); numbers in it are never the source of truth. */
  brief: z.string().optional(),
  assumptions: z.string().min(1),
  /** Set on reminders: which threshold (days before, or `overdue`) and the date counted to. */
  reminder: z
    .object({ threshold: z.string().min(1), decision_by: isoDate, days_left: z.number().int() })
    .optional(),
  /**
   * The case rests on a notice the extractor was not sure of and nobody has confirmed or corrected
   * yet (issue 19): messages say so plainly. Absent: not provisional.
   */
  provisional: z.boolean().optional(),
  /** Where people are with the case (DESIGN §11); absent on messages rendered before any action. */
  workflow: z
    .object({
      state: z.enum(["open", "acknowledged", "decided", "mitigating", "closed", "dismissed"]),
      assignee: z.string().nullable(),
      decision: z
        .object({
          option: OptionKind,
          quantity: z.number().nullable(),
          decided_by: z.string(),
          decided_at: z.string(),
        })
        .nullable(),
      /** Who last acted and how, for the line the message shows after a click. */
      last: z.object({ actor: z.string(), action: z.string(), at: z.string() }).nullable(),
    })
    .optional(),
});
export type NotificationCase = z.infer<typeof NotificationCaseSchema>;
export type CaseChange = NotificationCase["changes"][number];

/** Shown beside every money figure (DESIGN §6, §6b: say where the figures come from). */
export const ASSUMPTIONS_NOTE =
  "Attrition, holding-cost and broker-premium rates are common industry practice, not a published standard; " +
  "NRE figures are the DMSMS resolution-cost means (ARINC for DMEA, 2010); lead times to qualify an " +
  "alternate, substitute or redesign and the demand growth of the stress case are notional planning figures.";

const DAY_MS = 86_400_000;

/** Whole days from `now` to the start (UTC) of `isoDate`, rounded up; null when the date is unknown. */
export function daysUntil(isoDate: string | null, now: Date): number | null {
  if (!isoDate) return null;
  const target = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(target)) return null;
  // `+ 0` turns Math.ceil's -0 (a date later today) into 0.
  return Math.ceil((target - now.getTime()) / DAY_MS) + 0;
}

/** The case's page in the console (DESIGN §12): `<PUBLIC_BASE_URL>/cases/<id>`. */
export function caseUrl(publicBaseUrl: string, caseId: string): string {
  return new URL(
    `cases/${encodeURIComponent(caseId)}`,
    publicBaseUrl.endsWith("/") ? publicBaseUrl : `${publicBaseUrl}/`,
  ).href;
}

/** The material changes of an update (non-material ones, like a revenue re-estimate, send nothing). */
export function materialChanges(c: NotificationCase): CaseChange[] {
  const material: readonly string[] = MATERIAL_FIELDS;
  return c.changes.filter((ch) => material.includes(ch.field) && ch.from !== ch.to);
}
