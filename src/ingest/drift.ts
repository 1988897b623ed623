import type { Logger } from "pino";
import { counter, type Registry } from "../observability/metrics.ts";
import type { Sql } from "../store/driver.ts";
import { schemaDriftRepository } from "./schema-drift.repository.ts";

/**
 * Schema drift: fields a source sends that its contract does not know. Each is counted in
 * Prometheus at once, logged once per source and field per process, and folded into the
 * `schema_drift` table in the background (the hot path never waits for it).
 */
export interface DriftTracker {
  record(source: string, fields: readonly string[]): void;
  /** Writes the counts gathered since the last flush. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_TRACKED = 10_000;

export function createDriftTracker(deps: {
  db: Sql;
  metrics: Registry;
  logger: Logger;
  flushEveryMs?: number;
}): DriftTracker {
  const total = counter(
    deps.metrics,
    "eolgate_schema_drift_total",
    "Unknown fields received, by source and field",
    ["source", "field"],
  );
  const logged = new Set<string>();
  let pending = new Map<string, { source: string; field: string; n: number }>();
  const timer = setInterval(() => void flush(), deps.flushEveryMs ?? 5_000);
  timer.unref();

  async function flush(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    try {
      await schemaDriftRepository.add(deps.db, batch);
    } catch (err) {
      deps.logger.warn({ err }, "could not record schema drift; counts stay in /metrics");
    }
  }

  return {
    record(source, fields) {
      for (const field of fields) {
        // Label values come from senders: bound their cardinality.
        const f = field.slice(0, 64);
        const s = source.slice(0, 64);
        const key = `${s}\u0000${f}`;
        if (!logged.has(key) && logged.size < MAX_TRACKED) {
          logged.add(key);
          deps.logger.info({ source: s, field: f }, "schema drift: unknown field accepted");
        }
        // Past MAX_TRACKED distinct pairs, new ones share one series instead of growing the registry.
        if (logged.has(key)) total.inc({ source: s, field: f });
        else total.inc({ source: "_other", field: "_other" });
        const p = pending.get(key);
        if (p) p.n++;
        else if (pending.size < MAX_TRACKED) pending.set(key, { source: s, field: f, n: 1 });
      }
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
