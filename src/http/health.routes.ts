import type { FastifyInstance } from "fastify";
import { createHealthMonitor } from "../observability/health.summary.ts";
import type { HttpDeps } from "./deps.ts";

/**
 * `GET /v1/health`: the console's Health page (DESIGN §12) — this process's metrics (the registry
 * behind /metrics) as JSON, with a short sampled history. Readers (viewer) may see it.
 */
export async function registerHealthRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "metrics" | "now">) {
  const monitor = createHealthMonitor(deps.metrics, { now: deps.now });
  app.addHook("onClose", async () => monitor.stop());
  app.get(
    "/v1/health",
    {
      schema: {
        summary:
          "Queue depth, throughput, outbox, notification outcomes, circuits and sources, from this process's metrics",
        tags: ["operations"],
      },
    },
    async () => monitor.summary(),
  );
}
