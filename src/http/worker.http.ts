import Fastify, { type FastifyBaseLogger, LogController } from "fastify";
import type { Logger } from "pino";
import type { Registry } from "../observability/metrics.ts";
import { httpErrorHandler, notFound } from "./errors.ts";

/**
 * A worker-only process has no API, but Prometheus still needs its phase timings and outcomes:
 * GET /metrics and /healthz on HOST:WORKER_PORT (8001 by default, so an API on PORT 8000 and a worker
 * share a machine). A port already taken (a second worker on the same host) is logged and skipped,
 * never fatal: the worker's job is the queue.
 */
export async function startWorkerHttp(opts: {
  host: string;
  port: number;
  metrics: Registry;
  logger: Logger;
}): Promise<{ url: string | null; close(): Promise<void> }> {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  app.setErrorHandler(httpErrorHandler);
  app.setNotFoundHandler((_req, reply) => notFound(reply, "a worker serves /metrics and /healthz only"));
  app.get("/healthz", async () => ({ status: "ok", role: "worker" }));
  app.get("/metrics", async (_req, reply) =>
    reply.header("content-type", opts.metrics.contentType).send(await opts.metrics.metrics()),
  );
  let url: string | null;
  try {
    const address = await app.listen({ host: opts.host, port: opts.port });
    url = `http://${opts.host}:${new URL(address).port}`;
  } catch (err) {
    opts.logger.warn(
      { err: (err as Error).message, port: opts.port },
      "worker metrics endpoint not started (port in use?)",
    );
    url = null;
  }
  if (url) opts.logger.info({ url }, "worker metrics listening");
  return { url, close: () => app.close() };
}
