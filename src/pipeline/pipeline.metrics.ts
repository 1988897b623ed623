import type { Logger } from "pino";
import { inboxClaims } from "../inbox/inbox.repository.ts";
import { counter, gauge, histogram, type Registry } from "../observability/metrics.ts";
import type { Sql } from "../store/driver.ts";
import { deadLetters } from "./dead-letters.repository.ts";
import type { PhaseName } from "./phase.ts";

export interface PipelineMetrics {
  phase(phase: PhaseName, outcome: "ok" | "retryable" | "permanent", seconds: number): void;
  finished(outcome: "completed" | "retry" | "dead" | "released" | "lost"): void;
}

/**
 * `eolgate_phase_seconds{phase}`, `eolgate_phase_total{phase,outcome}`, `eolgate_notices_total{outcome}`,
 * and, read from the store at scrape time (so every process reports the shared truth),
 * `eolgate_queue_depth{lane}` and `eolgate_dead_letters`.
 */
export function pipelineMetrics(reg: Registry, db: Sql, logger: Logger): PipelineMetrics {
  const seconds = histogram(reg, "eolgate_phase_seconds", "Time spent in each pipeline phase", ["phase"]);
  const total = counter(reg, "eolgate_phase_total", "Pipeline phase runs by outcome", ["phase", "outcome"]);
  const finished = counter(reg, "eolgate_notices_total", "Notice runs by how they ended", ["outcome"]);
  registerStoreGauges(reg, db, logger);
  return {
    phase(phase, outcome, s) {
      seconds.observe({ phase }, s);
      total.inc({ phase, outcome });
    },
    finished(outcome) {
      finished.inc({ outcome });
    },
  };
}

export function registerStoreGauges(reg: Registry, db: Sql, logger: Logger): void {
  gauge(reg, "eolgate_queue_depth", "Notices waiting or in progress, by lane", ["lane"], async function () {
    try {
      const d = await inboxClaims.depth(db);
      for (const [lane, n] of Object.entries(d)) this.set({ lane }, n);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "queue depth unavailable");
    }
  });
  gauge(reg, "eolgate_dead_letters", "Dead letters not yet replayed", [], async function () {
    try {
      this.set(await deadLetters.countOpen(db));
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "dead-letter count unavailable");
    }
  });
}
