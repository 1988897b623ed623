import { expect, it } from "vitest";
import { newRegistry } from "../observability/metrics.ts";
import { createBreakerRegistry, registerCircuitGauge } from "./circuit-breaker.ts";

it("one breaker per dependency: opens after repeated failures, says which opened, probes, closes", async () => {
  let now = 1_000;
  const metrics = newRegistry();
  const opened: string[] = [];
  const breakers = createBreakerRegistry({
    failureThreshold: 3,
    resetAfterMs: 10_000,
    halfOpenMax: 1,
    now: () => now,
    onOpen: (n) => opened.push(n),
  });
  registerCircuitGauge(metrics, () => breakers.all());
  const llm = breakers.get("llm");
  expect(breakers.get("llm")).toBe(llm);
  const fail = () =>
    llm.run(
      async () => 503,
      (status) => status >= 500,
    );

  for (let i = 0; i < 3; i++) expect((await fail()).kind).toBe("ok");
  expect(opened).toEqual(["llm"]);
  expect(llm.allows()).toBe(false);
  expect(breakers.get("notify:slack").state()).toBe("closed");
  expect(await metrics.getSingleMetricAsString("eolgate_circuit_state")).toContain(
    'eolgate_circuit_state{name="llm"} 2',
  );

  now += 10_000;
  expect(
    await llm.run(
      async () => 200,
      (status) => status >= 500,
    ),
  ).toEqual({ kind: "ok", value: 200 });
  expect(llm.state()).toBe("closed");
  expect(await metrics.getSingleMetricAsString("eolgate_circuit_state")).toContain(
    'eolgate_circuit_state{name="llm"} 0',
  );
});
