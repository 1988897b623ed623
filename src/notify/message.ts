import type { NotificationCase } from "./notification.types.ts";

/** One outgoing message: a single case event, or a digest of several (listed by exposure). */
export type OutgoingMessage =
  | { kind: "case"; deliveryId: string; case: NotificationCase }
  | { kind: "digest"; deliveryId: string; cases: NotificationCase[]; weekly?: WeeklyDigest };

/** A weekly digest (DESIGN §11) lists the open cases of a route; a burst digest, what arrived at once. */
export interface WeeklyDigest {
  week: string;
}

/** The line under a digest's header: why these cases are listed together. */
export function digestIntro(weekly: WeeklyDigest | undefined): string {
  return weekly
    ? "The obsolescence cases routed here that are not closed or dismissed, largest exposure first."
    : "Many cases arrived at once, so they are listed together, largest exposure first.";
}

/** Digest members in the order they are shown: largest revenue at risk first, then case id. */
export function byExposure(cases: readonly NotificationCase[]): NotificationCase[] {
  return [...cases].sort(
    (a, b) => b.revenue_at_risk - a.revenue_at_risk || a.case_id.localeCompare(b.case_id),
  );
}
