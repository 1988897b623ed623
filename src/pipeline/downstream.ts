import type { Registry } from "../observability/metrics.ts";
import {
  type BreakerRegistry,
  type CircuitBreaker,
  CircuitOpenError,
  createCircuitBreaker,
  registerCircuitGauge,
} from "../resilience/circuit-breaker.ts";
import type { PhaseResult } from "./phase.ts";

/**
 * One circuit breaker per downstream dependency a phase calls (the LLM, each notification channel,
 * any HTTP out), shared by every notice in this process. Their states are exported as
 * `eolgate_circuit_state{name}`.
 */
export interface Downstreams {
  breaker(name: string): CircuitBreaker;
  /** The same breakers as a registry, for areas that take one (the notification dispatcher). */
  registry: BreakerRegistry;
  /**
   * Calls a dependency through its breaker and turns the outcome into a phase result: an open
   * circuit or a thrown error is retryable (after the circuit's reset when open); a value is
   * classified by `classify`, which says whether it was a failure of the dependency.
   */
  call<T>(name: string, fn: () => Promise<T>, classify: (value: T) => PhaseResult): Promise<PhaseResult>;
}

export function createDownstreams(opts: {
  metrics: Registry;
  now: () => number;
  failureThreshold?: number;
  resetAfterMs?: number;
  onOpen?: (name: string) => void;
}): Downstreams {
  const breakers = new Map<string, CircuitBreaker>();
  registerCircuitGauge(opts.metrics, () => breakers.values());
  const breaker = (name: string) => {
    let b = breakers.get(name);
    if (!b) {
      b = createCircuitBreaker({
        name,
        failureThreshold: opts.failureThreshold ?? 5,
        resetAfterMs: opts.resetAfterMs ?? 30_000,
        halfOpenMax: 1,
        now: opts.now,
        onStateChange: (to) => {
          if (to === "open") opts.onOpen?.(name);
        },
      });
      breakers.set(name, b);
    }
    return b;
  };
  return {
    breaker,
    registry: { get: breaker, all: () => [...breakers.values()] },
    async call(name, fn, classify) {
      const b = breaker(name);
      try {
        let verdict: PhaseResult | null = null;
        const outcome = await b.run(fn, (value) => {
          verdict = classify(value);
          // Only a retryable verdict means the dependency misbehaved; a permanent one (a 4xx about
          // our request) says the dependency is up.
          return verdict.kind === "retryable";
        });
        if (outcome.kind === "failed") {
          const msg = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          return { kind: "retryable", error: `${name}: ${msg}` };
        }
        return verdict ?? classify(outcome.value);
      } catch (err) {
        if (err instanceof CircuitOpenError) {
          return {
            kind: "retryable",
            error: `${name}: circuit open`,
            retryAfterMs: Math.max(0, err.retryAt - opts.now()),
          };
        }
        throw err;
      }
    },
  };
}
