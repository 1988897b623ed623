import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createRedisRateGate } from "./rate-gate.redis.ts";
import { createMemoryRateGate, type RateGate } from "./rate-gate.ts";

const slack = { ratePerSec: 1, burst: 1 };

describe("memory rate gate (injected clock)", () => {
  it("grants a burst, then one token per 1/rate, and says how long to wait", async () => {
    let t = 0;
    const g = createMemoryRateGate(() => t);
    const limit = { ratePerSec: 2, burst: 2 };
    expect(await g.take("d", limit)).toEqual({ kind: "granted" });
    expect(await g.take("d", limit)).toEqual({ kind: "granted" });
    expect(await g.take("d", limit)).toEqual({ kind: "wait", ms: 500, paused: false });
    t = 499;
    expect((await g.take("d", limit)).kind).toBe("wait");
    t = 500;
    expect(await g.take("d", limit)).toEqual({ kind: "granted" });
    expect(await g.take("other", limit)).toEqual({ kind: "granted" });
  });

  it("a pause blocks takes until it ends, and a shorter pause never shortens it", async () => {
    let t = 0;
    const g = createMemoryRateGate(() => t);
    await g.pause("d", 3000);
    await g.pause("d", 1000);
    expect(await g.pausedFor("d")).toBe(3000);
    expect(await g.take("d", slack)).toEqual({ kind: "wait", ms: 3000, paused: true });
    t = 3000;
    expect(await g.take("d", slack)).toEqual({ kind: "granted" });
  });
});

const redisUrl = inject("redisUrl");
describe.skipIf(!redisUrl)(
  `Redis rate gate${redisUrl ? "" : ` (skipped: ${inject("redisSkipReason")})`}`,
  () => {
    const clients: Redis[] = [];
    const gate = (prefix: string): RateGate => {
      const r = new Redis(redisUrl!);
      clients.push(r);
      return createRedisRateGate(r, prefix);
    };
    afterAll(() => {
      for (const c of clients) c.disconnect();
    });

    it("two clients share one bucket: together they get the burst, not twice it", async () => {
      const prefix = `rg${Date.now()}a`;
      const [a, b] = [gate(prefix), gate(prefix)];
      const limit = { ratePerSec: 1, burst: 3 };
      const results = await Promise.all([a, b, a, b, a, b].map((g) => g.take("slack:x", limit)));
      expect(results.filter((r) => r.kind === "granted")).toHaveLength(3);
      const waits = results.filter((r) => r.kind === "wait");
      for (const w of waits) expect(w).toMatchObject({ paused: false, ms: expect.any(Number) });
      for (const w of waits) if (w.kind === "wait") expect(w.ms).toBeGreaterThan(0);
    });

    it("a pause set by one client stops the other, and is never shortened", async () => {
      const prefix = `rg${Date.now()}b`;
      const [a, b] = [gate(prefix), gate(prefix)];
      await a.pause("slack:y", 5000);
      await b.pause("slack:y", 100);
      const r = await b.take("slack:y", slack);
      expect(r).toMatchObject({ kind: "wait", paused: true });
      if (r.kind === "wait") expect(r.ms).toBeGreaterThan(4000);
      expect(await b.pausedFor("slack:y")).toBeGreaterThan(4000);
      expect(await a.pausedFor("slack:other")).toBe(0);
    });
  },
);
