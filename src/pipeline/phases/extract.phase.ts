import { z } from "zod";
import { ExtractedNotice } from "../../extract/notice.ts";
import { normalizeComponentAlert } from "../../ingest/component-alert.normalize.ts";
import { ComponentAlertSchema } from "../../ingest/ingest.schemas.ts";
import type { Sql } from "../../store/driver.ts";
import type { Downstreams } from "../downstream.ts";
import type { InboxItem, PhaseContext, PhaseResult, Phases } from "../phase.ts";

/**
 * The four phases. On their own (no deps beyond `downstreams`) they do the simplest real thing for a
 * structured component alert: the alert's own fields as the notice (src/ingest normalisation), no
 * BOM consulted (exposure 0), the message logged. `extractEmail`, `assess` and `notify` plug in the
 * other areas' modules: phases.wired.ts is the one place that does it.
 */
export const ExtractOutput = z.object({
  is_lifecycle_notice: z.boolean(),
  notices: z.array(ExtractedNotice),
});
export type ExtractOutput = z.infer<typeof ExtractOutput>;

export const Assessment = z.object({
  notice_index: z.number().int().min(0),
  case_id: z.string().nullable(),
  revenue_at_risk: z.number().min(0),
  recommendation: z.string(),
  note: z.string().optional(),
});
export const AssessOutput = z.object({ assessments: z.array(Assessment) });
export type AssessOutput = z.infer<typeof AssessOutput>;

export interface PhaseDeps {
  downstreams: Downstreams;
  /** Extraction for email routes (src/extract); without it an email is a permanent failure. */
  extractEmail?: (item: InboxItem, ctx: PhaseContext) => Promise<PhaseResult>;
  /** Match & assess (src/cases); without it every notice has exposure 0 (no BOM consulted). */
  assess?: (notices: ExtractOutput, ctx: PhaseContext) => Promise<PhaseResult>;
  /** Stakeholder notification (src/notify); without it the message is logged. */
  notify?: (assessed: AssessOutput, extracted: ExtractOutput, ctx: PhaseContext) => Promise<PhaseResult>;
}

export function buildPhases(deps: PhaseDeps): Phases {
  return {
    async extract(ctx) {
      if (ctx.item.route === "component-alert") return extractComponentAlert(ctx.item);
      if (deps.extractEmail) return deps.extractEmail(ctx.item, ctx);
      return { kind: "permanent", error: `no extractor installed for route ${ctx.item.route}` };
    },
    async assess(ctx) {
      const extracted = ExtractOutput.safeParse(ctx.outputs.extract);
      if (!extracted.success) return { kind: "permanent", error: "extract output does not match its schema" };
      if (deps.assess) return deps.assess(extracted.data, ctx);
      const output: AssessOutput = {
        assessments: extracted.data.notices.map((_, i) => ({
          notice_index: i,
          case_id: null,
          revenue_at_risk: 0,
          recommendation: "none",
          note: "no BOM consulted: exposure 0",
        })),
      };
      return { kind: "ok", output };
    },
    async persist(ctx) {
      const extracted = ExtractOutput.safeParse(ctx.outputs.extract);
      const assessed = AssessOutput.safeParse(ctx.outputs.assess);
      if (!extracted.success || !assessed.success)
        return { kind: "permanent", error: "earlier phase outputs do not match their schemas" };
      const notices = extracted.data.notices;
      const byIndex = new Map(assessed.data.assessments.map((a) => [a.notice_index, a]));
      return {
        kind: "ok",
        output: { persisted: notices.length },
        commit: (tx) => insertExtractedNotices(tx, ctx.item.traceId, notices, byIndex, ctx.now),
      };
    },
    async notify(ctx) {
      const extracted = ExtractOutput.safeParse(ctx.outputs.extract);
      const assessed = AssessOutput.safeParse(ctx.outputs.assess);
      if (!extracted.success || !assessed.success)
        return { kind: "permanent", error: "earlier phase outputs do not match their schemas" };
      if (deps.notify) return deps.notify(assessed.data, extracted.data, ctx);
      // DESIGN §6: a part no assembly with future demand uses gets no stakeholder message.
      const exposed = assessed.data.assessments.filter((a) => a.revenue_at_risk > 0);
      for (const a of assessed.data.assessments) {
        const n = extracted.data.notices[a.notice_index];
        ctx.logger.info(
          {
            trace_id: ctx.item.traceId,
            mpn: n?.mpn,
            status: n?.lifecycle_status,
            exposure: a.revenue_at_risk,
          },
          a.revenue_at_risk > 0 ? "stakeholder message (log channel)" : "no exposure: no stakeholder message",
        );
      }
      return { kind: "ok", output: { messages: exposed.length, channel: "log" } };
    },
  };
}

function extractComponentAlert(item: InboxItem): PhaseResult {
  let json: unknown;
  try {
    json = JSON.parse(item.raw.toString("utf8"));
  } catch {
    return { kind: "permanent", error: "component alert payload is not JSON" };
  }
  const alert = ComponentAlertSchema.safeParse(json);
  if (!alert.success)
    return {
      kind: "permanent",
      error: `component alert breaks its schema: ${alert.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    };
  const { notice, warnings } = normalizeComponentAlert(alert.data);
  const output: ExtractOutput & { warnings: string[] } = {
    is_lifecycle_notice: true,
    notices: [notice],
    warnings,
  };
  return { kind: "ok", output };
}

async function insertExtractedNotices(
  tx: Sql,
  traceId: string,
  notices: readonly ExtractedNotice[],
  assessments: ReadonlyMap<number, z.infer<typeof Assessment>>,
  now: Date,
): Promise<void> {
  for (const [i, n] of notices.entries()) {
    await tx.query(
      `insert into extracted_notices
         (trace_id, notice_index, manufacturer, mpn, lifecycle_status, notice_type, notice, assessment, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (trace_id, notice_index) do nothing`,
      [
        traceId,
        i,
        n.manufacturer,
        n.mpn,
        n.lifecycle_status,
        n.notice_type,
        JSON.stringify(n),
        JSON.stringify(assessments.get(i) ?? null),
        now,
      ],
    );
  }
}
