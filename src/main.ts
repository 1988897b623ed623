import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { collectDefaultMetrics } from "prom-client";
import { type Config, redactedConfig } from "./config.ts";
import { buildApp, type RoutePlugin } from "./http/app.ts";
import type { NoticeDetailsLoader } from "./http/notices.routes.ts";
import type { ReadinessCheck } from "./http/ops.routes.ts";
import { createDriftTracker } from "./ingest/drift.ts";
import { createInboxIngestor } from "./ingest/inbox.ingestor.ts";
import { newRegistry, type Registry } from "./observability/metrics.ts";
import type { SqlDriver } from "./store/driver.ts";
import { openStore } from "./store/open.ts";

export type Role = "all" | "api" | "worker";

export interface Gateway {
  app: FastifyInstance | null;
  db: SqlDriver;
  metrics: Registry;
  /** The bound address, when the API role runs. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Composition root: builds the adapters the configuration asks for and starts the roles.
 * Embedded (no DATABASE_URL, no REDIS_URL): PGlite under DATA_DIR and an in-process worker.
 */
export async function startGateway(config: Config, logger: Logger, role: Role = "all"): Promise<Gateway> {
  const now = () => new Date();
  const metrics = newRegistry();
  collectDefaultMetrics({ register: metrics });
  const db = await openStore(config);
  logger.info(
    { role, store: db.kind, config: redactedConfig(config) },
    `eolgate starting (${db.kind === "pglite" ? "embedded store" : "PostgreSQL"})`,
  );

  const closers: (() => Promise<void>)[] = [];
  let app: FastifyInstance | null = null;
  let url: string | null = null;

  if (role === "all" || role === "api") {
    const drift = createDriftTracker({ db, metrics, logger });
    const ingestor = createInboxIngestor({
      db,
      metrics,
      logger,
      now,
      options: { windowMs: config.INGEST_BATCH_WINDOW_MS, maxBatch: config.INGEST_BATCH_MAX },
    });
    const readiness: ReadinessCheck[] = [{ name: "store", check: () => db.ping() }];
    const plugins: RoutePlugin[] = [];
    const details: NoticeDetailsLoader | undefined = undefined;
    warnUnverifiedRoutes(config, logger);
    app = await buildApp({ config, db, ingestor, metrics, logger, now, drift, readiness, plugins, details });
    url = await app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ url }, "eolgate listening");
    const httpApp = app;
    closers.push(async () => {
      await httpApp.close();
      await ingestor.flush();
      await drift.stop();
    });
  }

  return {
    app,
    db,
    metrics,
    url,
    async close() {
      for (const c of closers) await c();
      await db.close();
    },
  };
}

/** DESIGN §4: a route whose secret is not set accepts unverified requests, and we say so at start. */
function warnUnverifiedRoutes(config: Config, logger: Logger): void {
  const json = ["POST /v1/ingest/component-alert", "POST /v1/ingest/email-forward"];
  if (!config.INGEST_TOKEN && !config.INGEST_HMAC_SECRET) {
    for (const route of json)
      logger.warn({ route }, "route accepts unverified requests: set INGEST_TOKEN or INGEST_HMAC_SECRET");
  }
  if (!config.API_TOKEN) logger.warn("management endpoints are open: set API_TOKEN");
}
