import { inboxRepository } from "../inbox/inbox.repository.ts";
import type { Sql } from "../store/driver.ts";
import { deadLetters } from "./dead-letters.repository.ts";
import { PHASES } from "./phase.ts";
import { AssessOutput } from "./phases/assess.phase.ts";
import { ExtractOutput } from "./phases/extract.phase.ts";
import { phasesRepository } from "./phases.repository.ts";
import { type ReevaluationSummary, reevaluationOf, reevaluationsOf } from "./reevaluation.query.ts";

/**
 * The read model behind GET /v1/notices/{trace_id} (DESIGN §4): the inbox row, the extracted notices
 * (extract output), the cases with their impact (assess output), every phase with its timing,
 * attempts and error, the runs (claims by workers) and the dead letters.
 */
export interface NoticeStatus {
  trace_id: string;
  status: string;
  /** The phase in hand (or where it stopped); null once completed. */
  phase: string | null;
  attempts: number;
  received_at: string;
  route: string;
  source: string;
  notices: unknown[];
  /** What the extractor could not read as sent (an unknown lifecycle_status, an unreadable attachment). */
  warnings: string[];
  /**
   * What the extract phase recorded beside the notices: per notice its confidence and where it was
   * found (`sources`, same order as `notices`), the message's subject and sender, the model's part.
   */
  extraction: Record<string, unknown> | null;
  cases: unknown[];
  errors: unknown[];
  phases: {
    phase: string;
    status: string;
    attempts: number;
    started_at: string;
    finished_at: string;
    duration_ms: number;
    error: string | null;
  }[];
  runs: unknown[];
  /** A notice: its re-evaluations after BOM imports (each its own trace). */
  reevaluations: ReevaluationSummary[];
  /** A re-evaluation: the notice and BOM version it re-evaluates; null for a notice. */
  reevaluation_of: { notice_trace_id: string; bom_version: number; cause: string } | null;
}

export async function noticeStatus(db: Sql, traceId: string): Promise<NoticeStatus | null> {
  const row = await inboxRepository.get(db, traceId);
  if (!row) return null;
  const [phases, runs, letters, reevaluations, reevaluation] = await Promise.all([
    phasesRepository.forTrace(db, traceId),
    db.query<{
      worker: string;
      lane: string;
      started_at: Date;
      finished_at: Date | null;
      outcome: string | null;
    }>(
      "select worker, lane, started_at, finished_at, outcome from pipeline_runs where trace_id = $1 order by id",
      [traceId],
    ),
    deadLetters.forTrace(db, traceId),
    reevaluationsOf(db, traceId),
    reevaluationOf(db, traceId),
  ]);
  const byName = new Map(phases.map((p) => [p.phase, p]));
  const extracted = ExtractOutput.safeParse(byName.get("extract")?.output);
  const assessed = AssessOutput.safeParse(byName.get("assess")?.output);
  const errors: unknown[] = [];
  for (const p of phases)
    if (p.status === "failed") errors.push({ phase: p.phase, message: p.error, at: iso(p.finished_at) });
  for (const d of letters)
    errors.push({ phase: d.phase, message: d.error, at: d.failed_at, dead_letter_id: d.id });
  if (errors.length === 0 && row.last_error) errors.push({ message: row.last_error });
  // While waiting or processing, the phase in hand is the first one not yet done.
  const pending =
    row.status === "processing" || row.status === "received"
      ? (PHASES.find((name) => byName.get(name)?.status !== "ok") ?? null)
      : null;
  return {
    trace_id: row.trace_id,
    status: row.status,
    phase: row.status === "completed" ? null : (row.phase ?? pending),
    attempts: row.attempts,
    received_at: new Date(row.received_at).toISOString(),
    route: row.route,
    source: row.source,
    notices: extracted.success ? extracted.data.notices : [],
    warnings: extracted.success ? (extracted.data.warnings ?? []) : [],
    extraction: extractionDetails(byName.get("extract")?.output),
    cases: assessed.success
      ? assessed.data.assessments.map((a) => ({
          notice_index: a.notice_index,
          case_id: a.case_id,
          revenue_at_risk: a.revenue_at_risk,
          recommendation: a.recommendation,
          ...(a.note ? { note: a.note } : {}),
        }))
      : [],
    errors,
    phases: PHASES.flatMap((name) => {
      const p = byName.get(name);
      if (!p) return [];
      const started = new Date(p.started_at);
      const finished = new Date(p.finished_at);
      return [
        {
          phase: name,
          status: p.status,
          attempts: p.attempts,
          started_at: started.toISOString(),
          finished_at: finished.toISOString(),
          duration_ms: finished.getTime() - started.getTime(),
          error: p.error,
        },
      ];
    }),
    runs: runs.rows.map((r) => ({
      worker: r.worker,
      lane: r.lane,
      started_at: iso(r.started_at),
      finished_at: iso(r.finished_at),
      outcome: r.outcome,
    })),
    reevaluations,
    reevaluation_of: reevaluation,
  };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function extractionDetails(output: unknown): Record<string, unknown> | null {
  if (!output || typeof output !== "object") return null;
  const { notices: _notices, ...rest } = output as Record<string, unknown>;
  return rest;
}
