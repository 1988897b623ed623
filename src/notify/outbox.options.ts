import type { Counter } from "prom-client";
import type { Registry } from "../observability/metrics.ts";
import type { BreakerRegistry } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { ChannelSender } from "./channel.port.ts";
import type { EngineeringAlerter } from "./engineering.alert.ts";
import type { OutboxRow } from "./outbox.repository.ts";
import type { RateGate, RateLimit } from "./rate-gate.ts";
import type { ChannelKind, Destination } from "./routing.ts";

/** The outbox dispatcher's options, limits and the state its parts share (dispatcher, drain, send). */
export interface DispatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxDispatcherOptions {
  db: SqlDriver;
  channels: { destinations: ReadonlyMap<string, Destination>; send: ChannelSender };
  buckets: RateGate;
  breakers: BreakerRegistry;
  metrics: Registry;
  logger: DispatcherLogger;
  now: () => number;
  alert: EngineeringAlerter;
  /** Called for every row that becomes dead (the pipeline files it as a dead letter). */
  onDead?: (row: OutboxRow, reason: string) => void | Promise<void>;
  /** NOTIFY_DIGEST_WINDOW_SECONDS: a backlog larger than the destination takes in this window is digested. */
  digestWindowSeconds: number;
  limits?: Partial<Record<ChannelKind, RateLimit>>;
  maxPerDigest?: number;
  /** A `sending` row older than this is presumed lost with its worker; longer than the send timeout. */
  leaseMs?: number;
  /** Retryable failures (5xx, timeouts) before a row is dead. 429s do not count. */
  maxFailures?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  pollMs?: number;
  workerId?: string;
}

/** Slack documents about 1 message/s per incoming webhook; Teams workflows and webhooks get more room. */
export const DEFAULT_LIMITS: Record<ChannelKind, RateLimit> = {
  slack: { ratePerSec: 1, burst: 1 },
  teams: { ratePerSec: 1, burst: 2 },
  webhook: { ratePerSec: 10, burst: 10 },
};

export interface RunStats {
  delivered: number;
  retried: number;
  dead: number;
  digests: number;
  unconfirmed: number;
}

/** What the dispatcher's parts share: its options, its identity and limits, its metrics. */
export interface Dispatch {
  o: OutboxDispatcherOptions;
  workerId: string;
  leaseMs: number;
  maxFailures: number;
  maxPerDigest: number;
  backoff: { baseMs: number; maxMs: number; random: () => number };
  messages: Counter<"channel" | "outcome">;
  digests: Counter<"channel">;
  /** Alerts engineering and tells the pipeline (onDead) about a row that became dead. */
  dead(row: OutboxRow, reason: string): Promise<void>;
}
