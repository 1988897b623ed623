import type { z } from "zod";
import type { ExtractedNotice } from "../extract/notice.ts";
import type { Sql } from "../store/driver.ts";
import type { Assessment } from "./phases/assess.phase.ts";

/** `extracted_notices`: every notice a message stated, with its assessment, by trace id and index. */
export const extractedNoticesRepository = {
  /** Idempotent: a notice already stored for (trace id, index) is kept as it is. */
  async insert(
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
  },
};
