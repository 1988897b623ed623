import type { Ingestor } from "../ingest/ingest.ts";
import type { EngineeringAlerter } from "../notify/engineering.alert.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import { type CircuitBreaker, CircuitOpenError } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { SourceMetrics } from "./source.metrics.ts";
import type { PolledSource, PollResult, PollWindow, SourceFailure } from "./source.ts";
import { type IngestReport, ingestAlerts } from "./source-alert.ts";
import { type SourceState, sourceCheckpoints } from "./source-checkpoints.repository.ts";

/**
 * Runs every configured source on its interval, exactly once at a time across all processes: a run
 * needs the source's row lease in `source_checkpoints` (taken with the database clock, renewed while
 * the poll runs, fencing every write that ends the run). Each process ticks and tries to claim the
 * sources that are due; whichever wins polls, the others find the lease taken. No timer per process
 * decides anything.
 *
 * A run: breaker check → poll(checkpoint, now) → every alert into the inbox through the Ingestor →
 * checkpoint stored only when all of them are durable. A failure keeps the checkpoint (the window is
 * read again; the alerts' keys make that harmless), backs off exponentially with full jitter (longer
 * when the platform names a wait), counts against the source's circuit breaker, and raises one
 * engineering alert per failure streak once it has lasted `alertAfterMs` (at once when the failure
 * is permanent, e.g. refused credentials).
 */

export interface ScheduledSource {
  source: PolledSource;
  intervalMs: number;
}

export interface SchedulerSettings {
  leaseMs: number;
  tickMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  alertAfterMs: number;
}

export interface SchedulerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerDeps {
  db: SqlDriver;
  ingestor: Ingestor;
  sources: readonly ScheduledSource[];
  settings: SchedulerSettings;
  metrics: SourceMetrics;
  logger: SchedulerLogger;
  now: () => Date;
  random: () => number;
  alerter: EngineeringAlerter;
  breaker: (name: string) => CircuitBreaker;
  /** This process's id in leases. */
  worker: string;
}

export type RunOutcome =
  /** Another process holds the source, or it is not due. */
  | { kind: "busy"; heldBy: string | null }
  | { kind: "circuit_open"; retryAt: number }
  | {
      kind: "ok";
      ingest: IngestReport;
      notes: string[];
      report: Record<string, unknown>;
      replay: PollWindow | null;
    }
  | { kind: "failed"; failure: SourceFailure; ingest: IngestReport }
  /** The lease lapsed during the run: its result was dropped (the next holder reads it again). */
  | { kind: "lease_lost" };

export interface SourceScheduler {
  start(): void;
  stop(): Promise<void>;
  /** One run now, under the lease (commands, tests): `window` replays days, `force` ignores the schedule. */
  runOnce(name: string, opts?: { window?: PollWindow; force?: boolean }): Promise<RunOutcome>;
  names(): string[];
}

const EMPTY_REPORT: IngestReport = { accepted: 0, duplicates: 0, invalid: [], unstored: [], traceIds: [] };

export function createSourceScheduler(deps: SchedulerDeps): SourceScheduler {
  const { db, settings } = deps;
  const byName = new Map(deps.sources.map((s) => [s.source.name, s]));
  const running = new Map<string, { promise: Promise<RunOutcome>; abort: AbortController }>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let ensured: Promise<void> | null = null;
  const ensure = () => {
    ensured ??= sourceCheckpoints.ensure(db, [...byName.keys()]).catch((err: unknown) => {
      ensured = null;
      throw err;
    });
    return ensured;
  };

  async function run(
    entry: ScheduledSource,
    opts: { window?: PollWindow; force?: boolean },
    abort = new AbortController(),
  ): Promise<RunOutcome> {
    const name = entry.source.name;
    await ensure();
    const state = await sourceCheckpoints.claim(db, name, deps.worker, settings.leaseMs, opts.force ?? false);
    if (!state) {
      const current = await sourceCheckpoints.get(db, name);
      return { kind: "busy", heldBy: current?.leasedBy ?? null };
    }
    return runClaimed(entry, state, opts, abort);
  }

  async function runClaimed(
    entry: ScheduledSource,
    state: SourceState,
    opts: { window?: PollWindow; force?: boolean },
    abort: AbortController,
  ): Promise<RunOutcome> {
    const name = entry.source.name;
    const breaker = deps.breaker(`source:${name}`);
    if (!breaker.allows()) {
      const retryAt = breaker.openUntil() ?? Date.now() + settings.backoffBaseMs;
      await sourceCheckpoints.postpone(db, name, deps.worker, Math.max(0, retryAt - Date.now()));
      deps.metrics.polled(name, "skipped");
      return { kind: "circuit_open", retryAt };
    }
    // A replay asked for through the store is done by whoever holds the lease; a command's own
    // window takes precedence and leaves the stored request for the scheduler.
    const window = opts.window ?? state.replay ?? undefined;
    const fromStore = !opts.window && state.replay !== null;
    let leaseLost = false;
    const renew = setInterval(
      () => {
        sourceCheckpoints.renew(db, name, deps.worker, settings.leaseMs).then(
          (ok) => {
            if (!ok && !leaseLost) {
              leaseLost = true;
              abort.abort(new Error("source lease lost"));
            }
          },
          (err: unknown) =>
            deps.logger.warn({ source: name, err: String(err) }, "source lease renewal failed"),
        );
      },
      Math.max(50, Math.floor(settings.leaseMs / 3)),
    );
    renew.unref();

    let result: PollResult;
    try {
      const outcome = await breaker.run(
        () =>
          entry.source.poll(state.checkpoint, deps.now(), {
            ...(window ? { window } : {}),
            ...(opts.force ? { force: true } : {}),
            signal: abort.signal,
          }),
        // The platform misbehaved: count it. A refused request or a store outage says nothing about it.
        (r) => r.kind === "failed" && r.failure.kind !== "rejected" && r.failure.kind !== "store",
      );
      result =
        outcome.kind === "ok"
          ? outcome.value
          : {
              kind: "failed",
              alerts: [],
              failure: {
                kind: abort.signal.aborted ? "unavailable" : "protocol",
                retryable: true,
                reason: abort.signal.aborted
                  ? `poll interrupted: ${String((abort.signal.reason as Error)?.message ?? "stopped")}`
                  : `poll threw: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
              },
            };
    } catch (err) {
      clearInterval(renew);
      if (!(err instanceof CircuitOpenError)) throw err;
      await sourceCheckpoints.postpone(db, name, deps.worker, Math.max(0, err.retryAt - Date.now()));
      deps.metrics.polled(name, "skipped");
      return { kind: "circuit_open", retryAt: err.retryAt };
    }
    clearInterval(renew);

    const ingest = result.alerts.length > 0 ? await ingestAlerts(deps.ingestor, result.alerts) : EMPTY_REPORT;
    const read = ingest.accepted + ingest.duplicates;
    deps.metrics.alertsRead(name, read);
    for (const bad of ingest.invalid)
      deps.logger.warn(
        { source: name, key: bad.key, reason: bad.reason },
        "source alert refused by the contract",
      );
    if (result.kind === "ok" && ingest.unstored.length > 0) {
      result = {
        kind: "failed",
        alerts: [],
        failure: {
          kind: "store",
          retryable: true,
          reason: `the inbox did not take ${ingest.unstored.length} alert(s): ${ingest.unstored[0]!.reason}`,
        },
      };
    }
    if (stopped && abort.signal.aborted) {
      await sourceCheckpoints.release(db, name, deps.worker);
      return { kind: "lease_lost" };
    }

    if (result.kind === "ok") {
      const notes = result.notes ?? [];
      const stored = await sourceCheckpoints.succeed(db, name, deps.worker, {
        checkpoint: window ? null : result.next,
        nextRunInMs: window || result.more ? 0 : entry.intervalMs,
        alertsRead: read,
        replayDone: fromStore,
      });
      if (!stored) {
        deps.logger.warn(
          { source: name },
          "source lease lost before the checkpoint was stored; the next run re-reads",
        );
        return { kind: "lease_lost" };
      }
      deps.metrics.polled(name, "ok");
      for (const note of notes) {
        deps.logger.warn({ source: name, note }, "source note");
        if (note.startsWith("gap:"))
          deps.alerter.alert({ key: `source:${name}:gap`, summary: `source ${name}: ${note}` });
      }
      if (state.alertedAt)
        deps.alerter.alert({
          key: `source:${name}:recovered`,
          summary: `source ${name} recovered after ${state.consecutiveFailures} failed poll(s)`,
        });
      deps.logger.info(
        {
          source: name,
          accepted: ingest.accepted,
          duplicates: ingest.duplicates,
          ...(window ? { replay: window } : {}),
        },
        "source polled",
      );
      return { kind: "ok", ingest, notes, report: result.report ?? {}, replay: window ?? null };
    }

    const failure = result.failure;
    deps.metrics.polled(name, "failed");
    deps.metrics.error(name, failure.kind);
    const wait = failure.retryable
      ? Math.max(
          backoffDelay(state.consecutiveFailures, {
            baseMs: settings.backoffBaseMs,
            maxMs: settings.backoffMaxMs,
            random: deps.random,
          }),
          failure.retryAfterMs ?? 0,
        )
      : window
        ? 0
        : settings.backoffMaxMs;
    const after = await sourceCheckpoints.fail(db, name, deps.worker, {
      error: `${failure.kind}: ${failure.reason}`,
      nextRunInMs: wait,
      alertsRead: read,
      dropReplay: fromStore && !failure.retryable,
    });
    deps.logger.warn(
      { source: name, kind: failure.kind, reason: failure.reason, retry_in_ms: wait, partial_alerts: read },
      "source poll failed",
    );
    if (after && !after.alertedAt) {
      const longEnough = (after.secondsFailing ?? 0) * 1000 >= settings.alertAfterMs;
      if ((!failure.retryable && !window) || longEnough) {
        if (await sourceCheckpoints.markAlerted(db, name))
          deps.alerter.alert({
            key: `source:${name}`,
            summary: `source ${name} failing${failure.retryable ? ` for ${Math.round(after.secondsFailing ?? 0)} s` : ""}: ${failure.reason}`,
          });
      }
    }
    return { kind: "failed", failure, ingest };
  }

  /** Runs `name` in this process unless a run of it is already in hand here (one at a time, here too). */
  const launch = (
    entry: ScheduledSource,
    opts: { window?: PollWindow; force?: boolean },
  ): Promise<RunOutcome> => {
    const name = entry.source.name;
    const abort = new AbortController();
    const promise = run(entry, opts, abort)
      .catch((err: unknown): RunOutcome => {
        deps.logger.error(
          { source: name, err: err instanceof Error ? err.message : String(err) },
          "source run failed unexpectedly",
        );
        return { kind: "busy", heldBy: null };
      })
      .finally(() => running.delete(name));
    running.set(name, { promise, abort });
    return promise;
  };

  const tick = async () => {
    for (const entry of byName.values()) {
      if (running.has(entry.source.name) || stopped) continue;
      void launch(entry, {});
    }
  };

  const loop = () => {
    if (stopped) return;
    tick().finally(() => {
      if (!stopped) {
        timer = setTimeout(loop, settings.tickMs);
        timer.unref();
      }
    });
  };

  return {
    start() {
      if (timer || stopped) return;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const r of running.values()) r.abort.abort(new Error("stopping"));
      await Promise.allSettled([...running.values()].map((r) => r.promise));
    },
    async runOnce(name, opts = {}) {
      const entry = byName.get(name);
      if (!entry) throw new Error(`no source named ${name}`);
      // A scheduled run of it in this process goes first; then this one, forced.
      for (let r = running.get(name); r; r = running.get(name)) await r.promise;
      return launch(entry, { force: true, ...opts });
    },
    names: () => [...byName.keys()],
  };
}
