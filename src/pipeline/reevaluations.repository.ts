import type { Sql } from "../store/driver.ts";
import type { ReevaluationCause } from "./reevaluation.ts";

/** `reevaluations`: which notice and BOM version each re-evaluation trace re-evaluates. */
export const reevaluationsRepository = {
  /** Written with the re-evaluations' inbox rows, in their transaction. */
  async insert(
    tx: Sql,
    rows: readonly {
      traceId: string;
      noticeTraceId: string;
      bomVersion: number;
      cause: ReevaluationCause;
      requestedAt: Date;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `insert into reevaluations (trace_id, notice_trace_id, bom_version, cause, requested_at)
       select x.trace_id::uuid, x.notice_trace_id::uuid, x.bom_version, x.cause, x.requested_at::timestamptz
       from json_to_recordset($1::json) as x(trace_id text, notice_trace_id text, bom_version bigint, cause text,
         requested_at text)
       on conflict do nothing`,
      [
        JSON.stringify(
          rows.map((r) => ({
            trace_id: r.traceId,
            notice_trace_id: r.noticeTraceId,
            bom_version: r.bomVersion,
            cause: r.cause,
            requested_at: r.requestedAt.toISOString(),
          })),
        ),
      ],
    );
  },
};
