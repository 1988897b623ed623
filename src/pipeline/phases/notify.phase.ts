import type { CaseOutcome } from "../../cases/cases.service.ts";
import { briefFactsFromImpact, type LlmAssist, writeBrief } from "../../llm/index.ts";
import { enqueueNotifications } from "../../notify/enqueue.ts";
import type { NotificationCase } from "../../notify/notification.types.ts";
import { toNotificationCase } from "../../notify/notification-case.ts";
import type { Routing } from "../../notify/routing.ts";
import { provisionalCases } from "../../review/review.query.ts";
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
  // Filed by the persist phase before this one: a case resting on an unreviewed notice says so.
  const provisional = await provisionalCases(
    ctx.db,
    events.map((e) => e.case_id),
  );
  const cases: NotificationCase[] = [];
  const ref = ctx.input.reevaluation;
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
    cases.push(
      toNotificationCase({
        caseId: e.case_id,
        version: e.report_version ?? 1,
        event: e.kind === "created" ? "created" : "updated",
        changes: e.changes.map((c) => ({ field: c.field, from: c.from, to: c.to })),
        impact: e.impact,
        fallbackMpn: e.part?.mpn ?? null,
        lastShipDate: lastShip,
        assemblies,
        brief: brief.text,
        publicBaseUrl: deps.publicBaseUrl,
        now: ctx.now,
        provisional: provisional.has(e.case_id),
        ...(ref
          ? {
              cause: {
                kind: "reevaluation" as const,
                notice_trace_id: ref.notice_trace_id,
                bom_version: ref.bom_version,
              },
            }
          : {}),
      }),
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
