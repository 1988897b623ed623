import type { ClaimedNotice } from "../inbox/inbox.repository.ts";
import type { Lane } from "./jobs.ts";

/**
 * The queue port. Two adapters: embedded (workers claim due inbox rows directly) and BullMQ on
 * Redis (job id = trace id, with a sweeper). Either way the inbox is the record and the lease on the
 * inbox row is what entitles a worker to run a notice; the queue only says "look at this one now".
 */
export type NoticeHandler = (claim: ClaimedNotice, signal: AbortSignal) => Promise<unknown>;

export interface WorkQueue {
  readonly kind: "embedded" | "bullmq";
  /**
   * Producer side, called after the inbox commit. Never throws and never blocks ingest: when the
   * queue cannot take the ids now, the sweeper (or the embedded poll) finds the rows later.
   */
  enqueue(traceIds: readonly string[], lane: Lane): void;
  /** Worker side: starts taking work, at most `concurrency` notices at once. */
  startWorker(handler: NoticeHandler, concurrency: number): void;
  /** Readiness: resolves when the queue's backing service answers. */
  ping(): Promise<void>;
  /** Stops taking work, finishes what is in hand within `drainMs`, releases the rest, disconnects. */
  close(drainMs: number): Promise<void>;
}
