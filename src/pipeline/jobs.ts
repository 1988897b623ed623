import { z } from "zod";
import type { Lane } from "../inbox/inbox.repository.ts";
import type { BackoffOptions } from "../resilience/backoff.ts";

/**
 * The job catalogue: every kind of work the queue carries, with its payload schema and policy.
 * Both queue adapters read it, so attempts, backoff and timeout mean the same thing in embedded and
 * distributed mode. Attempts are counted on the inbox row (the record), not by the queue, so a job
 * that is lost and re-enqueued by the sweeper keeps its count.
 */
export { LANES, type Lane } from "../inbox/inbox.repository.ts";

export const NoticeJobPayload = z.object({ traceId: z.uuid("traceId must be a UUID") });
export type NoticeJobPayload = z.infer<typeof NoticeJobPayload>;

export interface JobPolicy {
  /** Queue name (BullMQ) and lane (embedded). */
  name: string;
  lane: Lane;
  payload: typeof NoticeJobPayload;
  /** Total tries of one notice: the first plus MAX_RETRIES retries. */
  attempts: number;
  /** Exponential backoff with full jitter between tries (src/resilience/backoff.ts). */
  backoff: Omit<BackoffOptions, "random">;
  /** Each phase call is abandoned (and counts as a retryable failure) after this long. */
  phaseTimeoutMs: number;
}

export interface JobCatalogue {
  process: JobPolicy;
  replay: JobPolicy;
}

export function jobCatalogue(settings: {
  MAX_RETRIES: number;
  PIPELINE_PHASE_TIMEOUT_SECONDS: number;
  PIPELINE_BACKOFF_BASE_MS: number;
}): JobCatalogue {
  const common = {
    payload: NoticeJobPayload,
    attempts: settings.MAX_RETRIES + 1,
    backoff: {
      baseMs: settings.PIPELINE_BACKOFF_BASE_MS,
      maxMs: Math.max(settings.PIPELINE_BACKOFF_BASE_MS, 300_000),
    },
    phaseTimeoutMs: settings.PIPELINE_PHASE_TIMEOUT_SECONDS * 1000,
  };
  return {
    // New notices: the main lane, served with the worker's full concurrency.
    process: { name: "eolgate-notices", lane: "main", ...common },
    // Replays of dead letters: a lane of their own with a small share of the concurrency, so a
    // mass replay never starves fresh notices.
    replay: { name: "eolgate-replay", lane: "replay", ...common },
  };
}

export function policyFor(catalogue: JobCatalogue, lane: Lane): JobPolicy {
  return lane === "replay" ? catalogue.replay : catalogue.process;
}

/** How many of a worker's slots the replay lane may hold at once. */
export function replayConcurrency(workerConcurrency: number): number {
  return Math.max(1, Math.floor(workerConcurrency / 4));
}
