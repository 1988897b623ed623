import type { Config } from "../config.ts";
import type { Registry } from "../observability/metrics.ts";
import type { BreakerRegistry } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { ChannelSender } from "./channel.port.ts";
import type { EngineeringAlerter } from "./engineering.alert.ts";
import { createOutboxDispatcher, type OutboxDispatcher } from "./outbox.dispatcher.ts";
import type { DispatcherLogger } from "./outbox.options.ts";
import type { OutboxRow } from "./outbox.repository.ts";
import type { RateGate } from "./rate-gate.ts";
import { type Routing, routingFromSettings } from "./routing.ts";

/**
 * The notify area from its settings, for the composition root: routing (throws ConfigError on a bad
 * NOTIFY_ROUTES) and the outbox dispatcher over the adapters main.ts chose (the HTTP sender; Redis
 * buckets in distributed mode, in-process ones otherwise), sharing the process's breakers and
 * engineering alerter.
 */
export interface Notifier {
  routing: Routing;
  alerter: EngineeringAlerter;
  breakers: BreakerRegistry;
  dispatcher: OutboxDispatcher;
  /** Lines for the start banner: what is configured and what is not (never a URL). */
  describe(): string[];
}

export const SEND_TIMEOUT_MS = 10_000;

export function createNotifier(deps: {
  config: Pick<Config, "notify" | "alerts">;
  db: SqlDriver;
  /** Sends one message to one destination (channel.send.ts). */
  send: ChannelSender;
  /** Outbound rate limits: shared through Redis in distributed mode. */
  buckets: RateGate;
  metrics: Registry;
  logger: DispatcherLogger;
  now: () => number;
  onDead?: (row: OutboxRow, reason: string) => void | Promise<void>;
  /** The process's breakers, so one gauge lists them all. */
  breakers: BreakerRegistry;
  /** The process's engineering alerter, so all alerts keep one rate limit. */
  alerter: EngineeringAlerter;
}): Notifier {
  const { now, alerter, breakers } = deps;
  const config = deps.config.notify;
  const routing = routingFromSettings(config);
  const dispatcher = createOutboxDispatcher({
    db: deps.db,
    channels: { destinations: routing.destinations, send: deps.send },
    buckets: deps.buckets,
    breakers,
    metrics: deps.metrics,
    logger: deps.logger,
    now,
    alert: alerter,
    ...(deps.onDead ? { onDead: deps.onDead } : {}),
    digestWindowSeconds: config.NOTIFY_DIGEST_WINDOW_SECONDS,
    leaseMs: SEND_TIMEOUT_MS * 6,
    limits: {
      slack: { ratePerSec: config.NOTIFY_SLACK_RATE_PER_SEC, burst: config.NOTIFY_SLACK_BURST },
      teams: { ratePerSec: config.NOTIFY_TEAMS_RATE_PER_SEC, burst: config.NOTIFY_TEAMS_BURST },
      webhook: { ratePerSec: config.NOTIFY_WEBHOOK_RATE_PER_SEC, burst: config.NOTIFY_WEBHOOK_BURST },
    },
  });
  return {
    routing,
    alerter,
    breakers,
    dispatcher,
    describe() {
      const lines = [...routing.routes].map(
        ([name, ds]) => `notify route "${name}": ${ds.map((d) => d.key).join(", ")}`,
      );
      if (!routing.routes.has("default"))
        lines.push("notify: no default route; cases reach only their products' routes");
      if (routing.destinations.size === 0)
        lines.push("notify: no destination configured; no stakeholder messages will be sent");
      if ([...routing.destinations.values()].some((d) => d.channel === "webhook") && !config.WEBHOOK_SECRET)
        lines.push("notify: WEBHOOK_SECRET not set; the generic webhook is sent unsigned");
      if (!deps.config.alerts.ENGINEERING_WEBHOOK_URL)
        lines.push("notify: ENGINEERING_WEBHOOK_URL not set; engineering alerts only go to the log");
      return lines;
    },
  };
}
