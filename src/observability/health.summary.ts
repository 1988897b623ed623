import type { Registry } from "./metrics.ts";

/**
 * The Health page's view of this process's metrics (the same registry /metrics prints), as JSON a
 * person reads: queue depth by lane, dead letters, notices and phases by outcome, ingest results,
 * outbox rows by state, notification attempts by outcome (rate-limited ones included), circuit
 * states, polled sources' last success; plus a short history sampled every few seconds so the page
 * can draw throughput and queue depth without keeping its own.
 */
export interface Counted {
  labels: Record<string, string>;
  value: number;
}

export interface HealthSample {
  at: string;
  /** Notices that finished their run (any outcome), since the process started. */
  notices_finished: number;
  /** Ingest requests answered 202, since the process started. */
  ingest_accepted: number;
  queue_depth: number;
}

export interface HealthSummary {
  at: string;
  uptime_seconds: number;
  queue_depth: Counted[];
  dead_letters: number | null;
  notices: Counted[];
  phases: Counted[];
  ingest: Counted[];
  outbox: Counted[];
  notifications: Counted[];
  circuits: { name: string; state: "closed" | "half-open" | "open" }[];
  sources: { name: string; last_success: string | null }[];
  history: HealthSample[];
}

type MetricJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>[number];

const CIRCUIT_STATES = ["closed", "half-open", "open"] as const;

function values(metrics: Map<string, MetricJson>, name: string): Counted[] {
  const m = metrics.get(name);
  if (!m) return [];
  return (m.values as { value: number; labels: Record<string, string | number> }[]).map((v) => ({
    labels: Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)])),
    value: Number(v.value),
  }));
}

const sum = (xs: Counted[], keep: (c: Counted) => boolean = () => true) =>
  xs.filter(keep).reduce((s, c) => s + c.value, 0);

async function read(registry: Registry): Promise<Map<string, MetricJson>> {
  const all = await registry.getMetricsAsJSON();
  return new Map(all.filter((m) => m.name.startsWith("eolgate_")).map((m) => [m.name, m]));
}

function sampleOf(metrics: Map<string, MetricJson>, at: Date): HealthSample {
  return {
    at: at.toISOString(),
    notices_finished: sum(values(metrics, "eolgate_notices_total")),
    ingest_accepted: sum(values(metrics, "eolgate_ingest_requests_total"), (c) =>
      ["accepted", "duplicate"].includes(c.labels.result ?? ""),
    ),
    queue_depth: sum(values(metrics, "eolgate_queue_depth")),
  };
}

export interface HealthMonitor {
  summary(): Promise<HealthSummary>;
  stop(): void;
}

/** Samples the registry every `everyMs` (keeping an hour by default) and answers summaries on demand. */
export function createHealthMonitor(
  registry: Registry,
  opts: { now: () => Date; everyMs?: number; keep?: number; startedAt?: Date },
): HealthMonitor {
  const everyMs = opts.everyMs ?? 5_000;
  const keep = opts.keep ?? Math.ceil(3_600_000 / everyMs);
  const startedAt = opts.startedAt ?? opts.now();
  const history: HealthSample[] = [];
  let timer: NodeJS.Timeout | null = null;
  const sample = async () => {
    history.push(sampleOf(await read(registry), opts.now()));
    if (history.length > keep) history.splice(0, history.length - keep);
  };
  timer = setInterval(() => void sample().catch(() => {}), everyMs);
  timer.unref();
  void sample().catch(() => {});
  return {
    async summary() {
      const metrics = await read(registry);
      const now = opts.now();
      const open = values(metrics, "eolgate_dead_letters");
      return {
        at: now.toISOString(),
        uptime_seconds: Math.round((now.getTime() - startedAt.getTime()) / 1000),
        queue_depth: values(metrics, "eolgate_queue_depth"),
        dead_letters: open.length > 0 ? sum(open) : null,
        notices: values(metrics, "eolgate_notices_total"),
        phases: values(metrics, "eolgate_phase_total"),
        ingest: values(metrics, "eolgate_ingest_requests_total"),
        outbox: values(metrics, "eolgate_notify_outbox_rows"),
        notifications: values(metrics, "eolgate_notify_messages_total"),
        circuits: values(metrics, "eolgate_circuit_state").map((c) => ({
          name: c.labels.name ?? "?",
          state: CIRCUIT_STATES[c.value] ?? "open",
        })),
        sources: values(metrics, "eolgate_source_last_success_timestamp_seconds").map((c) => ({
          name: c.labels.source ?? c.labels.name ?? "?",
          last_success: c.value > 0 ? new Date(c.value * 1000).toISOString() : null,
        })),
        history: [...history, sampleOf(metrics, now)],
      };
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
