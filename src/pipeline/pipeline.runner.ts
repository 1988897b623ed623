import type { Logger } from "pino";
import { type ClaimedNotice, inboxClaims } from "../inbox/inbox.repository.ts";
import { backoffDelay } from "../resilience/backoff.ts";
import type { SqlDriver } from "../store/driver.ts";
import { fileDeadLetter } from "./dead-letters.service.ts";
import { type JobCatalogue, policyFor } from "./jobs.ts";
import { PHASES, type Phase, type PhaseName, type PhaseResult } from "./phase.ts";
import { phasesRepository } from "./phases.repository.ts";
import type { PipelineMetrics } from "./pipeline.metrics.ts";
import { inputOf, type Phases } from "./pipeline.phases.ts";

/** How one run of a claimed notice ended (before it is written back to the inbox). */
export type RunOutcome =
  | { kind: "completed" }
  | { kind: "failed"; phase: PhaseName; error: string; permanent: boolean; retryAfterMs?: number }
  /** The worker is draining: the notice goes back untried from `phase` on. */
  | { kind: "released"; phase: PhaseName }
  /** This worker's lease was taken over (it stalled past its lease); the new holder carries on. */
  | { kind: "lost"; phase: PhaseName };

export interface DeadLetterAlert {
  alert(a: { key: string; summary: string }): void;
}

export interface NoticeProcessorDeps {
  db: SqlDriver;
  phases: Phases;
  catalogue: JobCatalogue;
  metrics: PipelineMetrics;
  logger: Logger;
  now: () => Date;
  random: () => number;
  alerter: DeadLetterAlert;
  worker: string;
}

/** The final word on one claim, as written back to the inbox. */
export type Settled =
  | { kind: "completed" }
  | { kind: "retry"; phase: PhaseName; delayMs: number }
  | { kind: "dead"; phase: PhaseName; deadLetterId: number | null }
  | { kind: "released" }
  | { kind: "lost" };

/**
 * Runs a claimed notice through the phases that are not yet recorded, then settles the claim:
 * completed, retried later with backoff, dead-lettered (permanent, or out of attempts), or
 * released (drain). Both queue adapters call this; it is the only place that decides retries.
 */
export function createNoticeProcessor(deps: NoticeProcessorDeps) {
  const { db, worker } = deps;

  async function run(c: ClaimedNotice, signal: AbortSignal): Promise<RunOutcome> {
    const policy = policyFor(deps.catalogue, c.lane);
    const done = new Map((await phasesRepository.forTrace(db, c.traceId)).map((p) => [p.phase, p]));
    const outputs: Partial<Record<PhaseName, unknown>> = {};
    for (const phase of PHASES) {
      const rec = done.get(phase);
      if (rec?.status === "ok") {
        outputs[phase] = rec.output;
        continue;
      }
      if (signal.aborted) return { kind: "released", phase };
      const startedAt = deps.now();
      const result = await callPhase(phase, c, outputs, signal, policy.phaseTimeoutMs);
      const finishedAt = deps.now();
      deps.metrics.phase(phase, result.kind, (finishedAt.getTime() - startedAt.getTime()) / 1000);
      if (result.kind === "ok") {
        const commit = result.commit;
        // A store effect commits with its record, under the lease's row lock; a phase without one
        // is recorded in a single fenced statement (a third of the round trips).
        const held = commit
          ? await db.transaction(async (tx) => {
              if (!(await inboxClaims.holds(tx, c.traceId, worker))) return false;
              await commit(tx);
              await phasesRepository.recordOk(tx, c.traceId, phase, result.output, startedAt, finishedAt);
              return true;
            })
          : await phasesRepository.recordOkIfHeld(
              db,
              c.traceId,
              worker,
              phase,
              result.output,
              startedAt,
              finishedAt,
            );
        if (!held) return { kind: "lost", phase };
        outputs[phase] = JSON.parse(JSON.stringify(result.output ?? null));
        continue;
      }
      // A phase cut short by the drain is handed back, not counted as the phase's failure.
      if (signal.aborted) return { kind: "released", phase };
      await phasesRepository.recordFailed(db, c.traceId, phase, result.error, startedAt, finishedAt);
      return {
        kind: "failed",
        phase,
        error: result.error,
        permanent: result.kind === "permanent",
        ...(result.kind === "retryable" && result.retryAfterMs !== undefined
          ? { retryAfterMs: result.retryAfterMs }
          : {}),
      };
    }
    return { kind: "completed" };
  }

  async function callPhase(
    phase: PhaseName,
    c: ClaimedNotice,
    outputs: Partial<Record<PhaseName, unknown>>,
    outer: AbortSignal,
    timeoutMs: number,
  ): Promise<PhaseResult> {
    const item = {
      traceId: c.traceId,
      route: c.route,
      source: c.source,
      provider: c.provider,
      contentType: c.contentType,
      receivedAt: c.receivedAt,
      raw: c.raw,
    };
    const input = inputOf(phase, item, outputs);
    if (input.kind === "invalid") return { kind: "permanent", error: input.error };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([outer, timeout]);
    const ctx = {
      item,
      input: input.input,
      attempt: c.attempts,
      db,
      now: deps.now(),
      signal,
      logger: deps.logger,
    };
    let onAbort: (() => void) | null = null;
    const aborted = new Promise<PhaseResult>((resolve) => {
      onAbort = () =>
        resolve({
          kind: "retryable",
          error: timeout.aborted ? `${phase} timed out after ${timeoutMs} ms` : `${phase} interrupted`,
        });
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      // inputOf checked the input against the schema of the phase(s) that produced it.
      const run = deps.phases[phase] as Phase<unknown, unknown>;
      return await Promise.race([run(ctx), aborted]);
    } catch (err) {
      // A throw is unexpected (a bug or an outage the phase did not classify): retry it, and let
      // the attempt limit turn a persistent one into a dead letter.
      deps.logger.error({ err, trace_id: c.traceId, phase }, "phase threw");
      return {
        kind: "retryable",
        error: `${phase} threw: ${err instanceof Error ? err.message : String(err)}`,
      };
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  }

  async function settle(c: ClaimedNotice, outcome: RunOutcome): Promise<Settled> {
    const policy = policyFor(deps.catalogue, c.lane);
    switch (outcome.kind) {
      case "completed": {
        const ok = await inboxClaims.complete(db, c, worker);
        deps.metrics.finished(ok ? "completed" : "lost");
        return ok ? { kind: "completed" } : { kind: "lost" };
      }
      case "released": {
        await inboxClaims.release(db, c, worker);
        deps.metrics.finished("released");
        return { kind: "released" };
      }
      case "lost":
        deps.metrics.finished("lost");
        deps.logger.warn(
          { trace_id: c.traceId, phase: outcome.phase },
          "lease lost; another worker carries on",
        );
        return { kind: "lost" };
      case "failed": {
        const exhausted = c.attempts >= policy.attempts;
        if (!outcome.permanent && !exhausted) {
          const delayMs = Math.max(
            backoffDelay(c.attempts - 1, { ...policy.backoff, random: deps.random }),
            outcome.retryAfterMs ?? 0,
          );
          const ok = await inboxClaims.retry(db, c, worker, outcome.phase, outcome.error, delayMs);
          deps.metrics.finished(ok ? "retry" : "lost");
          deps.logger.warn(
            {
              trace_id: c.traceId,
              phase: outcome.phase,
              attempt: c.attempts,
              delay_ms: delayMs,
              err: outcome.error,
            },
            "phase failed; will retry",
          );
          return ok ? { kind: "retry", phase: outcome.phase, delayMs } : { kind: "lost" };
        }
        const id = await fileDeadLetter(db, c, worker, {
          phase: outcome.phase,
          error: outcome.error,
          permanent: outcome.permanent,
        });
        if (id === null) {
          deps.metrics.finished("lost");
          return { kind: "lost" };
        }
        deps.metrics.finished("dead");
        deps.alerter.alert({
          key: `dead:${outcome.phase}`,
          summary: `notice ${c.traceId} dead-lettered in ${outcome.phase} after ${c.attempts} attempt(s)${outcome.permanent ? " (permanent)" : ""}: ${outcome.error.slice(0, 300)}`,
        });
        return { kind: "dead", phase: outcome.phase, deadLetterId: id };
      }
    }
  }

  return {
    /** Runs and settles one claimed notice. Throws only when the store fails while settling. */
    async handle(c: ClaimedNotice, signal: AbortSignal): Promise<Settled> {
      let outcome: RunOutcome;
      try {
        outcome = await run(c, signal);
      } catch (err) {
        // The store failed under the runner (e.g. PostgreSQL went away): count it as a retryable
        // failure of the phase in hand; if the store is still away, settling throws and the lease
        // lapses, which retries it just the same.
        outcome = {
          kind: "failed",
          phase: "extract",
          error: `store: ${(err as Error).message}`,
          permanent: false,
        };
        const rows = await phasesRepository.forTrace(db, c.traceId).catch(() => []);
        const next = PHASES.find((p) => !rows.some((r) => r.phase === p && r.status === "ok"));
        if (next) outcome.phase = next;
      }
      return settle(c, outcome);
    },
  };
}

export type NoticeProcessor = ReturnType<typeof createNoticeProcessor>;
