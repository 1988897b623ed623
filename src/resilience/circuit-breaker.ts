import type { Registry } from "../observability/metrics.ts";
import { gauge } from "../observability/metrics.ts";

/**
 * A circuit breaker with an injected clock. Hand-written rather than cockatiel/opossum because both
 * read the wall clock themselves (tests and the pure parts of the pipeline inject `now`) and neither
 * exposes the "is a call allowed right now?" question the outbox dispatcher asks before claiming rows.
 *
 * closed ──(failureThreshold consecutive failures)──▶ open ──(resetAfterMs elapsed)──▶ half-open
 * half-open ──(a success)──▶ closed;  half-open ──(a failure)──▶ open (timer restarts)
 * In half-open at most `halfOpenMax` trial calls are in flight at once; others are refused.
 */
export type CircuitState = "closed" | "half-open" | "open";

/** Gauge values of `eolgate_circuit_state{name}`. */
export const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, "half-open": 1, open: 2 };

export interface CircuitBreakerOptions {
  name: string;
  /** Consecutive failures that open the circuit (≥ 1). */
  failureThreshold: number;
  /** How long the circuit stays open before trial calls are let through. */
  resetAfterMs: number;
  /** Trial calls allowed at once while half-open (≥ 1). */
  halfOpenMax: number;
  now: () => number;
  /** Called on every state change (e.g. to raise an engineering alert when a circuit opens). */
  onStateChange?: (to: CircuitState, from: CircuitState, name: string) => void;
}

/** `fn` resolved (its value may still count as a failure via `isFailure`), or `fn` threw. */
export type BreakerOutcome<T> = { kind: "ok"; value: T } | { kind: "failed"; error: unknown };

/** Thrown by `run` when the circuit refuses the call; nothing was attempted. */
export class CircuitOpenError extends Error {
  override readonly name = "CircuitOpenError";
  constructor(
    readonly circuit: string,
    /** Epoch ms after which a trial call may be let through. */
    readonly retryAt: number,
  ) {
    super(`circuit ${circuit} is open`);
  }
}

export interface CircuitBreaker {
  readonly name: string;
  state(): CircuitState;
  /** True when a call started now would be let through (does not reserve a half-open slot). */
  allows(): boolean;
  /** Epoch ms at which an open circuit goes half-open (null when not open). */
  openUntil(): number | null;
  /**
   * Runs `fn` through the breaker. A throw, or a value for which `isFailure` is true, counts as a
   * failure; anything else as a success. Throws CircuitOpenError without calling `fn` when refused.
   */
  run<T>(fn: () => Promise<T>, isFailure?: (value: T) => boolean): Promise<BreakerOutcome<T>>;
  /** Records an outcome observed outside `run` (e.g. a result classified later). */
  record(success: boolean): void;
}

export function createCircuitBreaker(opts: CircuitBreakerOptions): CircuitBreaker {
  if (!(opts.failureThreshold >= 1)) throw new RangeError("failureThreshold must be ≥ 1");
  if (!(opts.halfOpenMax >= 1)) throw new RangeError("halfOpenMax must be ≥ 1");
  if (!(opts.resetAfterMs >= 0)) throw new RangeError("resetAfterMs must be ≥ 0");
  let current: CircuitState = "closed";
  let failures = 0;
  let openedAt = 0;
  let trialsInFlight = 0;

  const moveTo = (to: CircuitState) => {
    if (to === current) return;
    const from = current;
    current = to;
    if (to === "open") openedAt = opts.now();
    if (to !== "half-open") trialsInFlight = 0;
    if (to === "closed") failures = 0;
    opts.onStateChange?.(to, from, opts.name);
  };
  // Open → half-open is time-driven, so every read first catches up with the clock.
  const tick = (): CircuitState => {
    if (current === "open" && opts.now() - openedAt >= opts.resetAfterMs) moveTo("half-open");
    return current;
  };
  const record = (success: boolean) => {
    tick();
    if (success) {
      moveTo("closed");
      failures = 0;
      return;
    }
    failures++;
    if (current === "half-open" || failures >= opts.failureThreshold) {
      // Re-opening from half-open restarts the reset timer.
      if (current === "open") return;
      moveTo("open");
    }
  };

  return {
    name: opts.name,
    state: tick,
    allows: () => {
      const s = tick();
      return s === "closed" || (s === "half-open" && trialsInFlight < opts.halfOpenMax);
    },
    openUntil: () => (tick() === "open" ? openedAt + opts.resetAfterMs : null),
    record,
    async run<T>(fn: () => Promise<T>, isFailure?: (value: T) => boolean): Promise<BreakerOutcome<T>> {
      const s = tick();
      if (s === "open") throw new CircuitOpenError(opts.name, openedAt + opts.resetAfterMs);
      const trial = s === "half-open";
      if (trial) {
        if (trialsInFlight >= opts.halfOpenMax) throw new CircuitOpenError(opts.name, opts.now());
        trialsInFlight++;
      }
      try {
        const value = await fn();
        record(!isFailure?.(value));
        return { kind: "ok", value };
      } catch (error) {
        record(false);
        return { kind: "failed", error };
      } finally {
        if (trial && trialsInFlight > 0) trialsInFlight--;
      }
    },
  };
}

/**
 * Registers `eolgate_circuit_state{name}` (0 closed, 1 half-open, 2 open), read at scrape time from
 * the breakers `list()` returns (so breakers created later are included).
 */
export function registerCircuitGauge(reg: Registry, list: () => Iterable<CircuitBreaker>): void {
  gauge(
    reg,
    "eolgate_circuit_state",
    "Circuit breaker state: 0 closed, 1 half-open, 2 open",
    ["name"],
    function () {
      for (const b of list()) this.set({ name: b.name }, CIRCUIT_STATE_VALUE[b.state()]);
    },
  );
}

/** One breaker per name, created on first use with shared defaults (e.g. one per destination). */
export interface BreakerRegistry {
  get(name: string): CircuitBreaker;
  all(): CircuitBreaker[];
}

/**
 * One breaker per downstream dependency (the LLM, each notification destination), shared by all the
 * work of a process; `onOpen` hears which one opened (the engineering alert).
 */
export function createBreakerRegistry(
  defaults: Omit<CircuitBreakerOptions, "name" | "onStateChange"> & { onOpen?: (name: string) => void },
): BreakerRegistry {
  const { onOpen, ...options } = defaults;
  const map = new Map<string, CircuitBreaker>();
  return {
    get(name) {
      let b = map.get(name);
      if (!b) {
        b = createCircuitBreaker({
          ...options,
          name,
          ...(onOpen ? { onStateChange: (to) => (to === "open" ? onOpen(name) : undefined) } : {}),
        });
        map.set(name, b);
      }
      return b;
    },
    all: () => [...map.values()],
  };
}
