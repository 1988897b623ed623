import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHttpSender } from "../../src/notify/channel.send.ts";
import { createOutboxDispatcher } from "../../src/notify/outbox.dispatcher.ts";
import { createMemoryRateGate } from "../../src/notify/rate-gate.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPglite } from "../../src/store/pglite.driver.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import { ActionRequest } from "../../src/workflow/case.workflow.ts";
import { actOnCase } from "../../src/workflow/case-actions.service.ts";
import { createReminderScheduler } from "../../src/workflow/reminders.scheduler.ts";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { routingTo, silentLogger } from "../notify/cases.fixture.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "./workflow.fixture.ts";

/**
 * Reminders with a fake clock across restarts of the store and the scheduler: every threshold is
 * enqueued once (none lost, none doubled), on PostgreSQL even with two schedulers running each pass
 * at the same moment, and the messages reach Slack through the outbox.
 */

describeEachStore("reminders", (kind) => {
  let slack: HttpFake;
  let open: () => Promise<SqlDriver>;
  let db: SqlDriver;
  let dir: string | null = null;
  let undecided: string;
  let decided: string;
  let clock = new Date("2026-12-01T09:00:00Z");
  const routing = () => routingTo([`slack:${slack.url}`]);

  beforeAll(async () => {
    slack = await startFakeSlack({ ratePerSec: null });
    if (kind === "pglite") {
      dir = mkdtempSync(join(tmpdir(), "eolgate-reminders-"));
      open = () => openPglite(dir);
    } else {
      const url = await createTestDatabase();
      open = () => openPostgres({ url });
    }
    db = await open();
    await migrate(db);
    await importCorpusBom(db);
    const out = await assess(db, "t-1", clock, [
      ltbNotice({}),
      ltbNotice({ mpn: "TLV70233DBVT", ltb_date: "2027-02-28" }),
    ]);
    undecided = out[0]!.case_id!;
    decided = out[1]!.case_id!;
    expect(out.map((o) => o.impact?.recommendation)).not.toContain("none");
    const who = { name: "alice", role: "decider" as const, userId: null, via: "user_token" as const };
    const decision = ActionRequest.parse({ action: "decide", version: 1, option: "last_time_buy" });
    expect((await actOnCase(db, decided, decision, who, clock)).kind).toBe("applied");
  });
  afterAll(async () => {
    await db.close();
    await slack.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const schedulers = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      createReminderScheduler({
        db,
        routing: routing(),
        thresholds: [90, 30, 7],
        weekly: null,
        publicBaseUrl: "https://eol.example",
        now: () => clock,
        workerId: `w${i}`,
        logger: silentLogger,
      }),
    );
  /** One pass at `day`, by one scheduler or (PostgreSQL) two at once, then a second pass. */
  const passAt = async (day: string) => {
    clock = new Date(`${day}T08:00:00Z`);
    const s = schedulers(kind === "postgres" ? 2 : 1);
    await Promise.all(s.map((x) => x.runOnce()));
    await s[0]!.runOnce();
  };
  const reminders = async () =>
    (
      await db.query<{ case_id: string; threshold: string }>(
        `select case_id::text as case_id, payload->'reminder'->>'threshold' as threshold
         from notify_outbox where event = 'reminder' order by created_at, delivery_id`,
      )
    ).rows;
  const restart = async () => {
    await db.close();
    db = await open();
    await migrate(db);
  };

  it("sends 90, 30, 7 days before the decide-by date, then overdue, once each, across restarts", async () => {
    await passAt("2026-12-30"); // 91 days before
    expect(await reminders()).toEqual([]);
    await passAt("2026-12-31");
    expect(await reminders()).toEqual([{ case_id: undecided, threshold: "90" }]);
    await restart();
    await passAt("2027-01-10");
    await passAt("2027-03-01");
    await passAt("2027-03-02");
    expect((await reminders()).map((r) => r.threshold)).toEqual(["90", "30"]);
    await restart();
    await passAt("2027-03-24");
    await passAt("2027-03-31");
    await passAt("2027-04-01");
    await restart();
    await passAt("2027-04-20");
    const all = await reminders();
    expect(all.map((r) => r.threshold)).toEqual(["90", "30", "7", "overdue"]);
    // The decided case is never reminded.
    expect(all.every((r) => r.case_id === undecided)).toBe(true);
    const claims = await db.query<{ threshold: string; state: string }>(
      "select threshold, state from case_reminders order by claimed_at",
    );
    expect(claims.rows).toEqual([
      { threshold: "90", state: "enqueued" },
      { threshold: "30", state: "enqueued" },
      { threshold: "7", state: "enqueued" },
      { threshold: "overdue", state: "enqueued" },
    ]);
  });

  it("delivers the reminders through the outbox to Slack, saying how long is left", async () => {
    // The dispatcher's clock is the scheduler's: the rows are due from the fake day they were enqueued.
    const t = new Date("2027-04-21T08:00:00Z").getTime();
    const d = createOutboxDispatcher({
      db,
      channels: {
        destinations: routing().destinations,
        send: createHttpSender({ timeoutMs: 2000, now: Date.now }),
      },
      buckets: createMemoryRateGate(() => t),
      breakers: createBreakerRegistry({
        failureThreshold: 3,
        resetAfterMs: 30_000,
        halfOpenMax: 1,
        now: Date.now,
      }),
      metrics: newRegistry(),
      logger: silentLogger,
      now: () => t,
      alert: { alert: () => {}, flush: async () => {}, stop: async () => {} },
      digestWindowSeconds: 3600,
      limits: { slack: { ratePerSec: 100, burst: 100 } },
    });
    await d.runOnce();
    const texts = slack.accepted().map((r) => (r.json as { text: string }).text);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(/^Reminder: decide by 2027-03-31 \(90 d left\)/);
    expect(texts[1]).toMatch(/^Reminder: decide by 2027-03-31 \(30 d left\)/);
    expect(texts[2]).toMatch(/^Reminder: decide by 2027-03-31 \(7 d left\)/);
    expect(texts[3]).toMatch(/^Overdue: the decision was due 2027-03-31 \(1 d ago\)/);
  });

  it("a case first seen close to its date gets the most urgent reminder only; the others are superseded", async () => {
    clock = new Date("2027-05-01T08:00:00Z");
    const [o] = await assess(db, "t-late", clock, [
      ltbNotice({ mpn: "PIC16F877A-I/PT", manufacturer: "Microchip Technology", ltb_date: "2027-05-05" }),
    ]);
    await passAt("2027-05-01");
    const claims = await db.query<{ threshold: string; state: string }>(
      "select threshold, state from case_reminders where case_id = $1 order by threshold",
      [o!.case_id],
    );
    expect(claims.rows).toEqual([
      { threshold: "30", state: "superseded" },
      { threshold: "7", state: "enqueued" },
      { threshold: "90", state: "superseded" },
    ]);
  });

  it("sends one weekly digest of the open cases per destination, whatever the number of schedulers", async () => {
    const weekly = (day: string) => {
      clock = new Date(day);
      return Array.from({ length: 2 }, (_, i) =>
        createReminderScheduler({
          db,
          routing: routing(),
          thresholds: [90, 30, 7],
          weekly: { weekday: "monday", hourUtc: 8 },
          publicBaseUrl: "https://eol.example",
          now: () => clock,
          workerId: `wk${i}`,
          logger: silentLogger,
        }),
      );
    };
    const digests = async () =>
      (
        await db.query<{
          payload: { cases: { case_id: string; workflow?: { state: string } }[]; weekly: { week: string } };
        }>("select payload from notify_outbox where event = 'digest' and case_id like 'weekly:%'")
      ).rows.map((r) => r.payload);
    for (const s of weekly("2027-05-03T07:59:00Z")) await s.runOnce(); // Monday, before the hour
    expect(await digests()).toEqual([]);
    await Promise.all(weekly("2027-05-03T08:00:00Z").map((s) => s.runOnce()));
    await Promise.all(weekly("2027-05-03T15:00:00Z").map((s) => s.runOnce()));
    const [d, ...rest] = await digests();
    expect(rest).toEqual([]);
    expect(d!.weekly).toEqual({ week: "2027-05-03" });
    // The three cases are not closed or dismissed (one is decided); largest exposure first.
    expect(d!.cases.map((c) => c.workflow?.state).sort()).toEqual(["decided", "open", "open"]);
    expect(d!.cases).toHaveLength(3);
  });
});
