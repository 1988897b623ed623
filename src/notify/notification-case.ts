import { attentionOf } from "../impact/impact.explain.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import {
  ASSUMPTIONS_NOTE,
  caseUrl,
  daysUntil,
  type NotificationCase,
  OPTION_KINDS,
} from "./notification.types.ts";

/**
 * A case event as the notify area sends it, from the case's impact report and the assemblies it
 * affects. Pure. Used by the pipeline's notify phase (created / updated), by reminders and weekly
 * digests, and to re-render a Slack message after someone acted on it.
 */
export interface NotificationCaseInput {
  caseId: string;
  /** The case's report version (the event version of created / updated messages). */
  version: number;
  event: NotificationCase["event"];
  changes: NotificationCase["changes"];
  impact: ImpactResult;
  /** The MPN to show when the report names no part (never the case for a matched part). */
  fallbackMpn: string | null;
  lastShipDate: string | null;
  assemblies: ReadonlyMap<string, { name: string; notify_channel: string | null }>;
  brief?: string | undefined;
  publicBaseUrl: string;
  now: Date;
  reminder?: NotificationCase["reminder"];
  workflow?: NotificationCase["workflow"];
  provisional?: boolean | undefined;
  /** What made this event when not a notice: a re-evaluation after a BOM import. */
  cause?: NotificationCase["cause"];
}

export function toNotificationCase(i: NotificationCaseInput): NotificationCase {
  const r = i.impact;
  const recommendation = r.recommendation;
  return {
    case_id: i.caseId,
    version: i.version,
    event: i.event,
    changes: i.changes,
    manufacturer: r.part?.manufacturer ?? null,
    mpn: r.part?.mpn ?? i.fallbackMpn ?? "?",
    status: r.status,
    ltb_date: r.ltb_date,
    last_ship_date: i.lastShipDate,
    days_to_ltb: daysUntil(r.ltb_date, i.now),
    days_to_last_ship: daysUntil(i.lastShipDate, i.now),
    revenue_at_risk: r.revenue_at_risk,
    recommendation,
    recommendation_cost: recommendation === "none" ? null : r.pnl_impact,
    options: OPTION_KINDS.flatMap((kind) => {
      const cost = r.options[kind];
      return cost === null || kind === recommendation ? [] : [{ kind, cost }];
    }),
    ltb_cash_outlay: r.last_time_buy_outlay,
    ltb_quantity: r.last_time_buy_outlay === null ? null : r.shortfall_units,
    alternate_part: r.alternate_part ?? null,
    substitute_part: r.substitute_part ?? null,
    currency: r.currency ?? "USD",
    attention: attentionOf(r),
    severity: r.severity,
    run_out_date: r.run_out_date,
    coverage_months: r.coverage_months,
    decision_by: r.decision_by,
    days_to_decision: daysUntil(r.decision_by, i.now),
    affected: r.affected.map(([id, qty]) => ({
      assembly_id: id,
      name: i.assemblies.get(id)?.name ?? id,
      qty_per_unit: qty,
      notify_channel: i.assemblies.get(id)?.notify_channel ?? null,
    })),
    case_url: caseUrl(i.publicBaseUrl, i.caseId),
    ...(i.brief !== undefined ? { brief: i.brief } : {}),
    assumptions: ASSUMPTIONS_NOTE,
    ...(i.reminder ? { reminder: i.reminder } : {}),
    ...(i.workflow ? { workflow: i.workflow } : {}),
    ...(i.provisional ? { provisional: true } : {}),
    ...(i.cause ? { cause: i.cause } : {}),
  };
}
