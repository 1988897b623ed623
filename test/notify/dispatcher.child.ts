/**
 * A notification worker in its own process, for the multi-process and crash tests. Settings from
 * the environment: CHILD_DATABASE_URL, CHILD_REDIS_URL (optional: shared rate gate), NOTIFY_ROUTES,
 * CHILD_LEASE_MS, CHILD_DIGEST_WINDOW_SECONDS, CHILD_WORKER_ID. Prints "ready" when polling, stops
 * (draining) on SIGTERM and prints its stats as JSON.
 */
import { Redis } from "ioredis";
import { createHttpSender } from "../../src/notify/channel.send.ts";
import { createEngineeringAlerter } from "../../src/notify/engineering.alert.ts";
import { createOutboxDispatcher } from "../../src/notify/outbox.dispatcher.ts";
import { createRedisRateGate } from "../../src/notify/rate-gate.redis.ts";
import { createMemoryRateGate } from "../../src/notify/rate-gate.ts";
import { routingFromSettings } from "../../src/notify/routing.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";

const env = process.env;
const now = () => Date.now();
const logger = { info() {}, warn() {}, error: (o: object, m: string) => console.error(m, o) };
const db = await openPostgres({ url: env.CHILD_DATABASE_URL ?? "", poolSize: 2 });
const redis = env.CHILD_REDIS_URL ? new Redis(env.CHILD_REDIS_URL) : null;
const routing = routingFromSettings({ NOTIFY_ROUTES: env.NOTIFY_ROUTES, NOTIFY_MIN_REVENUE_AT_RISK: 0 });
const d = createOutboxDispatcher({
  db,
  channels: { destinations: routing.destinations, send: createHttpSender({ timeoutMs: 5_000, now }) },
  buckets: redis ? createRedisRateGate(redis, env.CHILD_REDIS_PREFIX) : createMemoryRateGate(now),
  breakers: createBreakerRegistry({ failureThreshold: 5, resetAfterMs: 2_000, halfOpenMax: 1, now }),
  metrics: newRegistry(),
  logger,
  now,
  alert: createEngineeringAlerter({ now, logger }),
  digestWindowSeconds: Number(env.CHILD_DIGEST_WINDOW_SECONDS ?? 2),
  leaseMs: Number(env.CHILD_LEASE_MS ?? 60_000),
  pollMs: 25,
  workerId: env.CHILD_WORKER_ID ?? "child",
});
d.start();
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await d.stop();
  await db.close();
  redis?.disconnect();
  process.exit(0);
});
