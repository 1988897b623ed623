import type { Sql } from "../store/driver.ts";
import { materialChanges, type NotificationCase, NotificationCaseSchema } from "./notification.types.ts";
import { deliveryId, insertCaseRow, reminderDeliveryId } from "./outbox.repository.ts";
import { type Routing, route } from "./routing.ts";

/** A NotificationCase that breaks its schema: a bug in the caller, not an expected outcome. */
export class InvalidNotificationCaseError extends Error {
  override readonly name = "InvalidNotificationCaseError";
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid notification case: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
}

/**
 * The notify phase's write: one outbox row per destination of this case event, in the caller's
 * transaction. Idempotent: the delivery id (case id + event version + destination) is the primary
 * key, so a retried phase or a second worker adds nothing (reported in `skipped`).
 * Nothing is sent here; the dispatcher sends.
 */
export async function enqueueNotifications(
  tx: Sql,
  c: NotificationCase,
  routing: Routing,
  now: Date,
): Promise<{ enqueued: number; skipped: string[] }> {
  const parsed = NotificationCaseSchema.safeParse(c);
  if (!parsed.success)
    throw new InvalidNotificationCaseError(
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    );
  const kase = parsed.data;
  if (kase.event === "updated" && materialChanges(kase).length === 0)
    return { enqueued: 0, skipped: ["update without a material change"] };
  const decision = route(kase, routing);
  if (decision.kind === "skip") return { enqueued: 0, skipped: [decision.reason] };
  const skipped = [...decision.notes];
  let enqueued = 0;
  for (const d of decision.destinations) {
    const id =
      kase.event === "reminder" && kase.reminder
        ? reminderDeliveryId(kase.case_id, kase.reminder.threshold, d.key)
        : deliveryId(kase.case_id, kase.version, d.key);
    if (await insertCaseRow(tx, { id, c: kase, destination: d.key, channel: d.channel, now })) enqueued++;
    else skipped.push(`already enqueued for ${d.key}`);
  }
  return { enqueued, skipped };
}
