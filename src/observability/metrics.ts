import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Metric helpers over one registry per process (tests build several apps, so no global registry).
 * Asking twice for the same name returns the same metric, so modules can declare what they use.
 */
export function counter<L extends string>(
  reg: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [reg] });
}

export function gauge<L extends string>(
  reg: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  collect?: (this: Gauge<L>) => void | Promise<void>,
): Gauge<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [reg], ...(collect ? { collect } : {}) });
}

export function histogram<L extends string>(
  reg: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets: number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
): Histogram<L> {
  const existing = reg.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, buckets, registers: [reg] });
}

export function newRegistry(): Registry {
  return new Registry();
}
export type { Registry };
