import { enqueueNotifications } from "../notify/enqueue.ts";
import type { Routing } from "../notify/routing.ts";
import type { Sql } from "../store/driver.ts";
import { caseNotifications } from "../workflow/case-notification.query.ts";

/**
 * The stakeholder messages of a review decision: a case the correction opened is news (`created`),
 * a case whose facts the decision changed is an update (sent when the change is material, as for any
 * notice). In the decision's transaction; the outbox's delivery id (case, report version,
 * destination) keeps each message single whatever happens after.
 */
export interface ReviewedCase {
  case_id: string;
  event: "created" | "updated";
  version: number;
  changes: { field: string; from: string | null; to: string | null }[];
}

export async function notifyReviewedCases(
  tx: Sql,
  cases: readonly ReviewedCase[],
  o: { routing: Routing; publicBaseUrl: string; now: Date },
): Promise<void> {
  for (const c of merged(cases)) {
    const [message] = await caseNotifications(tx, [c.case_id], {
      publicBaseUrl: o.publicBaseUrl,
      now: o.now,
      event: c.event,
    });
    if (message) await enqueueNotifications(tx, { ...message, changes: c.changes }, o.routing, o.now);
  }
}

/** One message per case: its latest version, created if any step created it, the changes end to end. */
function merged(cases: readonly ReviewedCase[]): ReviewedCase[] {
  const out = new Map<string, ReviewedCase>();
  for (const c of cases) {
    const prev = out.get(c.case_id);
    if (!prev) {
      out.set(c.case_id, { ...c, changes: [...c.changes] });
      continue;
    }
    prev.event = prev.event === "created" || c.event === "created" ? "created" : "updated";
    prev.version = Math.max(prev.version, c.version);
    for (const ch of c.changes) {
      const same = prev.changes.find((p) => p.field === ch.field);
      if (same) same.to = ch.to;
      else prev.changes.push({ ...ch });
    }
    prev.changes = prev.changes.filter((ch) => ch.from !== ch.to);
  }
  return [...out.values()];
}
