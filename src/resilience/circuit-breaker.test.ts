import { describe, expect, it } from "vitest";
import { newRegistry } from "../observability/metrics.ts";
import { CircuitOpenError, createCircuitBreaker, registerCircuitGauge } from "./circuit-breaker.ts";

function setup(over: { failureThreshold?: number; halfOpenMax?: number } = {}) {
  let t = 1_000;
  const changes: string[] = [];
  const b = createCircuitBreaker({
    name: "slack:a",
    failureThreshold: over.failureThreshold ?? 3,
    resetAfterMs: 5_000,
    halfOpenMax: over.halfOpenMax ?? 1,
    now: () => t,
    onStateChange: (to, from) => changes.push(`${from}->${to}`),
  });
  return { b, changes, advance: (ms: number) => (t += ms) };
}
const boom = async (): Promise<never> => {
  throw new Error("boom");
};

describe("circuit breaker", () => {
  it("opens after consecutive failures and refuses calls without running them", async () => {
    const { b, changes } = setup();
    for (let i = 0; i < 3; i++) expect((await b.run(boom)).kind).toBe("failed");
    expect(b.state()).toBe("open");
    expect(b.allows()).toBe(false);
    let ran = false;
    await expect(
      b.run(async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    expect(ran).toBe(false);
    expect(b.openUntil()).toBe(6_000);
    expect(changes).toEqual(["closed->open"]);
  });

  it("a success resets the consecutive-failure count", async () => {
    const { b } = setup();
    await b.run(boom);
    await b.run(boom);
    expect(await b.run(async () => 7)).toEqual({ kind: "ok", value: 7 });
    await b.run(boom);
    await b.run(boom);
    expect(b.state()).toBe("closed");
  });

  it("counts resolved values as failures when isFailure says so, and still returns them", async () => {
    const { b } = setup({ failureThreshold: 1 });
    const out = await b.run(
      async () => ({ status: 500 }),
      (v) => v.status >= 500,
    );
    expect(out).toEqual({ kind: "ok", value: { status: 500 } });
    expect(b.state()).toBe("open");
  });

  it("goes half-open after resetAfterMs, lets halfOpenMax trials through, closes on success", async () => {
    const { b, advance, changes } = setup({ failureThreshold: 1, halfOpenMax: 1 });
    await b.run(boom);
    advance(4_999);
    expect(b.state()).toBe("open");
    advance(1);
    expect(b.state()).toBe("half-open");
    let release: () => void = () => {};
    const trial = b.run(() => new Promise<string>((r) => (release = () => r("ok"))));
    expect(b.allows()).toBe(false);
    await expect(b.run(async () => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    expect(await trial).toEqual({ kind: "ok", value: "ok" });
    expect(b.state()).toBe("closed");
    expect(changes).toEqual(["closed->open", "open->half-open", "half-open->closed"]);
  });

  it("a failed trial re-opens the circuit and restarts the timer", async () => {
    const { b, advance } = setup({ failureThreshold: 2 });
    await b.run(boom);
    await b.run(boom);
    advance(5_000);
    expect(b.state()).toBe("half-open");
    await b.run(boom);
    expect(b.state()).toBe("open");
    expect(b.openUntil()).toBe(11_000);
  });

  it("rejects nonsensical options", () => {
    const base = { name: "x", resetAfterMs: 1, halfOpenMax: 1, now: () => 0 };
    expect(() => createCircuitBreaker({ ...base, failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => createCircuitBreaker({ ...base, failureThreshold: 1, halfOpenMax: 0 })).toThrow(
      /halfOpenMax/,
    );
    expect(() => createCircuitBreaker({ ...base, failureThreshold: 1, resetAfterMs: -1 })).toThrow(
      /resetAfterMs/,
    );
  });

  it("exposes eolgate_circuit_state{name} as 0/1/2", async () => {
    const { b, advance } = setup({ failureThreshold: 1 });
    const reg = newRegistry();
    registerCircuitGauge(reg, () => [b]);
    const read = async () => (await reg.getSingleMetricAsString("eolgate_circuit_state")).split("\n").at(-1);
    expect(await read()).toBe('eolgate_circuit_state{name="slack:a"} 0');
    await b.run(boom);
    expect(await read()).toBe('eolgate_circuit_state{name="slack:a"} 2');
    advance(5_000);
    expect(await read()).toBe('eolgate_circuit_state{name="slack:a"} 1');
  });
});
