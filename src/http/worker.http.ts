import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { Registry } from "../observability/metrics.ts";

/**
 * A worker-only process has no API, but Prometheus still needs its phase timings and outcomes:
 * GET /metrics and /healthz on HOST:PORT. A port already taken (an API process on the same host with
 * the same PORT) is logged and skipped, never fatal: the worker's job is the queue.
 */
export async function startWorkerHttp(opts: {
  host: string;
  port: number;
  metrics: Registry;
  logger: Logger;
}): Promise<{ url: string | null; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/metrics") {
      opts.metrics.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": opts.metrics.contentType });
          res.end(text);
        },
        () => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end('{"error":"metrics_unavailable"}');
        },
      );
      return;
    }
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok","role":"worker"}');
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error":"not_found","message":"a worker serves /metrics and /healthz only"}');
  });
  const url = await new Promise<string | null>((resolve) => {
    server.once("error", (err) => {
      opts.logger.warn(
        { err: err.message, port: opts.port },
        "worker metrics endpoint not started (port in use?)",
      );
      resolve(null);
    });
    server.listen(opts.port, opts.host, () => {
      const a = server.address();
      resolve(typeof a === "object" && a ? `http://${opts.host}:${a.port}` : null);
    });
  });
  if (url) opts.logger.info({ url }, "worker metrics listening");
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        if (!url) return r();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
