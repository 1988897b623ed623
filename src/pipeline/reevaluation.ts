import { z } from "zod";

/**
 * A re-evaluation (issue 16, docs/adr/0016-reevaluation.md): a notice received before the BOM held
 * its part, or before the part changed, is matched and assessed again after a BOM import. It is its
 * own traced work: an inbox row on route `reevaluate` (its own trace id, leases, retries, dead
 * letter), whose payload names the notice and the BOM version. Its extract phase copies the notice's
 * recorded extraction (nothing is re-read, no model is asked again); assess, persist and notify run
 * as for any notice, saying a re-evaluation made what they make. The inbox key
 * `reevaluate:<notice trace id>:<BOM version>` makes one re-evaluation per notice and BOM version.
 */
export const REEVALUATE_ROUTE = "reevaluate";
export const REEVALUATION_CAUSES = ["bom_import", "on_demand"] as const;
export type ReevaluationCause = (typeof REEVALUATION_CAUSES)[number];

/** The inbox payload of a re-evaluation, and what its phases carry forward to cases and messages. */
export const ReevaluationRef = z.object({
  notice_trace_id: z.uuid(),
  bom_version: z.number().int().min(0),
  cause: z.enum(REEVALUATION_CAUSES),
  /** When the notice itself arrived: its facts count as of then (a newer notice still wins). */
  notice_received_at: z.iso.datetime(),
});
export type ReevaluationRef = z.infer<typeof ReevaluationRef>;

export function reevaluationKey(noticeTraceId: string, bomVersion: number): string {
  return `${REEVALUATE_ROUTE}:${noticeTraceId}:${bomVersion}`;
}
