import { ConfigError, type SourcesConfig } from "../config.ts";
import type { Ingestor } from "../ingest/ingest.ts";
import type { EngineeringAlerter } from "../notify/engineering.alert.ts";
import type { RateGate } from "../notify/rate-gate.ts";
import type { CircuitBreaker } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import { abortableSleep } from "./abortable-sleep.ts";
import { type ColumnOverrides, checkOverrides } from "./export/export.columns.ts";
import type { LifecyclePlatform } from "./lifecycle-platform.ts";
import { createBomScanSource } from "./scan/bom-scan.source.ts";
import type { SeConnect } from "./siliconexpert/se.session.ts";
import {
  createSiliconExpertPlatform,
  createSiliconExpertSource,
  SE_SOURCE,
} from "./siliconexpert/se.source.ts";
import type { SourceMetrics } from "./source.metrics.ts";
import { createSourceScheduler, type ScheduledSource, type SourceScheduler } from "./source.scheduler.ts";

/**
 * The configured sources, built from the sources' slice of the settings (the composition root
 * calls this, for the gateway and the commands; nothing else reads SILICONEXPERT_* or SOURCE_*).
 * SiliconExpert is on when its login and API key are set; its BOM scan comes with it. Its session
 * is opened through `connectSiliconExpert`, the adapter the composition root chooses. Accuris has no API to poll: its exports arrive as
 * files (`import-alerts`, `POST /v1/sources/accuris/import`).
 */

export interface SourcesSetup {
  scheduled: ScheduledSource[];
  /** The platform a BOM scan asks (null when none is configured). */
  platform: LifecyclePlatform | null;
  /** Default column mapping of alert exports (SOURCE_IMPORT_COLUMNS). */
  importColumns: ColumnOverrides;
  describe(): string[];
}

export function importColumnsOf(config: SourcesConfig): ColumnOverrides {
  if (!config.SOURCE_IMPORT_COLUMNS) return {};
  const checked = checkOverrides(config.SOURCE_IMPORT_COLUMNS);
  if (checked.kind === "invalid")
    throw new ConfigError([{ variable: "SOURCE_IMPORT_COLUMNS", message: checked.reason }]);
  return checked.columns;
}

export function buildSources(
  config: SourcesConfig,
  deps: { db: SqlDriver; gate: RateGate; now: () => Date; connectSiliconExpert: SeConnect },
): SourcesSetup {
  const importColumns = importColumnsOf(config);
  const scheduled: ScheduledSource[] = [];
  let platform: LifecyclePlatform | null = null;
  if (config.SILICONEXPERT_LOGIN && config.SILICONEXPERT_API_KEY) {
    const rate = config.SILICONEXPERT_MAX_REQUESTS_PER_SECOND;
    const limit = { ratePerSec: rate, burst: Math.max(1, Math.ceil(rate)) };
    const client = deps.connectSiliconExpert({
      baseUrl: config.SILICONEXPERT_BASE_URL,
      login: config.SILICONEXPERT_LOGIN,
      apiKey: config.SILICONEXPERT_API_KEY,
      timeoutMs: config.SILICONEXPERT_TIMEOUT_SECONDS * 1000,
      maxInlineWaitMs: config.SOURCE_MAX_INLINE_WAIT_SECONDS * 1000,
      now: deps.now,
      async throttle(signal) {
        for (;;) {
          const t = await deps.gate.take(SE_SOURCE, limit);
          if (t.kind === "granted") return;
          await abortableSleep(t.ms, signal);
        }
      },
      pause: (ms) => deps.gate.pause(SE_SOURCE, ms),
    });
    platform = createSiliconExpertPlatform(client);
    scheduled.push({
      source: createSiliconExpertSource({
        client,
        backfillDays: config.SILICONEXPERT_BACKFILL_DAYS,
        alertTypes: config.SILICONEXPERT_ALERT_TYPES,
      }),
      intervalMs: config.SILICONEXPERT_POLL_INTERVAL_SECONDS * 1000,
    });
    scheduled.push({
      source: createBomScanSource({
        db: deps.db,
        platform,
        watch: config.SILICONEXPERT_WATCH_BOM,
        rescanAfterMs: config.SILICONEXPERT_SCAN_INTERVAL_HOURS * 3_600_000,
      }),
      intervalMs: config.SOURCE_SCAN_CHECK_SECONDS * 1000,
    });
  }
  return {
    scheduled,
    platform,
    importColumns,
    describe: () =>
      scheduled.length === 0
        ? [
            "polled sources: none configured (set SILICONEXPERT_LOGIN and SILICONEXPERT_API_KEY to poll SiliconExpert)",
          ]
        : scheduled.map((s) => `polled source ${s.source.name}: every ${Math.round(s.intervalMs / 1000)} s`),
  };
}

/** The scheduler over the configured sources, with the settings' timings. */
export function sourceScheduler(
  config: SourcesConfig,
  setup: SourcesSetup,
  deps: {
    db: SqlDriver;
    ingestor: Ingestor;
    metrics: SourceMetrics;
    logger: Parameters<typeof createSourceScheduler>[0]["logger"];
    alerter: EngineeringAlerter;
    breaker: (name: string) => CircuitBreaker;
    worker: string;
    now: () => Date;
  },
): SourceScheduler {
  return createSourceScheduler({
    ...deps,
    sources: setup.scheduled,
    random: Math.random,
    settings: {
      leaseMs: config.SOURCE_LEASE_SECONDS * 1000,
      tickMs: config.SOURCE_TICK_SECONDS * 1000,
      backoffBaseMs: config.SOURCE_BACKOFF_BASE_SECONDS * 1000,
      backoffMaxMs: config.SOURCE_BACKOFF_MAX_SECONDS * 1000,
      alertAfterMs: config.SOURCE_ALERT_AFTER_SECONDS * 1000,
    },
  });
}
