import type { FastifyInstance } from "fastify";
import type { HttpDeps } from "./deps.ts";
import { readiness } from "./errors.ts";

/** /healthz: the process answers. /readyz: every dependency answers. /metrics: Prometheus text. */
export async function registerOpsRoutes(app: FastifyInstance, deps: Pick<HttpDeps, "readiness" | "metrics">) {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
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
    return readiness(
      reply,
      results.every((r) => r.ok),
      results,
    );
  });

  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    return reply.header("content-type", deps.metrics.contentType).send(await deps.metrics.metrics());
  });
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
