import type { NotificationCase } from "./notification.types.ts";

/** One outgoing message: a single case event, or a digest of several (listed by exposure). */
export type OutgoingMessage =
  | { kind: "case"; deliveryId: string; case: NotificationCase }
  | { kind: "digest"; deliveryId: string; cases: NotificationCase[] };

/** Digest members in the order they are shown: largest revenue at risk first, then case id. */
export function byExposure(cases: readonly NotificationCase[]): NotificationCase[] {
  return [...cases].sort(
    (a, b) => b.revenue_at_risk - a.revenue_at_risk || a.case_id.localeCompare(b.case_id),
  );
}
