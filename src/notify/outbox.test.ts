import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpFake } from "../../test/fakes/http-fake.base.ts";
import { slackReplies, startFakeSlack } from "../../test/fakes/slack.fake.ts";
import { startFakeTeams } from "../../test/fakes/teams.fake.ts";
import { startFakeWebhookReceiver } from "../../test/fakes/webhook.fake.ts";
import { notificationCase, routingTo, silentLogger } from "../../test/notify/cases.fixture.ts";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { newRegistry } from "../observability/metrics.ts";
import { createBreakerRegistry } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import { createHttpSender } from "./channel.send.ts";
import type { EngineeringAlert } from "./engineering.alert.ts";
import { enqueueNotifications, InvalidNotificationCaseError } from "./enqueue.ts";
import { createOutboxDispatcher } from "./outbox.dispatcher.ts";
import type { OutboxRow } from "./outbox.repository.ts";
import { createMemoryRateGate } from "./rate-gate.ts";
import type { Routing } from "./routing.ts";
import { newWebhookSecret } from "./webhook.message.ts";

describeEachStore("notification outbox", (kind) => {
  let db: SqlDriver;
  let slack: HttpFake;
  let t: number;
  const now = () => t;
  beforeAll(async () => {
    db = await openTestStore(kind);
    slack = await startFakeSlack({ ratePerSec: null });
  });
  afterAll(async () => {
    await slack.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.query("delete from notify_outbox");
    slack.reset();
    // Real time: the signed webhook's receiver checks webhook-timestamp against its own clock.
    t = Date.now();
  });
  const enqueue = (c: ReturnType<typeof notificationCase>, routing: Routing) =>
    db.transaction((tx) => enqueueNotifications(tx, c, routing, new Date(t)));
  const rows = async () =>
    (
      await db.query<
        Pick<OutboxRow, "delivery_id" | "case_id" | "state" | "attempts" | "failures" | "digest_id" | "event">
      >(
        "select delivery_id, case_id, state, attempts, failures, digest_id, event from notify_outbox order by case_id, delivery_id",
      )
    ).rows;

  function setup(
    routing: Routing,
    over: { secret?: string; digestWindowSeconds?: number; maxFailures?: number } = {},
  ) {
    const alerts: EngineeringAlert[] = [];
    const metrics = newRegistry();
    const dead: { row: OutboxRow; reason: string }[] = [];
    const d = createOutboxDispatcher({
      db,
      channels: {
        destinations: routing.destinations,
        send: createHttpSender({ timeoutMs: 2_000, now, webhookSecret: over.secret }),
      },
      buckets: createMemoryRateGate(now),
      breakers: createBreakerRegistry({ failureThreshold: 3, resetAfterMs: 30_000, halfOpenMax: 1, now }),
      metrics,
      logger: silentLogger,
      now,
      alert: { alert: (a) => alerts.push(a), flush: async () => {}, stop: async () => {} },
      onDead: (row, reason) => {
        dead.push({ row, reason });
      },
      digestWindowSeconds: over.digestWindowSeconds ?? 60,
      maxFailures: over.maxFailures ?? 8,
      random: () => 0.5,
    });
    return { d, alerts, dead, metrics };
  }

  describe("enqueueNotifications", () => {
    it("is idempotent: the same case event adds no second row", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      expect(await enqueue(notificationCase(1), routing)).toEqual({
        enqueued: 1,
        skipped: ['unknown route "instruments"'],
      });
      expect(await enqueue(notificationCase(1), routing)).toEqual({
        enqueued: 0,
        skipped: ['unknown route "instruments"', expect.stringMatching(/^already enqueued for slack:/)],
      });
      expect(await rows()).toHaveLength(1);
    });

    it("an update with a material change adds a row; an unchanged repeat or a money-only change adds none", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      await enqueue(notificationCase(1), routing);
      const v2 = notificationCase(1, {
        event: "updated",
        version: 2,
        changes: [{ field: "ltb_date", from: "2027-03-31", to: "2027-01-31" }],
      });
      expect((await enqueue(v2, routing)).enqueued).toBe(1);
      expect((await enqueue(v2, routing)).enqueued).toBe(0);
      const v3 = notificationCase(1, {
        event: "updated",
        version: 3,
        changes: [{ field: "revenue_at_risk", from: 1, to: 2 }],
      });
      expect(await enqueue(v3, routing)).toEqual({
        enqueued: 0,
        skipped: ["update without a material change"],
      });
      expect((await rows()).map((r) => r.event)).toEqual(expect.arrayContaining(["created", "updated"]));
      expect(await rows()).toHaveLength(2);
    });

    it("sends nothing for recommendation none or under the threshold", async () => {
      const routing = routingTo([`slack:${slack.url}`], {}, 50_000);
      expect(await enqueue(notificationCase(1), routing)).toMatchObject({
        enqueued: 0,
        skipped: [/below the threshold/],
      });
      expect(
        await enqueue(notificationCase(2, { recommendation: "none", revenue_at_risk: 1e6 }), routing),
      ).toEqual({
        enqueued: 0,
        skipped: ["recommendation is none"],
      });
      expect(await rows()).toEqual([]);
    });

    it("refuses a malformed case with the path of each problem", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      const bad = { ...notificationCase(1), ltb_date: "31/03/2027", case_url: "nope", version: 0 };
      const err = await enqueue(bad, routing).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidNotificationCaseError);
      expect((err as InvalidNotificationCaseError).issues.map((i) => i.path).sort()).toEqual([
        "case_url",
        "ltb_date",
        "version",
      ]);
      expect(await rows()).toEqual([]);
    });
  });

  describe("dispatcher", () => {
    it("delivers to Slack, Teams and a signed webhook, once each, recording the answers", async () => {
      const teams = await startFakeTeams();
      const secret = newWebhookSecret();
      const hook = await startFakeWebhookReceiver(secret);
      try {
        const routing = routingTo([`slack:${slack.url}`, `teams:${teams.url}`, `webhook:${hook.url}`]);
        await enqueue(notificationCase(1), routing);
        const { d, metrics } = setup(routing, { secret });
        expect((await d.runOnce()).delivered).toBe(3);
        const text = await metrics.metrics();
        expect(text).toContain('eolgate_notify_outbox_rows{state="delivered"} 3');
        expect(text).toMatch(/eolgate_notify_messages_total\{channel="teams",outcome="delivered"\} 1/);
        expect((await d.runOnce()).delivered).toBe(0);
        for (const f of [slack, teams, hook]) expect(f.accepted()).toHaveLength(1);
        expect(hook.accepted()[0]!.headers["webhook-signature"]).toMatch(/^v1,/);
        expect((await rows()).map((r) => r.state)).toEqual(["delivered", "delivered", "delivered"]);
        const answers = await db.query<{ responses: { status: number; outcome: string }[] }>(
          "select responses from notify_outbox",
        );
        expect(answers.rows.map((r) => r.responses[0]!.status).sort()).toEqual([200, 200, 202]);
      } finally {
        await teams.close();
        await hook.close();
      }
    });

    it("a permanent refusal (404 no_service) is dead at once: onDead, an alert, no retry", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      await enqueue(notificationCase(1), routing);
      slack.setBehaviour({ script: [slackReplies.noService] });
      const { d, dead, alerts } = setup(routing);
      expect((await d.runOnce()).dead).toBe(1);
      t += 3_600_000;
      await d.runOnce();
      expect(slack.received).toHaveLength(1);
      expect(dead.map((x) => x.reason)).toEqual(["HTTP 404 no_service"]);
      expect(alerts.map((a) => a.key)).toEqual([expect.stringMatching(/^dead:slack:/)]);
      expect((await rows())[0]!.state).toBe("dead");
    });

    it("a 500 is retried with backoff, then delivered", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      await enqueue(notificationCase(1), routing);
      slack.setBehaviour({ script: [slackReplies.serverError] });
      const { d } = setup(routing);
      expect((await d.runOnce()).retried).toBe(1);
      expect(await rows()).toMatchObject([{ state: "failed", failures: 1, attempts: 1 }]);
      await d.runOnce();
      expect(slack.received).toHaveLength(1);
      t += 60_000;
      expect((await d.runOnce()).delivered).toBe(1);
      expect(await rows()).toMatchObject([{ state: "delivered", failures: 1, attempts: 2 }]);
    });

    it("a 429 pauses the destination for Retry-After: nothing is sent before it ends", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      await enqueue(notificationCase(1), routing);
      await enqueue(notificationCase(2), routing);
      slack.setBehaviour({ script: [slackReplies.tooMany(1)] });
      const { d } = setup(routing);
      await d.runOnce();
      t += 900;
      await d.runOnce();
      expect(slack.received).toHaveLength(1);
      // The fake keeps its pause on the real clock, so let real time pass as well.
      await new Promise((r) => setTimeout(r, 1_050));
      t += 100;
      await d.runOnce();
      t += 1_000;
      await d.runOnce();
      expect(slack.accepted()).toHaveLength(2);
      expect(slack.requestsDuringPause()).toBe(0);
      expect((await rows()).every((r) => r.state === "delivered" && r.failures === 0)).toBe(true);
    });

    it("a destination that keeps failing opens its circuit, raises an alert, and is left alone until a trial", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      for (let i = 1; i <= 5; i++) await enqueue(notificationCase(i), routing);
      slack.setBehaviour({ script: Array.from({ length: 10 }, () => slackReplies.serverError) });
      const { d, alerts } = setup(routing);
      for (let i = 0; i < 3; i++) {
        await d.runOnce();
        t += 2_000;
      }
      expect(slack.received).toHaveLength(3);
      expect(alerts.filter((a) => a.key.startsWith("circuit:slack:"))).toHaveLength(1);
      t += 10_000;
      await d.runOnce();
      expect(slack.received).toHaveLength(3);
      t += 30_000;
      await d.runOnce();
      expect(slack.received).toHaveLength(4);
    });

    it("gives up after maxFailures retryable failures", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      await enqueue(notificationCase(1), routing);
      slack.setBehaviour({ script: [slackReplies.serverError, slackReplies.serverError] });
      const { d, dead } = setup(routing, { maxFailures: 2 });
      await d.runOnce();
      t += 120_000;
      expect((await d.runOnce()).dead).toBe(1);
      expect(dead[0]!.reason).toMatch(/^gave up after 2 failures/);
    });

    it("a backlog over the window's capacity becomes one digest; every case in exactly one message", async () => {
      const routing = routingTo([`slack:${slack.url}`]);
      for (let i = 1; i <= 10; i++) await enqueue(notificationCase(i), routing);
      const { d } = setup(routing, { digestWindowSeconds: 2 });
      const s = await d.runOnce();
      expect(s).toMatchObject({ digests: 1, delivered: 1 });
      expect(slack.accepted()).toHaveLength(1);
      const all = await rows();
      const digestRow = all.find((r) => r.event === "digest")!;
      expect(digestRow.state).toBe("delivered");
      expect(
        all
          .filter((r) => r.event !== "digest")
          .every((r) => r.state === "digested" && r.digest_id === digestRow.delivery_id),
      ).toBe(true);
      const ids = slack.accepted()[0]!.raw.match(/case-\d{4}(?=\|)/g) ?? [];
      expect(new Set(ids).size).toBe(10);
    });

    it("rows for a destination no longer configured are dead-lettered", async () => {
      await enqueue(notificationCase(1), routingTo([`slack:${slack.url}`]));
      const { d, dead } = setup(routingTo([]));
      expect((await d.runOnce()).dead).toBe(1);
      expect(dead[0]!.reason).toBe("destination no longer configured");
    });
  });
});
