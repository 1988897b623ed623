import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createHttpSender } from "../../src/notify/channel.send.ts";
import { createEngineeringAlerter } from "../../src/notify/engineering.alert.ts";
import { enqueueNotifications } from "../../src/notify/enqueue.ts";
import { createOutboxDispatcher, type OutboxDispatcher } from "../../src/notify/outbox.dispatcher.ts";
import { createRedisRateGate } from "../../src/notify/rate-gate.redis.ts";
import { createMemoryRateGate, type RateGate } from "../../src/notify/rate-gate.ts";
import type { Routing } from "../../src/notify/routing.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { seededRandom } from "../fakes/http-fake.base.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { createTestDatabase, openTestStore } from "../support/stores.ts";
import { notificationCase, routingTo, silentLogger } from "./cases.fixture.ts";
import { startChildDispatcher } from "./child.ts";

/**
 * Issue 7, done-criterion 1: 200 cases arriving within a few seconds to one Slack webhook limited
 * to 1 message/s that also answers random 429s. Every case reaches Slack exactly once (alone or in
 * a digest), none is lost, and nothing is sent while a Retry-After pause runs.
 */
const CASES = 200;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function dispatcher(db: SqlDriver, routing: Routing, gate: RateGate, id: string): OutboxDispatcher {
  const now = () => Date.now();
  return createOutboxDispatcher({
    db,
    channels: { destinations: routing.destinations, send: createHttpSender({ timeoutMs: 5_000, now }) },
    buckets: gate,
    breakers: createBreakerRegistry({ failureThreshold: 5, resetAfterMs: 2_000, halfOpenMax: 1, now }),
    metrics: newRegistry(),
    logger: silentLogger,
    now,
    alert: createEngineeringAlerter({ now, logger: silentLogger }),
    digestWindowSeconds: 2,
    pollMs: 25,
    workerId: id,
  });
}

/** Enqueues the cases in 10 bursts over about two seconds, as a busy pipeline would. */
async function feed(db: SqlDriver, routing: Routing): Promise<void> {
  for (let burst = 0; burst < 10; burst++) {
    await db.transaction(async (tx) => {
      for (let i = burst * (CASES / 10); i < (burst + 1) * (CASES / 10); i++)
        await enqueueNotifications(tx, notificationCase(i), routing, new Date());
    });
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function untilAllNotified(slack: HttpFake, timeoutMs: number): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = casesIn(slack);
    if ([...seen.values()].reduce((a, b) => a + b, 0) >= CASES || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Case id → how many accepted Slack messages mention it (case or digest lines link the case URL). */
function casesIn(slack: HttpFake): Map<string, number> {
  const count = new Map<string, number>();
  for (const r of slack.accepted()) {
    const ids = new Set(r.raw.match(/case-\d{4}(?=\|)/g) ?? []);
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
  }
  return count;
}

function expectExactlyOnce(slack: HttpFake) {
  const seen = casesIn(slack);
  const missing = Array.from({ length: CASES }, (_, i) => `case-${String(i).padStart(4, "0")}`).filter(
    (id) => !seen.has(id),
  );
  expect(missing, "cases never notified").toEqual([]);
  expect(
    [...seen.entries()].filter(([, n]) => n > 1),
    "cases notified twice",
  ).toEqual([]);
  expect(slack.duplicates()).toEqual([]);
  expect(slack.requestsDuringPause(), "requests sent during a Retry-After pause").toBe(0);
  expect(slack.invalid).toEqual([]);
}

describe("burst of 200 cases to one Slack webhook (1 msg/s, random 429s)", () => {
  it("one dispatcher on PGlite: each case exactly once, digests used, no request during a pause", async () => {
    const slack = await startFakeSlack({ ratePerSec: 1, random429: 0.2, random: seededRandom(7) });
    cleanup.push(() => slack.close());
    const db = await openTestStore("pglite");
    cleanup.push(() => db.close());
    const routing = routingTo([`slack:${slack.url}`]);
    const d = dispatcher(db, routing, createMemoryRateGate(Date.now), "w1");
    d.start();
    cleanup.push(() => d.stop());
    const started = Date.now();
    await feed(db, routing);
    await untilAllNotified(slack, 20_000);
    await d.stop();
    console.log(
      `[burst, 1 worker] ${CASES} cases in ${Date.now() - started} ms: ${slack.accepted().length} messages, ` +
        `${slack.received.filter((r) => r.status === 429).length} 429s`,
    );
    expectExactlyOnce(slack);
    expect(slack.received.some((r) => r.status === 429)).toBe(true);
    expect(slack.accepted().length).toBeLessThan(CASES / 4);
    const states = await db.query<{ state: string; n: number }>(
      "select state, count(*)::int as n from notify_outbox group by state order by state",
    );
    expect(states.rows.filter((r) => !["delivered", "digested"].includes(r.state))).toEqual([]);
  });

  describe("two workers sharing PostgreSQL and Redis", () => {
    const redisUrl = inject("redisUrl");
    const pgReason = inject("postgresSkipReason");
    const why = !redisUrl ? inject("redisSkipReason") : pgReason;

    it.skipIf(Boolean(why))(
      `two dispatchers in this process, each with its own Redis client and pool${why ? ` (skipped: ${why})` : ""}`,
      async () => {
        const slack = await startFakeSlack({ ratePerSec: 1, random429: 0.2, random: seededRandom(11) });
        cleanup.push(() => slack.close());
        const url = await createTestDatabase();
        const [db1, db2] = [
          await openPostgres({ url, poolSize: 3 }),
          await openPostgres({ url, poolSize: 3 }),
        ];
        cleanup.push(
          () => db1.close(),
          () => db2.close(),
        );
        await migrate(db1);
        const routing = routingTo([`slack:${slack.url}`]);
        const r1 = new Redis(redisUrl!);
        const r2 = new Redis(redisUrl!);
        cleanup.push(
          async () => r1.disconnect(),
          async () => r2.disconnect(),
        );
        const prefix = `t${Date.now()}`;
        const a = dispatcher(db1, routing, createRedisRateGate(r1, prefix), "w1");
        const b = dispatcher(db2, routing, createRedisRateGate(r2, prefix), "w2");
        a.start();
        b.start();
        cleanup.push(
          () => a.stop(),
          () => b.stop(),
        );
        const started = Date.now();
        await feed(db1, routing);
        await untilAllNotified(slack, 20_000);
        await Promise.all([a.stop(), b.stop()]);
        console.log(
          `[burst, 2 workers in-process] ${CASES} cases in ${Date.now() - started} ms: ${slack.accepted().length} messages, ` +
            `${slack.received.filter((r) => r.status === 429).length} 429s`,
        );
        expectExactlyOnce(slack);
        const by = await db1.query<{ claimed_by: string; n: number }>(
          "select claimed_by, count(*)::int as n from notify_outbox where claimed_by is not null group by claimed_by",
        );
        console.log(`[burst, 2 workers in-process] sends by worker: ${JSON.stringify(by.rows)}`);
      },
    );

    it.skipIf(Boolean(why))(
      `a dispatcher here and one in a child process${why ? ` (skipped: ${why})` : ""}`,
      async () => {
        const slack = await startFakeSlack({ ratePerSec: 1, random429: 0.2, random: seededRandom(13) });
        cleanup.push(() => slack.close());
        const url = await createTestDatabase();
        const db = await openPostgres({ url, poolSize: 3 });
        cleanup.push(() => db.close());
        await migrate(db);
        const routing = routingTo([`slack:${slack.url}`]);
        const redis = new Redis(redisUrl!);
        cleanup.push(async () => redis.disconnect());
        const prefix = `t${Date.now()}c`;
        const child = await startChildDispatcher({
          CHILD_DATABASE_URL: url,
          CHILD_REDIS_URL: redisUrl!,
          CHILD_REDIS_PREFIX: prefix,
          NOTIFY_ROUTES: JSON.stringify({ default: [`slack:${slack.url}`] }),
          CHILD_WORKER_ID: "child",
        });
        cleanup.push(() => child.stop());
        const a = dispatcher(db, routing, createRedisRateGate(redis, prefix), "parent");
        a.start();
        cleanup.push(() => a.stop());
        const started = Date.now();
        await feed(db, routing);
        await untilAllNotified(slack, 20_000);
        await a.stop();
        await child.stop();
        console.log(
          `[burst, 2 processes] ${CASES} cases in ${Date.now() - started} ms: ${slack.accepted().length} messages, ` +
            `${slack.received.filter((r) => r.status === 429).length} 429s`,
        );
        expectExactlyOnce(slack);
        const by = await db.query<{ claimed_by: string; n: number }>(
          "select claimed_by, count(*)::int as n from notify_outbox where claimed_by is not null group by claimed_by",
        );
        console.log(`[burst, 2 processes] sends by worker: ${JSON.stringify(by.rows)}`);
      },
    );
  });
});
