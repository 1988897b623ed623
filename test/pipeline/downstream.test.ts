import { expect, it } from "vitest";
import { newRegistry } from "../../src/observability/metrics.ts";
import { createDownstreams } from "../../src/pipeline/downstream.ts";
import type { PhaseResult } from "../../src/pipeline/phase.ts";

const classify = (status: number): PhaseResult =>
  status < 300
    ? { kind: "ok", output: { status } }
    : status >= 500 || status === 429
      ? { kind: "retryable", error: `HTTP ${status}` }
      : { kind: "permanent", error: `HTTP ${status}` };

it("opens after repeated failures, refuses while open, probes half-open, closes on success", async () => {
  let now = 1_000;
  const metrics = newRegistry();
  const opened: string[] = [];
  const d = createDownstreams({
    metrics,
    now: () => now,
    failureThreshold: 3,
    resetAfterMs: 10_000,
    onOpen: (n) => opened.push(n),
  });
  let calls = 0;
  const call = (status: number | Error) =>
    d.call(
      "llm",
      async () => {
        calls++;
        if (status instanceof Error) throw status;
        return status;
      },
      classify,
    );

  expect(await call(503)).toEqual({ kind: "retryable", error: "HTTP 503" });
  expect(await call(new Error("ECONNRESET"))).toEqual({ kind: "retryable", error: "llm: ECONNRESET" });
  // A 4xx about our request says the dependency is up: it is permanent and resets the count.
  expect(await call(400)).toEqual({ kind: "permanent", error: "HTTP 400" });
  for (let i = 0; i < 3; i++) await call(500);
  expect(opened).toEqual(["llm"]);
  const refused = await call(200);
  expect(refused).toEqual({ kind: "retryable", error: "llm: circuit open", retryAfterMs: 10_000 });
  expect(calls).toBe(6);
  expect(await metrics.getSingleMetricAsString("eolgate_circuit_state")).toContain(
    'eolgate_circuit_state{name="llm"} 2',
  );

  now += 10_000;
  expect(await call(200)).toEqual({ kind: "ok", output: { status: 200 } });
  expect(d.breaker("llm").state()).toBe("closed");
  expect(await metrics.getSingleMetricAsString("eolgate_circuit_state")).toContain(
    'eolgate_circuit_state{name="llm"} 0',
  );
});
