import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createInboxIngestor } from "../../src/ingest/inbox.ingestor.ts";
import type { EngineeringAlert } from "../../src/notify/engineering.alert.ts";
import { newRegistry } from "../../src/observability/metrics.ts";
import { type BreakerRegistry, createBreakerRegistry } from "../../src/resilience/circuit-breaker.ts";
import { sourceMetrics } from "../../src/sources/source.metrics.ts";
import { createSourceScheduler, type SchedulerSettings } from "../../src/sources/source.scheduler.ts";
import type { PolledSource, PollResult, SourceAlert } from "../../src/sources/source.ts";
import { sourceCheckpoints } from "../../src/sources/source-checkpoints.repository.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";
import { createTestDatabase, describeEachStore, openTestStore } from "../support/stores.ts";

/**
 * The scheduler against a real store: one poll of a source at a time across processes (two
 * schedulers with their own worker ids stand for two processes), the checkpoint stored only after
 * the alerts are in the inbox, backoff and one engineering alert per failure streak, the breaker,
 * and a lost lease that drops the run's result without losing or doubling an alert.
 */

const alertOf = (source: string, n: number): SourceAlert => ({
  key: `${source}:${n}`,
  alert: {
    source_platform: "Stub",
    manufacturer_code: "Texas Instruments",
    part_number: `LM${1000 + n}`,
    lifecycle_status: "EOL",
  },
});

/** A source reading alert n+1 each poll (its checkpoint is n), with hooks to misbehave. */
function stubSource(name: string, behave: { poll?: (n: number) => Promise<PollResult | null> } = {}) {
  const stats = { polls: 0, concurrent: 0, maxConcurrent: 0 };
  const source: PolledSource = {
    name,
    async poll(checkpoint) {
      stats.polls++;
      stats.concurrent++;
      stats.maxConcurrent = Math.max(stats.maxConcurrent, stats.concurrent);
      try {
        const n = Number((checkpoint as { n?: number } | null)?.n ?? 0);
        await new Promise((r) => setTimeout(r, 15));
        const custom = behave.poll ? await behave.poll(n) : null;
        if (custom) return custom;
        return { kind: "ok", alerts: [alertOf(name, n + 1)], next: { n: n + 1 } };
      } finally {
        stats.concurrent--;
      }
    },
  };
  return { source, stats };
}

const settings: SchedulerSettings = {
  leaseMs: 5_000,
  tickMs: 5,
  backoffBaseMs: 1,
  backoffMaxMs: 10,
  alertAfterMs: 60_000,
};

describeEachStore("source scheduler", (kind) => {
  let db: SqlDriver;
  /** A second connection pool to the same database on PostgreSQL: the other "process". */
  let other: SqlDriver;
  let alerts: EngineeringAlert[];
  let breakers: BreakerRegistry;
  // One store for the suite (a fresh PGlite costs seconds); each test uses its own source names.
  beforeAll(async () => {
    if (kind === "pglite") {
      db = await openTestStore(kind);
      other = db;
    } else {
      const url = await createTestDatabase();
      db = await openPostgres({ url });
      await migrate(db);
      other = await openPostgres({ url });
    }
  });
  afterAll(async () => {
    if (other !== db) await other.close();
    await db.close();
  });
  beforeEach(() => {
    alerts = [];
    breakers = createBreakerRegistry({
      failureThreshold: 3,
      resetAfterMs: 60_000,
      halfOpenMax: 1,
      now: Date.now,
    });
  });

  function scheduler(
    sources: PolledSource[],
    worker: string,
    over: Partial<SchedulerSettings> = {},
    intervalMs = 0,
    store: SqlDriver = db,
  ) {
    const metrics = newRegistry();
    const ingestor = createInboxIngestor({
      db: store,
      metrics,
      logger: silent,
      now: () => new Date(),
      options: { windowMs: 0, maxBatch: 64 },
    });
    return createSourceScheduler({
      db: store,
      ingestor,
      sources: sources.map((source) => ({ source, intervalMs })),
      settings: { ...settings, ...over },
      metrics: sourceMetrics(metrics, store),
      logger: silent,
      now: () => new Date(),
      random: () => 0.5,
      alerter: { alert: (a) => alerts.push(a), flush: async () => {}, stop: async () => {} },
      breaker: (name) => breakers.get(name),
      worker,
    });
  }

  const inboxKeys = async (source: string) =>
    (
      await db.query<{ k: string }>(
        "select idempotency_key as k from inbox where idempotency_key like $1 order by k",
        [`alert:key:${source}:%`],
      )
    ).rows.map((r) => r.k);

  it("polls a source once at a time across two processes, and every alert lands once", async () => {
    const { source, stats } = stubSource("stub");
    const a = scheduler([source], "process-a");
    const b = scheduler([source], "process-b", {}, 0, other);
    a.start();
    b.start();
    await waitFor(
      async () => stats.polls,
      (n) => n >= 12,
      "a dozen polls",
    );
    await a.stop();
    await b.stop();
    expect(stats.maxConcurrent).toBe(1);
    const state = await sourceCheckpoints.get(db, "stub");
    const n = Number((state?.checkpoint as { n?: number } | null)?.n);
    // Every stored checkpoint n had its alert n in the inbox first; a run cut short by stop() may
    // have put in alert n+1 without moving the checkpoint (it is read again, not doubled).
    const keys = await inboxKeys("stub");
    expect(keys.length === n || keys.length === n + 1).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(state?.leasedBy).toBeNull();
  });

  it("honours the interval: a source that just succeeded is not due", async () => {
    const { source, stats } = stubSource("slow");
    const s = scheduler([source], "p", {}, 60_000);
    expect((await s.runOnce("slow", { force: false })).kind).toBe("ok");
    expect(await s.runOnce("slow", { force: false })).toEqual({ kind: "busy", heldBy: null });
    expect(stats.polls).toBe(1);
    expect((await s.runOnce("slow")).kind).toBe("ok");
    expect(stats.polls).toBe(2);
  });

  it("keeps the checkpoint on failure, backs off, alerts once per streak and once on recovery", async () => {
    let failing = true;
    const { source } = stubSource("flaky", {
      poll: async (n) =>
        failing
          ? {
              kind: "failed",
              alerts: [alertOf("flaky", n + 1)],
              failure: { kind: "unavailable", retryable: true, reason: "HTTP 503" },
            }
          : null,
    });
    const s = scheduler([source], "p", { alertAfterMs: 0 });
    for (let i = 0; i < 2; i++) {
      const out = await s.runOnce("flaky");
      expect(out.kind).toBe("failed");
    }
    const failed = await sourceCheckpoints.get(db, "flaky");
    expect(failed).toMatchObject({
      checkpoint: null,
      consecutiveFailures: 2,
      lastError: "unavailable: HTTP 503",
    });
    expect(failed?.failingSince).not.toBeNull();
    // Alerts read before the failure are in the inbox anyway (once).
    expect(await inboxKeys("flaky")).toEqual(["alert:key:flaky:1"]);
    expect(alerts.map((a) => a.key)).toEqual(["source:flaky"]);
    failing = false;
    expect((await s.runOnce("flaky")).kind).toBe("ok");
    expect(await inboxKeys("flaky")).toEqual(["alert:key:flaky:1"]);
    expect(await sourceCheckpoints.get(db, "flaky")).toMatchObject({
      checkpoint: { n: 1 },
      consecutiveFailures: 0,
      failingSince: null,
      lastError: null,
    });
    expect(alerts.map((a) => a.key)).toEqual(["source:flaky", "source:flaky:recovered"]);
  });

  it("waits at least the platform's Retry-After before the next run", async () => {
    const { source } = stubSource("limited", {
      poll: async () => ({
        kind: "failed",
        alerts: [],
        failure: { kind: "rate_limited", retryable: true, reason: "429", retryAfterMs: 3_600_000 },
      }),
    });
    const s = scheduler([source], "p");
    await s.runOnce("limited");
    const state = await sourceCheckpoints.get(db, "limited");
    expect(state!.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await s.runOnce("limited", { force: false })).toEqual({ kind: "busy", heldBy: null });
  });

  it("alerts at once when the failure is permanent (refused credentials)", async () => {
    const { source } = stubSource("denied", {
      poll: async () => ({
        kind: "failed",
        alerts: [],
        failure: { kind: "auth", retryable: false, reason: "login refused" },
      }),
    });
    const s = scheduler([source], "p");
    await s.runOnce("denied");
    await s.runOnce("denied");
    expect(alerts).toEqual([{ key: "source:denied", summary: "source denied failing: login refused" }]);
  });

  it("stops calling a platform whose circuit opened", async () => {
    const { source, stats } = stubSource("down", {
      poll: async () => ({
        kind: "failed",
        alerts: [],
        failure: { kind: "unavailable", retryable: true, reason: "down" },
      }),
    });
    const s = scheduler([source], "p");
    for (let i = 0; i < 3; i++) await s.runOnce("down");
    expect((await s.runOnce("down")).kind).toBe("circuit_open");
    expect(stats.polls).toBe(3);
  });

  it("drops a run whose lease was taken over, and the next holder reads it again without doubling", async () => {
    let steal = true;
    const { source } = stubSource("stolen", {
      poll: async () => {
        if (steal) {
          steal = false;
          await db.query(
            "update source_checkpoints set leased_by = 'other', lease_until = now() + interval '1 hour' where name = 'stolen'",
          );
        }
        return null;
      },
    });
    const s = scheduler([source], "p");
    expect((await s.runOnce("stolen")).kind).toBe("lease_lost");
    expect((await sourceCheckpoints.get(db, "stolen"))?.checkpoint).toBeNull();
    expect(await inboxKeys("stolen")).toEqual(["alert:key:stolen:1"]);
    expect(await s.runOnce("stolen")).toEqual({ kind: "busy", heldBy: "other" });
    await db.query(
      "update source_checkpoints set lease_until = now() - interval '1 second' where name = 'stolen'",
    );
    const again = await s.runOnce("stolen");
    expect(again).toMatchObject({ kind: "ok", ingest: { accepted: 0, duplicates: 1 } });
    expect(await inboxKeys("stolen")).toEqual(["alert:key:stolen:1"]);
    expect((await sourceCheckpoints.get(db, "stolen"))?.checkpoint).toEqual({ n: 1 });
  });

  it("runs a replay asked for through the store, without moving the checkpoint", async () => {
    const windows: unknown[] = [];
    const source: PolledSource = {
      name: "replayable",
      async poll(checkpoint, _now, ctx) {
        windows.push(ctx.window ?? null);
        return {
          kind: "ok",
          alerts: [],
          next: { n: Number((checkpoint as { n?: number } | null)?.n ?? 0) + 1 },
        };
      },
    };
    const s = scheduler([source], "p", {}, 3_600_000);
    await s.runOnce("replayable");
    await sourceCheckpoints.requestReplay(db, "replayable", "2026-11-01", "2026-11-05");
    const out = await s.runOnce("replayable", { force: false });
    expect(out).toMatchObject({ kind: "ok", replay: { from: "2026-11-01", to: "2026-11-05" } });
    expect(windows).toEqual([null, { from: "2026-11-01", to: "2026-11-05" }]);
    expect(await sourceCheckpoints.get(db, "replayable")).toMatchObject({
      checkpoint: { n: 1 },
      replay: null,
    });
  });

  it("exports last success, lag and failing time from the store", async () => {
    const { source } = stubSource("measured");
    const metrics = newRegistry();
    sourceMetrics(metrics, db);
    const s = scheduler([source], "p");
    await s.runOnce("measured");
    const text = await metrics.metrics();
    expect(text).toMatch(/eolgate_source_last_success_timestamp_seconds\{source="measured"\} \d/);
    expect(text).toMatch(/eolgate_source_lag_seconds\{source="measured"\} \d/);
    expect(text).toMatch(/eolgate_source_failing_seconds\{source="measured"\} 0/);
  });
});
