import { ConfigError, type WorkflowConfig } from "../config.ts";
import type { Routing } from "../notify/routing.ts";
import type { SqlDriver } from "../store/driver.ts";
import { parseThresholds, type Weekday } from "./reminders.schedule.ts";
import { createReminderScheduler, type ReminderScheduler } from "./reminders.scheduler.ts";

/** The reminder scheduler from settings (REMINDER_DAYS, REMINDER_POLL_SECONDS, DIGEST_WEEKDAY, DIGEST_HOUR_UTC). */
export function reminderSchedulerFromConfig(
  config: Pick<
    WorkflowConfig,
    "REMINDER_DAYS" | "REMINDER_POLL_SECONDS" | "DIGEST_WEEKDAY" | "DIGEST_HOUR_UTC"
  > & {
    PUBLIC_BASE_URL: string;
  },
  deps: {
    db: SqlDriver;
    routing: Routing;
    now: () => Date;
    workerId: string;
    logger: { info(o: object, m: string): void; error(o: object, m: string): void };
  },
): ReminderScheduler {
  const thresholds = parseThresholds(config.REMINDER_DAYS);
  if ("error" in thresholds)
    throw new ConfigError([{ variable: "REMINDER_DAYS", message: thresholds.error }]);
  return createReminderScheduler({
    ...deps,
    thresholds,
    weekly:
      config.DIGEST_WEEKDAY === "off"
        ? null
        : { weekday: config.DIGEST_WEEKDAY as Weekday, hourUtc: config.DIGEST_HOUR_UTC },
    publicBaseUrl: config.PUBLIC_BASE_URL,
    pollMs: config.REMINDER_POLL_SECONDS * 1000,
  });
}
