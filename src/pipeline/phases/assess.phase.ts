import { z } from "zod";
import { assessNotices, type CaseOutcome } from "../../cases/cases.service.ts";
import type { ImpactSettings } from "../../impact/impact.settings.ts";
import type { SqlDriver } from "../../store/driver.ts";
import type { Phase } from "../phase.ts";
import { ReevaluationRef } from "../reevaluation.ts";
import type { ExtractOutput } from "./extract.phase.ts";

/**
 * Match & assess: each extracted notice is matched to the stored BOM, put on its case and assessed
 * with the impact model, through the cases service. Its writes (cases, reports, links) are keyed by
 * the trace id in their own transaction: a repeat after a crash returns the first answer and adds
 * nothing.
 */
export const Assessment = z.object({
  notice_index: z.number().int().min(0),
  case_id: z.string().nullable(),
  revenue_at_risk: z.number().min(0),
  recommendation: z.string(),
  note: z.string().optional(),
});

const OUTCOME_KINDS = new Set(["created", "updated", "unchanged", "no_match"]);
/** A case outcome as the cases service returned it and the runner recorded it (JSON). */
const RecordedOutcome = z.custom<CaseOutcome>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    OUTCOME_KINDS.has((v as { kind?: unknown }).kind as string) &&
    typeof (v as { notice_index?: unknown }).notice_index === "number",
  "not a case outcome",
);

export const AssessOutput = z.object({
  /** Per notice: its case and exposure (what the status endpoint shows). */
  assessments: z.array(Assessment),
  /** The cases service's full answer, impact included (what the notify phase reads). */
  outcomes: z.array(RecordedOutcome).default([]),
  /** Set when this trace re-evaluates an earlier notice: its messages say so. */
  reevaluation: ReevaluationRef.optional(),
});
export type AssessOutput = z.infer<typeof AssessOutput>;

export interface AssessPhaseDeps {
  db: SqlDriver;
  settings: ImpactSettings;
}

export function assessPhase(deps: AssessPhaseDeps): Phase<ExtractOutput, AssessOutput> {
  return async (ctx) => {
    const ref = ctx.input.reevaluation;
    // A re-evaluation states the notice's facts as of its own arrival (a newer notice still wins)
    // and assesses them on today's BOM, as of when the re-evaluation was asked for.
    const outcomes = await assessNotices(deps.db, {
      traceId: ctx.item.traceId,
      receivedAt: ref ? new Date(ref.notice_received_at) : ctx.item.receivedAt,
      notices: ctx.input.notices,
      settings: deps.settings,
      ...(ref
        ? {
            reevaluation: {
              assessedAt: ctx.item.receivedAt,
              cause: {
                kind: "reevaluation" as const,
                notice_trace_id: ref.notice_trace_id,
                bom_version: ref.bom_version,
              },
            },
          }
        : {}),
    });
    const output: AssessOutput = {
      assessments: outcomes.map((o) => ({
        notice_index: o.notice_index,
        case_id: o.case_id,
        revenue_at_risk: o.impact?.revenue_at_risk ?? 0,
        recommendation: o.impact?.recommendation ?? "none",
        ...(o.kind === "no_match" ? { note: "no part of the BOM matches: exposure 0" } : {}),
      })),
      outcomes,
      ...(ref ? { reevaluation: ref } : {}),
    };
    return { kind: "ok", output };
  };
}
