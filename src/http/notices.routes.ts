import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { HttpDeps } from "./deps.ts";
import { notFound, validationFailed } from "./errors.ts";
import { docSchema } from "./openapi.ts";

/**
 * What the status endpoint shows beyond the inbox row: extracted notices, cases, per-phase timings
 * and errors. The pipeline provides it; until a notice is processed the lists are empty.
 */
export interface NoticeDetails {
  notices: unknown[];
  cases: unknown[];
  errors: unknown[];
  /** Per phase: status, attempts, started_at, finished_at, duration_ms, error. */
  phases: unknown[];
  /** Each claim of the notice by a worker: who, when, how it ended. */
  runs?: unknown[];
  /** Values kept but not understood (an unknown lifecycle_status is stored as `unknown`). */
  warnings?: string[];
}
export type NoticeDetailsLoader = (traceId: string) => Promise<NoticeDetails>;

const PHASE_ORDER = ["extract", "assess", "persist", "notify"] as const;
const isDone = (p: unknown, name: string) =>
  typeof p === "object" &&
  p !== null &&
  "phase" in p &&
  p.phase === name &&
  "status" in p &&
  p.status === "ok";

const TraceParams = z.object({ trace_id: z.uuid("trace_id must be a UUID") });

/** GET /v1/notices/{trace_id} (DESIGN §4). */
export async function registerNoticeRoutes(
  app: FastifyInstance,
  deps: HttpDeps & { details?: NoticeDetailsLoader },
) {
  app.get(
    "/v1/notices/:trace_id",
    {
      schema: {
        summary: "Status of an accepted notice",
        tags: ["notices"],
        params: docSchema(TraceParams),
      },
    },
    async (req, reply) => {
      const p = TraceParams.safeParse(req.params);
      if (!p.success)
        return validationFailed(reply, [{ path: "trace_id", message: "trace_id must be a UUID" }]);
      const r = await deps.db.query<{
        trace_id: string;
        status: string;
        phase: string | null;
        attempts: number;
        received_at: Date;
        route: string;
        source: string;
        last_error: string | null;
      }>(
        "select trace_id, status, phase, attempts, received_at, route, source, last_error from inbox where trace_id = $1",
        [p.data.trace_id],
      );
      const row = r.rows[0];
      if (!row) return notFound(reply, "no notice with this trace_id");
      const details = deps.details
        ? await deps.details(row.trace_id)
        : { notices: [], cases: [], errors: [], phases: [], runs: [] };
      // While processing, the phase in hand is the first one not yet done.
      const phase =
        row.phase ??
        (row.status === "processing" || row.status === "received"
          ? (PHASE_ORDER.find((name) => !details.phases.some((p) => isDone(p, name))) ?? null)
          : null);
      return {
        trace_id: row.trace_id,
        status: row.status,
        phase: row.status === "completed" ? null : phase,
        attempts: row.attempts,
        received_at: new Date(row.received_at).toISOString(),
        route: row.route,
        source: row.source,
        notices: details.notices,
        warnings: details.warnings ?? [],
        cases: details.cases,
        errors: details.errors.length > 0 || !row.last_error ? details.errors : [{ message: row.last_error }],
        phases: details.phases,
        runs: details.runs ?? [],
      };
    },
  );
}
