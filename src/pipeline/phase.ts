import type { Logger } from "pino";
import type { Sql } from "../store/driver.ts";

/**
 * The phase contract. A notice goes through four phases in order; the runner (pipeline.runner.ts)
 * records each phase's output keyed by trace id, hands it to the next phase as its typed input, and
 * never calls a phase again once its output is recorded. The phases themselves are in ./phases/, one
 * file each, and pipeline.phases.ts composes them.
 *
 * Idempotency contract: a phase may be called again for the same trace id after a crash between its
 * effect and its record. So an effect is either
 *  - on the pipeline's own store: returned as `commit`, which the runner runs in the same
 *    transaction as the phase record (both happen or neither), or
 *  - elsewhere (HTTP, another system): keyed by the trace id so the receiver drops a repeat
 *    (e.g. the notification outbox's deterministic delivery id, cases keyed by trace id).
 */
export const PHASES = ["extract", "assess", "persist", "notify"] as const;
export type PhaseName = (typeof PHASES)[number];

/** The notice as the inbox holds it: the raw payload exactly as received. */
export interface InboxItem {
  traceId: string;
  route: string;
  source: string;
  provider: string | null;
  contentType: string;
  receivedAt: Date;
  raw: Buffer;
}

export interface PhaseContext<I> {
  item: InboxItem;
  /** This phase's input: the recorded output of the phase(s) before it, checked against its schema. */
  input: I;
  /** Which try this is (1 = first). */
  attempt: number;
  /** Read access and idempotent writes; effects that must commit with the record go in `commit`. */
  db: Sql;
  now: Date;
  /** Aborted when the phase times out or the worker drains. */
  signal: AbortSignal;
  logger: Logger;
}

export type PhaseResult<O = unknown> =
  | {
      kind: "ok";
      /** JSON-serialisable; recorded and handed to later phases. */
      output: O;
      /** The phase's effect on the store, committed in the transaction that records the output. */
      commit?: (tx: Sql) => Promise<void>;
    }
  /** Worth trying again later (timeouts, 5xx, an open circuit, the store briefly away). */
  | { kind: "retryable"; error: string; retryAfterMs?: number }
  /** Will fail again the same way until someone changes something (bad payload, a bug, a 4xx). */
  | { kind: "permanent"; error: string };

export type Phase<I, O> = (ctx: PhaseContext<I>) => Promise<PhaseResult<O>>;
