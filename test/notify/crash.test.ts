import { afterEach, describe, expect, inject, it } from "vitest";
import { createHttpSender } from "../../src/notify/channel.send.ts";
import type { EngineeringAlert, EngineeringAlerter } from "../../src/notify/engineering.alert.ts";
import { enqueueNotifications } from "../../src/notify/enqueue.ts";
import { createOutboxDispatcher } from "../../src/notify/outbox.dispatcher.ts";
import { createMemoryRateGate } from "../../src/notify/rate-gate.ts";
import { newWebhookSecret } from "../../src/notify/webhook.message.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { startFakeWebhookReceiver } from "../fakes/webhook.fake.ts";
import { createTestDatabase } from "../support/stores.ts";
import { notificationCase, routingTo, silentLogger } from "./cases.fixture.ts";
import { type ChildDispatcher, startChildDispatcher } from "./child.ts";

/**
 * Issue 7, done-criterion 2: a worker killed (SIGKILL) after the destination received a message and
 * before it recorded the answer. Slack has no idempotency, so the row, left `sending`, becomes
 * `unconfirmed` when its lease runs out and is alerted, never resent: no second message. The
 * signed webhook is at-least-once: it is resent with the same `webhook-id` for the receiver to dedupe.
 */
const LEASE_MS = 60_000;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const reason = inject("postgresSkipReason");

async function crashScenario(
  fake: HttpFake,
  spec: string,
  env: Record<string, string> = {},
  secret?: string,
) {
  const url = await createTestDatabase();
  const db: SqlDriver = await openPostgres({ url, poolSize: 2 });
  cleanup.push(() => db.close());
  await migrate(db);
  const routing = routingTo([spec]);
  await db.transaction(async (tx) => {
    for (let i = 1; i <= 3; i++) await enqueueNotifications(tx, notificationCase(i), routing, new Date());
  });
  let child: ChildDispatcher | null = null;
  let killedId: string | null = null;
  fake.setBehaviour({
    // The destination has the message; the worker dies before it can read the answer.
    onReceive: async (r) => {
      if (killedId || !child) return;
      killedId = r.deliveryId;
      child.proc.kill("SIGKILL");
      await child.exited;
    },
  });
  child = await startChildDispatcher({
    CHILD_DATABASE_URL: url,
    NOTIFY_ROUTES: JSON.stringify({ default: [spec] }),
    CHILD_LEASE_MS: String(LEASE_MS),
    CHILD_WORKER_ID: "doomed",
    ...env,
  });
  cleanup.push(() => child!.stop());
  expect(await child.exited).toBe("SIGKILL");
  expect(killedId).toMatch(/^dlv_/);
  const stuck = await db.query<{ state: string }>("select state from notify_outbox where delivery_id = $1", [
    killedId,
  ]);
  expect(stuck.rows[0]?.state).toBe("sending");

  // A surviving worker, later than the lease: it must decide about the stuck row.
  const alerts: EngineeringAlert[] = [];
  const alert: EngineeringAlerter = {
    alert: (a) => alerts.push(a),
    flush: async () => {},
    stop: async () => {},
  };
  const later = () => Date.now() + LEASE_MS + 1_000;
  const survivor = createOutboxDispatcher({
    db,
    channels: {
      destinations: routing.destinations,
      send: createHttpSender({ timeoutMs: 5_000, now: later, webhookSecret: secret }),
    },
    buckets: createMemoryRateGate(later),
    breakers: createBreakerRegistry({ failureThreshold: 5, resetAfterMs: 1_000, halfOpenMax: 1, now: later }),
    metrics: newRegistry(),
    logger: silentLogger,
    now: later,
    alert,
    digestWindowSeconds: 60,
    limits: { slack: { ratePerSec: 100, burst: 10 }, webhook: { ratePerSec: 100, burst: 10 } },
    workerId: "survivor",
  });
  for (let i = 0; i < 5; i++) await survivor.runOnce();
  const states = await db.query<{ delivery_id: string; state: string }>(
    "select delivery_id, state from notify_outbox order by delivery_id",
  );
  return { killedId: killedId as unknown as string, alerts, states: states.rows };
}

describe("a worker killed between send and record", () => {
  it.skipIf(Boolean(reason))(
    `Slack: the stuck row becomes unconfirmed and alerted, never resent${reason ? ` (skipped: ${reason})` : ""}`,
    async () => {
      const slack = await startFakeSlack({ ratePerSec: null });
      cleanup.push(() => slack.close());
      const { killedId, alerts, states } = await crashScenario(slack, `slack:${slack.url}`);
      expect(slack.received.filter((r) => r.deliveryId === killedId)).toHaveLength(1);
      expect(slack.duplicates()).toEqual([]);
      expect(slack.accepted()).toHaveLength(3);
      expect(states.find((s) => s.delivery_id === killedId)?.state).toBe("unconfirmed");
      expect(states.filter((s) => s.state === "delivered")).toHaveLength(2);
      expect(alerts.map((a) => a.key)).toEqual([expect.stringMatching(/^unconfirmed:slack:/)]);
      expect(alerts[0]!.summary).toContain(killedId);
    },
  );

  it.skipIf(Boolean(reason))(
    `signed webhook: resent with the same webhook-id, signature valid, receiver can dedupe${reason ? ` (skipped: ${reason})` : ""}`,
    async () => {
      const secret = newWebhookSecret();
      const hook = await startFakeWebhookReceiver(secret);
      cleanup.push(() => hook.close());
      const { killedId, alerts, states } = await crashScenario(hook, `webhook:${hook.url}`, {}, secret);
      const copies = hook.received.filter((r) => r.deliveryId === killedId);
      expect(copies).toHaveLength(2);
      expect(copies.map((c) => c.headers["webhook-id"])).toEqual([killedId, killedId]);
      expect(copies[1]!.status).toBe(200);
      expect(states.every((s) => s.state === "delivered")).toBe(true);
      expect(alerts).toEqual([]);
    },
  );
});
