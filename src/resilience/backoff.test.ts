import { describe, expect, it } from "vitest";
import { backoffCeiling, backoffDelay } from "./backoff.ts";

describe("backoffDelay (exponential, full jitter)", () => {
  const opts = { baseMs: 100, maxMs: 2_000 };
  it("scales the random fraction of an exponentially growing, capped ceiling", () => {
    expect(backoffDelay(0, { ...opts, random: () => 0.5 })).toBe(50);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(10, { ...opts, random: () => 0.5 })).toBe(1_000);
    expect(backoffDelay(5_000, { ...opts, random: () => 0.999 })).toBe(1_998);
    expect(backoffDelay(2, { ...opts, random: () => 0 })).toBe(0);
  });
  it("stays within [0, ceiling) for any random value, including bad ones", () => {
    for (const r of [0, 0.25, 0.9999, 1, -1, Number.NaN]) {
      const d = backoffDelay(4, { ...opts, random: () => r });
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(backoffCeiling(4, opts));
    }
  });
  it("rejects bad arguments", () => {
    expect(() => backoffDelay(-1, { ...opts, random: Math.random })).toThrow(/attempt/);
    expect(() => backoffDelay(1.5, { ...opts, random: Math.random })).toThrow(/attempt/);
    expect(() => backoffDelay(1, { baseMs: 0, maxMs: 10, random: Math.random })).toThrow(/baseMs/);
    expect(() => backoffDelay(1, { baseMs: 10, maxMs: 5, random: Math.random })).toThrow(/baseMs/);
  });
});
