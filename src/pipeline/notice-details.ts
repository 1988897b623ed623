import type { NoticeDetails, NoticeDetailsLoader } from "../http/notices.routes.ts";
import type { Sql } from "../store/driver.ts";
import { deadLetters } from "./dead-letters.repository.ts";
import { AssessOutput, ExtractOutput } from "./phases.default.ts";
import { phasesRepository } from "./phases.repository.ts";
import { PHASES } from "./phases.ts";

/**
 * What GET /v1/notices/{trace_id} shows beyond the inbox row: the extracted notices (extract
 * output), the cases with their impact (assess output), every phase with its timing, attempts and
 * error, the runs (claims by workers) and the dead letters.
 */
export function noticeDetailsLoader(db: Sql): NoticeDetailsLoader {
  return async (traceId: string): Promise<NoticeDetails> => {
    const [phases, runs, letters] = await Promise.all([
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
    ]);
    const byName = new Map(phases.map((p) => [p.phase, p]));
    const extracted = ExtractOutput.safeParse(byName.get("extract")?.output);
    const assessed = AssessOutput.safeParse(byName.get("assess")?.output);
    const errors: unknown[] = [];
    for (const p of phases)
      if (p.status === "failed") errors.push({ phase: p.phase, message: p.error, at: iso(p.finished_at) });
    for (const d of letters)
      errors.push({ phase: d.phase, message: d.error, at: d.failed_at, dead_letter_id: d.id });
    const extractOut = byName.get("extract")?.output as { warnings?: unknown } | undefined;
    return {
      notices: extracted.success ? extracted.data.notices : [],
      // What the extractor could not read as sent (an unknown lifecycle_status, a date that is not ISO).
      warnings: Array.isArray(extractOut?.warnings)
        ? extractOut.warnings.filter((w) => typeof w === "string")
        : [],
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
    };
  };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
