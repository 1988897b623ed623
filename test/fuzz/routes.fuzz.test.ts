import { expect, it } from "vitest";
import { runFuzz } from "./fuzz.runner.ts";

/**
 * Issue 18: every route of the OpenAPI document, ≥ 20,000 generated requests with a fixed seed.
 * `npm run fuzz -- --runs N [--seed S]` runs longer or other seeds outside the test suite. The
 * timeout is a bound for a loaded machine (every route of a growing API, the worker running), not a
 * speed claim.
 */
it("answers 20,000 generated requests without a 5xx, every error JSON, one inbox row per 202", async () => {
  const report = await runFuzz({ requests: 20_000, seed: 18_2026 });
  expect(report.sent + report.unsendable).toBeGreaterThanOrEqual(20_000);
  // The run reached the parts that matter: acceptances, refusals of each kind.
  expect(report.accepted).toBeGreaterThan(0);
  for (const status of ["202", "401", "404", "415", "422"])
    expect(report.byStatus[status] ?? 0).toBeGreaterThan(0);
  expect(report.inboxRows).toBe(report.accepted);
}, 1_800_000);
