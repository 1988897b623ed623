import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import type { Registry } from "../observability/metrics.ts";
import { type BreakerRegistry, createBreakerRegistry } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import { createHttpSender } from "./channel.send.ts";
import { createEngineeringAlerter, type EngineeringAlerter } from "./engineering.alert.ts";
import { createOutboxDispatcher, type DispatcherLogger, type OutboxDispatcher } from "./outbox.dispatcher.ts";
import type { OutboxRow } from "./outbox.repository.ts";
import { createRedisRateGate } from "./rate-gate.redis.ts";
import { createMemoryRateGate } from "./rate-gate.ts";
import { type Routing, routingFromSettings } from "./routing.ts";

/**
 * Wires the notify area from settings, for the composition root: routing (throws ConfigError on a
 * bad NOTIFY_ROUTES), the engineering alerter, and a dispatcher using Redis buckets when a Redis
 * client is given (distributed mode) and in-process buckets otherwise.
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
  config: Config;
  db: SqlDriver;
  redis?: Redis | null;
  metrics: Registry;
  logger: DispatcherLogger;
  now: () => number;
  onDead?: (row: OutboxRow, reason: string) => void | Promise<void>;
  /** Share the pipeline's breaker registry so one gauge lists them all. */
  breakers?: BreakerRegistry;
  /** Share the process's engineering alerter so all alerts keep one rate limit. */
  alerter?: EngineeringAlerter;
}): Notifier {
  const { config, now } = deps;
  const routing = routingFromSettings(config);
  const alerter =
    deps.alerter ??
    createEngineeringAlerter({ url: config.ENGINEERING_WEBHOOK_URL, now, logger: deps.logger });
  const breakers =
    deps.breakers ??
    createBreakerRegistry({ failureThreshold: 5, resetAfterMs: 60_000, halfOpenMax: 1, now });
  const dispatcher = createOutboxDispatcher({
    db: deps.db,
    channels: {
      destinations: routing.destinations,
      send: createHttpSender({ timeoutMs: SEND_TIMEOUT_MS, now, webhookSecret: config.WEBHOOK_SECRET }),
    },
    buckets: deps.redis ? createRedisRateGate(deps.redis) : createMemoryRateGate(now),
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
      if (!config.ENGINEERING_WEBHOOK_URL)
        lines.push("notify: ENGINEERING_WEBHOOK_URL not set; engineering alerts only go to the log");
      return lines;
    },
  };
}
