/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * delay = random() × min(maxMs, baseMs × 2^attempt). `attempt` counts retries already made, from 0,
 * so the first retry waits up to `baseMs`. `random` is injected (in [0, 1)) to keep callers testable.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError("attempt must be an integer ≥ 0");
  if (!(opts.baseMs > 0) || !(opts.maxMs >= opts.baseMs)) throw new RangeError("need 0 < baseMs ≤ maxMs");
  // 2^attempt overflows to Infinity for large attempts; min() then caps it at maxMs, as intended.
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
  const r = opts.random();
  const jitter = r >= 0 && r < 1 ? r : 0;
  return Math.floor(jitter * ceiling);
}

/** The upper bound `backoffDelay` can return for `attempt` (for schedules and documentation). */
export function backoffCeiling(attempt: number, opts: Omit<BackoffOptions, "random">): number {
  return Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
}
