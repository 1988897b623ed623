import type { FastifyInstance } from "fastify";
import type { HttpDeps } from "./deps.ts";
import { readiness } from "./errors.ts";
import { documentOnly, responses } from "./openapi.ts";

/** /healthz: the process answers. /readyz: every dependency answers. /metrics: Prometheus text. */
export async function registerOpsRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "readiness" | "metrics">) {
  documentOnly(app);
  app.get(
    "/healthz",
    {
      schema: {
        summary: "The process is up",
        tags: ["operations"],
        response: responses({ 200: { description: '{"status":"ok"}' } }, []),
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        summary: "The store and the queue answer",
        tags: ["operations"],
        response: responses({ 200: { description: "ready, with each check" } }, [503]),
      },
    },
    async (_req, reply) => {
      const results = await Promise.all(
        deps.readiness.map(async (c) => {
          try {
            await withTimeout(c.check(), 2_000);
            return { name: c.name, ok: true as const };
          } catch (err) {
            return {
              name: c.name,
              ok: false as const,
              error: err instanceof Error ? err.message : String(err),
            };
          }
        }),
      );
      return readiness(reply, results);
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (text exposition format)",
        tags: ["operations"],
        produces: ["text/plain"],
        response: responses({ 200: { description: "metrics", text: true } }, []),
      },
    },
    async (_req, reply) => {
      return reply.header("content-type", deps.metrics.contentType).send(await deps.metrics.metrics());
    },
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
