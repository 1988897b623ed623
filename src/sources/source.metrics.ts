import { counter, gauge, type Registry } from "../observability/metrics.ts";
import type { SqlDriver } from "../store/driver.ts";
import { sourceCheckpoints } from "./source-checkpoints.repository.ts";

/**
 * Source metrics (docs/sources.md). Counters count what this process did; the gauges are read from
 * `source_checkpoints` at scrape time, so every process reports the same truth whichever of them
 * holds the lease:
 * - `eolgate_source_last_success_timestamp_seconds{source}`: when the source last polled cleanly;
 * - `eolgate_source_lag_seconds{source}`: how long ago that was (alerts newer than this may not be in yet);
 * - `eolgate_source_failing_seconds{source}`: length of the current failure streak (0 when healthy);
 * - `eolgate_source_alerts_read_total{source}`, `eolgate_source_errors_total{source,kind}`,
 *   `eolgate_source_polls_total{source,outcome}`.
 */
export interface SourceMetrics {
  polled(source: string, outcome: "ok" | "failed" | "skipped"): void;
  alertsRead(source: string, n: number): void;
  error(source: string, kind: string): void;
}

export function sourceMetrics(reg: Registry, db: SqlDriver | null): SourceMetrics {
  const polls = counter(reg, "eolgate_source_polls_total", "Source polls by outcome", ["source", "outcome"]);
  const read = counter(reg, "eolgate_source_alerts_read_total", "Alerts read from each source", ["source"]);
  const errors = counter(reg, "eolgate_source_errors_total", "Failed source polls by kind", [
    "source",
    "kind",
  ]);
  if (db) {
    // One read serves the three gauges of one scrape.
    let pending: Promise<Awaited<ReturnType<typeof sourceCheckpoints.list>>> | null = null;
    const states = () => {
      pending ??= sourceCheckpoints.list(db).finally(() => {
        setTimeout(() => {
          pending = null;
        }, 100).unref();
      });
      return pending.catch(() => []);
    };
    gauge(
      reg,
      "eolgate_source_last_success_timestamp_seconds",
      "When each source last polled successfully (Unix seconds; absent before the first success)",
      ["source"],
      async function () {
        for (const s of await states())
          if (s.lastSuccessAt) this.set({ source: s.name }, s.lastSuccessAt.getTime() / 1000);
      },
    );
    gauge(
      reg,
      "eolgate_source_lag_seconds",
      "Seconds since each source last polled successfully",
      ["source"],
      async function () {
        for (const s of await states())
          if (s.secondsSinceSuccess !== null) this.set({ source: s.name }, s.secondsSinceSuccess);
      },
    );
    gauge(
      reg,
      "eolgate_source_failing_seconds",
      "Seconds the current failure streak of each source has lasted (0 when healthy)",
      ["source"],
      async function () {
        for (const s of await states()) this.set({ source: s.name }, s.secondsFailing ?? 0);
      },
    );
  }
  return {
    polled: (source, outcome) => polls.inc({ source, outcome }),
    alertsRead: (source, n) => {
      if (n > 0) read.inc({ source }, n);
    },
    error: (source, kind) => errors.inc({ source, kind }),
  };
}
