/**
 * Per-destination outbound rate limits: a token bucket (steady `ratePerSec`, bursts up to `burst`)
 * plus a pause set by a 429's Retry-After. Two implementations share this port: in-process
 * (embedded mode) and Redis (distributed mode, so all workers together keep one limit).
 */
export interface RateLimit {
  ratePerSec: number;
  burst: number;
}

export type TakeResult = { kind: "granted" } | { kind: "wait"; ms: number; paused: boolean };

export interface RateGate {
  /** Takes one token for `key`, unless the key is paused or empty (then: how long to wait). */
  take(key: string, limit: RateLimit): Promise<TakeResult>;
  /** Nothing may be sent to `key` for `ms` (extends, never shortens, a running pause). */
  pause(key: string, ms: number): Promise<void>;
  /** Remaining pause for `key` in ms (0 when not paused). */
  pausedFor(key: string): Promise<number>;
}

/** In-process buckets over an injected clock (embedded mode, one worker). */
export function createMemoryRateGate(now: () => number): RateGate {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const pauses = new Map<string, number>();
  const pausedFor = (key: string) => Math.max(0, (pauses.get(key) ?? 0) - now());
  return {
    async take(key, limit) {
      const p = pausedFor(key);
      if (p > 0) return { kind: "wait", ms: p, paused: true };
      const t = now();
      const b = buckets.get(key) ?? { tokens: limit.burst, at: t };
      const tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.ratePerSec);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: t });
        return { kind: "granted" };
      }
      buckets.set(key, { tokens, at: t });
      return { kind: "wait", ms: Math.ceil(((1 - tokens) / limit.ratePerSec) * 1000), paused: false };
    },
    async pause(key, ms) {
      const until = now() + ms;
      if (until > (pauses.get(key) ?? 0)) pauses.set(key, until);
    },
    async pausedFor(key) {
      return pausedFor(key);
    },
  };
}
