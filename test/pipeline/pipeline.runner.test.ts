import { afterEach, beforeEach, expect, it } from "vitest";
import { inboxClaims } from "../../src/inbox/inbox.repository.ts";
import { createEngineeringAlerter } from "../../src/notify/engineering.alert.ts";
import { deadLetters } from "../../src/pipeline/dead-letters.repository.ts";
import { replayDeadLetter } from "../../src/pipeline/dead-letters.service.ts";
import type { Phase, PhaseName } from "../../src/pipeline/phase.ts";
import type { Phases } from "../../src/pipeline/pipeline.phases.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";
import { alertBody, commitAlerts, silent, startWorker, statusCounts, waitFor } from "./pipeline.support.ts";

/** Counts calls per phase, and lets a test make one fail until it is "fixed". */
function instrument(
  phases: Phases,
  failing: Partial<Record<PhaseName, () => "retryable" | "permanent" | null>>,
) {
  const calls: Record<PhaseName, number> = { extract: 0, assess: 0, persist: 0, notify: 0 };
  const wrapped: Record<PhaseName, Phase<unknown, unknown>> = { ...phases } as never;
  for (const name of Object.keys(phases) as PhaseName[]) {
    const phase = phases[name] as Phase<unknown, unknown>;
    wrapped[name] = async (ctx) => {
      calls[name]++;
      const f = failing[name]?.();
      if (f) return { kind: f, error: `${name} refused by the test (${f})` };
      return phase(ctx);
    };
  }
  return { wrapped: wrapped as Phases, calls };
}

describeEachStore("pipeline runner", (kind) => {
  let db: SqlDriver;
  const stops: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    db = await openTestStore(kind);
  });
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    await db.close();
  });

  it("runs the four phases in order, records each, and completes every notice once", async () => {
    const ids = await commitAlerts(
      db,
      Array.from({ length: 40 }, (_, i) => alertBody(i)),
    );
    const w = startWorker(db);
    stops.push(() => w.queue.close(1000));
    await waitFor(
      () => statusCounts(db),
      (c) => c.completed === 40,
      "40 completed",
    );
    const phases = await db.query<{ phase: string; n: number }>(
      "select phase, count(*)::int as n from pipeline_phases where status = 'ok' group by phase order by phase",
    );
    expect(phases.rows.map((r) => [r.phase, Number(r.n)])).toEqual([
      ["assess", 40],
      ["extract", 40],
      ["notify", 40],
      ["persist", 40],
    ]);
    const order = await db.query<{ phase: string }>(
      "select phase from pipeline_phases where trace_id = $1 order by started_at",
      [ids[0]],
    );
    expect(order.rows.map((r) => r.phase)).toEqual(["extract", "assess", "persist", "notify"]);
    const persisted = await db.query<{ n: number; d: number }>(
      "select count(*)::int as n, count(distinct trace_id)::int as d from extracted_notices",
    );
    expect(persisted.rows[0]).toEqual({ n: 40, d: 40 });
    const completions = await db.query<{ n: number }>(
      "select count(*)::int as n from audit_log where action = 'completed'",
    );
    expect(Number(completions.rows[0]?.n)).toBe(40);
    const notice = await db.query<{ mpn: string; lifecycle_status: string; manufacturer: string }>(
      "select mpn, lifecycle_status, manufacturer from extracted_notices where trace_id = $1",
      [ids[0]],
    );
    // "EOL" with a buy date still open is `ltb` (DESIGN §8), as the alert normalisation reads it.
    expect(notice.rows[0]).toEqual({
      mpn: "LM1000DR",
      lifecycle_status: "ltb",
      manufacturer: "Texas Instruments",
    });
  });

  it("a retry resumes at the failed phase and never reruns a recorded one", async () => {
    let persistFailures = 2;
    const probe = { calls: null as null | Record<PhaseName, number> };
    const [id] = await commitAlerts(db, [alertBody(1)]);
    const w = startWorker(db, {
      wrap: (p) => {
        const i = instrument(p, { persist: () => (persistFailures-- > 0 ? "retryable" : null) });
        probe.calls = i.calls;
        return i.wrapped;
      },
    });
    stops.push(() => w.queue.close(1000));
    await waitFor(
      () => statusCounts(db),
      (c) => c.completed === 1,
      "completion after retries",
    );
    expect(probe.calls).toEqual({ extract: 1, assess: 1, persist: 3, notify: 1 });
    const row = await db.query<{ attempts: number }>("select attempts from inbox where trace_id = $1", [id]);
    expect(row.rows[0]?.attempts).toBe(3);
    const persist = await db.query<{ attempts: number; status: string }>(
      "select attempts, status from pipeline_phases where trace_id = $1 and phase = 'persist'",
      [id],
    );
    expect(persist.rows[0]).toEqual({ attempts: 3, status: "ok" });
    const effect = await db.query<{ n: number }>("select count(*)::int as n from extracted_notices");
    expect(Number(effect.rows[0]?.n)).toBe(1);
  });

  it("a permanent failure lands in dead letters with one alert; replay after the fix completes it", async () => {
    const slack = await startFakeSlack();
    stops.push(() => slack.close());
    const alerter = createEngineeringAlerter({
      url: slack.url,
      now: Date.now,
      logger: silent,
      minIntervalMs: 60_000,
    });
    let broken = true;
    const probe = { calls: null as null | Record<PhaseName, number> };
    const [id] = await commitAlerts(db, [alertBody(7)]);
    const w = startWorker(db, {
      alerter,
      wrap: (p) => {
        const i = instrument(p, { notify: () => (broken ? "permanent" : null) });
        probe.calls = i.calls;
        return i.wrapped;
      },
    });
    stops.push(() => w.queue.close(1000));
    await waitFor(
      () => statusCounts(db),
      (c) => c.dead === 1,
      "dead letter",
    );
    const [letter, ...more] = await deadLetters.list(db, { limit: 10, includeReplayed: false });
    expect(more).toEqual([]);
    expect(letter).toMatchObject({ trace_id: id, phase: "notify", permanent: true, attempts: 1 });
    expect(letter?.error).toContain("notify refused by the test (permanent)");
    await waitFor(
      async () => slack.accepted().length,
      (n) => n >= 1,
      "engineering alert",
    );
    expect(JSON.stringify(slack.accepted()[0]?.json)).toContain(id);

    broken = false;
    const r = await replayDeadLetter(db, letter?.id ?? 0, "test");
    expect(r).toEqual({ kind: "replayed", id: letter?.id, traceId: id });
    await waitFor(
      () => statusCounts(db),
      (c) => c.completed === 1,
      "completion after replay",
    );
    // Done phases were kept across the replay: only notify ran again.
    expect(probe.calls).toEqual({ extract: 1, assess: 1, persist: 1, notify: 2 });
    expect(await replayDeadLetter(db, letter?.id ?? 0, "test")).toMatchObject({ kind: "already_replayed" });
    expect(await replayDeadLetter(db, 999_999, "test")).toEqual({ kind: "not_found", id: 999_999 });
    await alerter.flush();
    expect(slack.accepted()).toHaveLength(1);
  });

  it("retryable failures exhaust MAX_RETRIES into a dead letter; unreadable payloads fail permanently", async () => {
    const [flaky] = await commitAlerts(db, [alertBody(1)]);
    const [garbage] = await commitAlerts(db, [{ __raw: "{not json", idempotency_key: "garbage" }]);
    const [invalid] = await commitAlerts(db, [{ source_platform: "x", idempotency_key: "no-part" }]);
    const alerts: string[] = [];
    const w = startWorker(db, {
      maxRetries: 1,
      alerter: { alert: (a) => alerts.push(a.key) },
      wrap: (p) => ({
        ...p,
        assess: async (ctx) =>
          ctx.item.traceId === flaky ? { kind: "retryable", error: "LLM 503" } : p.assess(ctx),
      }),
    });
    stops.push(() => w.queue.close(1000));
    await waitFor(
      () => statusCounts(db),
      (c) => c.dead === 3,
      "three dead letters",
    );
    const letters = new Map(
      (await deadLetters.list(db, { limit: 10, includeReplayed: false })).map((d) => [d.trace_id, d]),
    );
    expect(letters.get(flaky ?? "")).toMatchObject({
      phase: "assess",
      permanent: false,
      attempts: 2,
      error: "LLM 503",
    });
    expect(letters.get(garbage ?? "")).toMatchObject({
      phase: "extract",
      permanent: true,
      error: "component alert payload is not JSON",
    });
    expect(letters.get(invalid ?? "")?.error).toContain("part_number");
    expect(alerts.sort()).toEqual(["dead:assess", "dead:extract", "dead:extract"]);
  });

  it("a worker whose lease was taken over cannot record its phase (no double effect)", async () => {
    const [id] = await commitAlerts(db, [alertBody(3)]);
    // Worker A claims with a lease that lapses at once, as if it had stalled.
    const [a] = await inboxClaims.claimDue(db, "main", 1, 1, "worker-a");
    expect(a?.traceId).toBe(id);
    await new Promise((r) => setTimeout(r, 20));
    const [b] = await inboxClaims.claimDue(db, "main", 1, 60_000, "worker-b");
    expect(b?.traceId).toBe(id);
    const runA = startWorker(db, { worker: "worker-a", processorOnly: true });
    stops.push(() => runA.queue.close(0));
    const settled = await runA.processor.handle(a!, new AbortController().signal);
    expect(settled).toEqual({ kind: "lost" });
    const phases = await db.query("select 1 from pipeline_phases where trace_id = $1", [id]);
    expect(phases.rows).toHaveLength(0);
    const runs = await db.query<{ worker: string; outcome: string | null }>(
      "select worker, outcome from pipeline_runs where trace_id = $1 order by id",
      [id],
    );
    expect(runs.rows).toEqual([
      { worker: "worker-a", outcome: "lost" },
      { worker: "worker-b", outcome: null },
    ]);
  });

  it("drain releases a notice stuck in a phase, without counting the attempt", async () => {
    const [id] = await commitAlerts(db, [alertBody(9)]);
    let entered = false;
    const w = startWorker(db, {
      wrap: (p) => ({
        ...p,
        assess: (ctx) =>
          new Promise((resolve) => {
            entered = true;
            ctx.signal.addEventListener("abort", () => resolve({ kind: "retryable", error: "aborted" }));
          }),
      }),
    });
    await waitFor(
      async () => entered,
      (e) => e,
      "phase entered",
    );
    await w.queue.close(50);
    const row = await db.query<{ status: string; attempts: number }>(
      "select status, attempts from inbox where trace_id = $1",
      [id],
    );
    expect(row.rows[0]).toEqual({ status: "received", attempts: 0 });
    const extract = await db.query<{ status: string }>(
      "select status from pipeline_phases where trace_id = $1 order by phase",
      [id],
    );
    expect(extract.rows).toEqual([{ status: "ok" }]);
  });
});

describeEachStore("replay lane", (kind) => {
  it("holds at most its share of the slots, so fresh notices keep flowing during a mass replay", async () => {
    const db = await openTestStore(kind);
    try {
      const replays = await commitAlerts(
        db,
        Array.from({ length: 12 }, (_, i) => alertBody(100 + i)),
      );
      await db.query("update inbox set lane = 'replay' where trace_id = any($1::uuid[])", [replays]);
      const fresh = await commitAlerts(
        db,
        Array.from({ length: 12 }, (_, i) => alertBody(200 + i)),
      );
      const w = startWorker(db, {
        concurrency: 4,
        // Slow enough that slots stay occupied and the lanes compete.
        wrap: (p) => ({
          ...p,
          assess: async (ctx) => {
            await new Promise((r) => setTimeout(r, 30));
            return p.assess(ctx);
          },
        }),
      });
      try {
        await waitFor(
          () => statusCounts(db),
          (c) => c.completed === 24,
          "all completed",
        );
      } finally {
        await w.queue.close(1000);
      }
      const overlap = await db.query<{ n: number }>(
        `select count(*)::int as n from pipeline_runs x join pipeline_runs y
            on x.id < y.id and x.lane = 'replay' and y.lane = 'replay'
           and x.started_at < y.finished_at and y.started_at < x.finished_at`,
      );
      // replayConcurrency(4) = 1: no two replays ever ran at once.
      expect(Number(overlap.rows[0]?.n)).toBe(0);
      const firstFreshDone = await db.query<{ before: number }>(
        `select count(*)::int as before from pipeline_runs r
          where r.lane = 'replay' and r.finished_at <
                (select max(finished_at) from pipeline_runs where trace_id = any($1::uuid[]))`,
        [fresh],
      );
      // Fresh notices did not wait for the replay backlog to clear.
      expect(Number(firstFreshDone.rows[0]?.before)).toBeLessThan(12);
    } finally {
      await db.close();
    }
  });
});
