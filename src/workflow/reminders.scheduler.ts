import { setTimeout as sleep } from "node:timers/promises";
import { isoDay } from "../impact/impact.model.ts";
import { enqueueNotifications } from "../notify/enqueue.ts";
import { insertWeeklyDigestRow, weeklyDigestId } from "../notify/outbox.repository.ts";
import { type Routing, route } from "../notify/routing.ts";
import type { SqlDriver } from "../store/driver.ts";
import { caseNotifications } from "./case-notification.query.ts";
import { openCaseIds, reminderCandidates } from "./reminders.query.ts";
import {
  claimReminder,
  claimWeeklyDigest,
  markReminderUndelivered,
  unclaimedWeeklyDigests,
} from "./reminders.repository.ts";
import { dueReminder, type Weekday, weeklySlotDue } from "./reminders.schedule.ts";

/**
 * Reminders and weekly digests (DESIGN §11), run by every worker process on a timer. Nothing is kept
 * in memory between passes: each pass reads what is due from the store and claims it with a row
 * (`case_reminders`, `weekly_digests`) in the transaction that puts the message in the outbox, so
 * however many processes run and whenever they restart, each reminder is enqueued exactly once. The
 * dispatcher then sends it with the destination's rate limit, merging bursts into digests.
 */
export interface ReminderSchedulerOptions {
  db: SqlDriver;
  routing: Routing;
  thresholds: readonly number[];
  /** null: no weekly digest. */
  weekly: { weekday: Weekday; hourUtc: number } | null;
  publicBaseUrl: string;
  now: () => Date;
  workerId: string;
  logger: { info(o: object, m: string): void; error(o: object, m: string): void };
  pollMs?: number;
}

export interface ReminderPass {
  reminders: number;
  superseded: number;
  undelivered: number;
  weeklyDigests: number;
}

export interface ReminderScheduler {
  runOnce(): Promise<ReminderPass>;
  start(): void;
  stop(): Promise<void>;
}

export function createReminderScheduler(o: ReminderSchedulerOptions): ReminderScheduler {
  const horizon = Math.max(...o.thresholds, 0);

  async function remind(stats: ReminderPass, now: Date): Promise<void> {
    for (const cand of await reminderCandidates(o.db, isoDay(now), horizon)) {
      const due = dueReminder(cand.decide_by, now, o.thresholds, new Set(cand.claimed));
      if (!due) continue;
      await o.db.transaction(async (tx) => {
        const base = { caseId: cand.id, dueDate: cand.decide_by, by: o.workerId, now };
        if (!(await claimReminder(tx, { ...base, threshold: due.threshold, state: "enqueued" }))) return;
        for (const t of due.superseded)
          await claimReminder(tx, { ...base, threshold: t, state: "superseded" });
        const reminder = { threshold: due.threshold, decision_by: cand.decide_by, days_left: due.daysLeft };
        const [c] = await caseNotifications(tx, [cand.id], {
          publicBaseUrl: o.publicBaseUrl,
          now,
          event: "reminder",
          reminders: new Map([[cand.id, reminder]]),
        });
        const sent = c ? await enqueueNotifications(tx, c, o.routing, now) : { enqueued: 0, skipped: [] };
        if (sent.enqueued === 0) {
          await markReminderUndelivered(tx, cand.id, due.threshold);
          stats.undelivered++;
        } else stats.reminders++;
        stats.superseded += due.superseded.length;
        o.logger.info(
          { case_id: cand.id, threshold: due.threshold, decide_by: cand.decide_by, enqueued: sent.enqueued },
          "reminder enqueued",
        );
      });
    }
  }

  async function weeklyDigests(stats: ReminderPass, now: Date): Promise<void> {
    if (!o.weekly || o.routing.destinations.size === 0) return;
    const week = weeklySlotDue(now, o.weekly.weekday, o.weekly.hourUtc);
    if (!week) return;
    const pending = await unclaimedWeeklyDigests(o.db, week, [...o.routing.destinations.keys()]);
    if (pending.length === 0) return;
    // Built once per pass and grouped by destination with the same routing as every other message.
    const cases = await caseNotifications(o.db, await openCaseIds(o.db), {
      publicBaseUrl: o.publicBaseUrl,
      now,
      event: "reminder",
    });
    const byDestination = new Map<string, typeof cases>();
    for (const c of cases) {
      const d = route(c, o.routing);
      if (d.kind === "skip") continue;
      for (const dest of d.destinations)
        byDestination.set(dest.key, [...(byDestination.get(dest.key) ?? []), c]);
    }
    for (const key of pending) {
      const dest = o.routing.destinations.get(key)!;
      const list = byDestination.get(key) ?? [];
      await o.db.transaction(async (tx) => {
        if (
          !(await claimWeeklyDigest(tx, { destination: key, week, cases: list.length, by: o.workerId, now }))
        )
          return;
        if (list.length === 0) return;
        await insertWeeklyDigestRow(tx, {
          id: weeklyDigestId(week, key),
          destination: key,
          channel: dest.channel,
          cases: list,
          week,
          now,
        });
        stats.weeklyDigests++;
      });
    }
  }

  async function runOnce(): Promise<ReminderPass> {
    const stats: ReminderPass = { reminders: 0, superseded: 0, undelivered: 0, weeklyDigests: 0 };
    const now = o.now();
    await remind(stats, now);
    await weeklyDigests(stats, now);
    return stats;
  }

  let running = false;
  let loop: Promise<void> | null = null;
  let wake = new AbortController();
  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await runOnce();
          } catch (e) {
            o.logger.error({ err: e }, "reminder pass failed; next pass retries");
          }
          if (running) await sleep(o.pollMs ?? 60_000, undefined, { signal: wake.signal }).catch(() => {});
        }
      })();
    },
    async stop() {
      running = false;
      wake.abort();
      await loop;
      loop = null;
      wake = new AbortController();
    },
  };
}
