import type { CaseOutcome } from "../../cases/cases.service.ts";
import { attentionOf } from "../../impact/impact.explain.ts";
import { briefFactsFromImpact, type LlmAssist, writeBrief } from "../../llm/index.ts";
import { enqueueNotifications } from "../../notify/enqueue.ts";
import {
  ASSUMPTIONS_NOTE,
  caseUrl,
  daysUntil,
  type NotificationCase,
  OPTION_KINDS,
} from "../../notify/notification.types.ts";
import type { Routing } from "../../notify/routing.ts";
import type { Sql } from "../../store/driver.ts";
import { assemblyInfo, lastShipDate } from "../notification-facts.query.ts";
import type { Phase, PhaseContext, PhaseResult } from "../phase.ts";
import type { AssessOutput } from "./assess.phase.ts";

/**
 * Notify: for each case this notice created or materially changed, the stakeholder message (with the
 * brief, worded by the model when there is one and checked against the computed facts) as one outbox
 * row per destination, committed with the phase record. Nothing is sent here: the outbox dispatcher
 * sends, within each channel's rate limits.
 */
export interface NotifyPhaseDeps {
  llm: LlmAssist | null;
  routing: Routing;
  /** PUBLIC_BASE_URL: where the case links in messages point. */
  publicBaseUrl: string;
}

export interface NotifyOutput {
  cases: number;
  case_ids: string[];
}

export function notifyPhase(deps: NotifyPhaseDeps): Phase<AssessOutput, NotifyOutput> {
  return (ctx) => notifyCases(deps, ctx);
}

/** One outbox row per destination for each case this notice created or materially changed. */
async function notifyCases(
  deps: NotifyPhaseDeps,
  ctx: PhaseContext<AssessOutput>,
): Promise<PhaseResult<NotifyOutput>> {
  const events = ctx.input.outcomes.filter(
    (o): o is CaseOutcome & { case_id: string; impact: NonNullable<CaseOutcome["impact"]> } =>
      (o.kind === "created" || o.kind === "updated") && o.case_id !== null && o.impact !== null,
  );
  if (events.length === 0) return { kind: "ok", output: { cases: 0, case_ids: [] } };
  const assemblies = await assemblyInfo(
    ctx.db,
    events.flatMap((e) => e.impact.affected.map(([id]) => id)),
  );
  const cases: NotificationCase[] = [];
  for (const e of events) {
    const lastShip = await lastShipDate(ctx.db, e.case_id);
    const brief = await writeBrief(
      deps.llm,
      briefFactsFromImpact({
        caseId: e.case_id,
        impact: e.impact,
        lastShipDate: lastShip,
        productNames: new Map([...assemblies].map(([id, a]) => [id, a.name])),
      }),
    );
    const c = notificationCase(deps.publicBaseUrl, e, lastShip, assemblies, brief.text, ctx.now);
    const ref = ctx.input.reevaluation;
    cases.push(
      ref
        ? {
            ...c,
            cause: {
              kind: "reevaluation",
              notice_trace_id: ref.notice_trace_id,
              bom_version: ref.bom_version,
            },
          }
        : c,
    );
  }
  return {
    kind: "ok",
    output: { cases: cases.length, case_ids: cases.map((c) => c.case_id) },
    commit: async (tx: Sql) => {
      for (const c of cases) await enqueueNotifications(tx, c, deps.routing, ctx.now);
    },
  };
}

function notificationCase(
  publicBaseUrl: string,
  e: CaseOutcome & { case_id: string; impact: NonNullable<CaseOutcome["impact"]> },
  lastShip: string | null,
  assemblies: Map<string, { name: string; notify_channel: string | null }>,
  brief: string,
  now: Date,
): NotificationCase {
  const r = e.impact;
  const recommendation = r.recommendation;
  return {
    case_id: e.case_id,
    version: e.report_version ?? 1,
    event: e.kind === "created" ? "created" : "updated",
    changes: e.changes.map((c) => ({ field: c.field, from: c.from, to: c.to })),
    manufacturer: r.part?.manufacturer ?? null,
    mpn: r.part?.mpn ?? e.part?.mpn ?? "?",
    status: r.status,
    ltb_date: r.ltb_date,
    last_ship_date: lastShip,
    days_to_ltb: daysUntil(r.ltb_date, now),
    days_to_last_ship: daysUntil(lastShip, now),
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
    days_to_decision: daysUntil(r.decision_by, now),
    affected: r.affected.map(([id, qty]) => ({
      assembly_id: id,
      name: assemblies.get(id)?.name ?? id,
      qty_per_unit: qty,
      notify_channel: assemblies.get(id)?.notify_channel ?? null,
    })),
    case_url: caseUrl(publicBaseUrl, e.case_id),
    brief,
    assumptions: ASSUMPTIONS_NOTE,
  };
}
