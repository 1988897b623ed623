import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { collectDefaultMetrics } from "prom-client";
import { registerCaseRoutes } from "./cases/cases.routes.ts";
import { type Config, redactedConfig } from "./config.ts";
import { emailRouteVerification, registerEmailRoutes } from "./email/email.routes.ts";
import { buildApp, type RoutePlugin } from "./http/app.ts";
import type { ReadinessCheck } from "./http/ops.routes.ts";
import { registerSourceRoutes } from "./http/sources.routes.ts";
import { createDriftTracker } from "./ingest/drift.ts";
import { createInboxIngestor } from "./ingest/inbox.ingestor.ts";
import type { Ingestor } from "./ingest/ingest.ts";
import { createLlm } from "./llm/index.ts";
import { createEngineeringAlerter } from "./notify/engineering.alert.ts";
import { createNotifier } from "./notify/notify.compose.ts";
import { createRedisRateGate } from "./notify/rate-gate.redis.ts";
import { createMemoryRateGate } from "./notify/rate-gate.ts";
import { newRegistry, type Registry } from "./observability/metrics.ts";
import { registerDeadLetterRoutes } from "./pipeline/dead-letters.routes.ts";
import { createDownstreams, type Downstreams } from "./pipeline/downstream.ts";
import { jobCatalogue } from "./pipeline/jobs.ts";
import { noticeDetailsLoader } from "./pipeline/notice-details.ts";
import { buildPhases } from "./pipeline/phases.default.ts";
import type { Phases } from "./pipeline/phases.ts";
import { wiredPhaseDeps } from "./pipeline/phases.wired.ts";
import { pipelineMetrics } from "./pipeline/pipeline.metrics.ts";
import { createNoticeProcessor } from "./pipeline/pipeline.runner.ts";
import { startWorkerHttp } from "./pipeline/worker.http.ts";
import { checkQueueSettings, openQueue } from "./queue/open.ts";
import type { WorkQueue } from "./queue/queue.ts";
import { sourceMetrics } from "./sources/source.metrics.ts";
import type { SourceScheduler } from "./sources/source.scheduler.ts";
import { buildSources, sourceScheduler } from "./sources/sources.wiring.ts";
import type { SqlDriver } from "./store/driver.ts";
import { openStore } from "./store/open.ts";

export type Role = "all" | "api" | "worker";

export interface Gateway {
  app: FastifyInstance | null;
  db: SqlDriver;
  queue: WorkQueue;
  metrics: Registry;
  /** The polled sources' scheduler (null when none is configured or this role runs no worker). */
  sources: SourceScheduler | null;
  /** The bound address: the API, or a worker-only process's /metrics and /healthz. */
  url: string | null;
  /** Stops taking work, drains (DRAIN_TIMEOUT_SECONDS), then closes everything. */
  close(): Promise<void>;
}

/** Composition hooks for embedding and tests; the command line uses none. */
export interface GatewayOverrides {
  /** Replaces or wraps phases (the lead swaps in the real extraction, assessment, notification here). */
  phases?: (defaults: Phases, deps: { downstreams: Downstreams; db: SqlDriver }) => Phases;
  /** Outbound HTTP for engineering alerts. */
  fetch?: typeof fetch;
  /** Engineering alerts: at most one post per this interval (aggregated in between). */
  alertIntervalMs?: number;
}

/**
 * Composition root: builds the adapters the configuration asks for and starts the roles.
 * Embedded (no DATABASE_URL, no REDIS_URL): PGlite under DATA_DIR and in-process workers claiming
 * from the inbox. Distributed (DATABASE_URL + REDIS_URL): BullMQ; `api` and `worker` roles may run
 * as separate processes, any number of each.
 */
export async function startGateway(
  config: Config,
  logger: Logger,
  role: Role = "all",
  overrides: GatewayOverrides = {},
): Promise<Gateway> {
  checkQueueSettings(config);
  const now = () => new Date();
  const metrics = newRegistry();
  collectDefaultMetrics({ register: metrics });
  const db = await openStore(config);
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const catalogue = jobCatalogue(config);
  // Bound once the ingestor exists (the ingestor enqueues into the queue, the queue defers to it).
  let ingestBusy = () => false;
  const queue = await openQueue(config, { db, logger, catalogue, worker, ingestBusy: () => ingestBusy() });
  logger.info(
    { role, store: db.kind, queue: queue.kind, worker, config: redactedConfig(config) },
    `eolgate starting (${db.kind === "pglite" ? "embedded store" : "PostgreSQL"}, ${queue.kind} queue)`,
  );
  if (role === "api" && db.kind === "pglite")
    logger.warn("role api on the embedded store: no worker will process notices (PGlite is one process's)");

  const alerter = createEngineeringAlerter({
    url: config.ENGINEERING_WEBHOOK_URL,
    now: Date.now,
    logger,
    ...(overrides.alertIntervalMs !== undefined ? { minIntervalMs: overrides.alertIntervalMs } : {}),
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
  const downstreams = createDownstreams({
    metrics,
    now: Date.now,
    onOpen: (name) =>
      alerter.alert({ key: `circuit:${name}`, summary: `circuit ${name} opened after repeated failures` }),
  });
  const pm = pipelineMetrics(metrics, db, logger);
  // Distributed mode shares the outbound rate limits through Redis, so M workers together keep them.
  const notifyRedis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true, enableOfflineQueue: true })
    : null;
  notifyRedis?.on("error", (err) => logger.warn({ err: err.message }, "notify rate-limit Redis unavailable"));
  const notifier = createNotifier({
    config,
    db,
    redis: notifyRedis,
    metrics,
    logger,
    now: Date.now,
    breakers: downstreams.registry,
    alerter,
  });
  for (const line of notifier.describe()) logger.info(line);
  // Polled sources (issue 14): their request rate is shared through Redis like the notifiers'.
  const sources = buildSources(config, {
    db,
    gate: notifyRedis ? createRedisRateGate(notifyRedis, "eolgate:sources") : createMemoryRateGate(Date.now),
    now,
  });
  for (const line of sources.describe()) logger.info(line);
  let apiIngestor: Ingestor | null = null;
  let scheduler: SourceScheduler | null = null;
  let stopSources: (() => Promise<void>) | null = null;

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  let stopApi: (() => Promise<void>) | null = null;
  let stopWorkerHttp: (() => Promise<void>) | null = null;
  let stopDispatcher: (() => Promise<void>) | null = null;

  if (role === "all" || role === "api") {
    const drift = createDriftTracker({ db, metrics, logger });
    const ingestor = createInboxIngestor({
      db,
      metrics,
      logger,
      now,
      options: {
        windowMs: config.INGEST_BATCH_WINDOW_MS,
        maxBatch: config.INGEST_BATCH_MAX,
        maxInFlight: db.kind === "postgres" ? Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 2)) : 1,
      },
      onCommitted: (traceIds) => queue.enqueue(traceIds, "main"),
    });
    ingestBusy = () => ingestor.busy();
    apiIngestor = ingestor;
    const readiness: ReadinessCheck[] = [
      { name: "store", check: () => db.ping() },
      { name: "queue", check: () => withTimeout(queue.ping(), 2000, "queue did not answer within 2 s") },
    ];
    const plugins: RoutePlugin[] = [
      registerEmailRoutes,
      registerCaseRoutes,
      (scope, deps) =>
        registerDeadLetterRoutes(scope, { ...deps, enqueue: (ids, lane) => queue.enqueue(ids, lane) }),
      (scope, deps) =>
        registerSourceRoutes(scope, {
          ...deps,
          sources: {
            polled: sources.scheduled.map((s) => s.source.name),
            importColumns: sources.importColumns,
          },
        }),
    ];
    warnUnverifiedRoutes(config, logger);
    app = await buildApp({
      config,
      db,
      ingestor,
      metrics,
      logger,
      now,
      drift,
      readiness,
      plugins,
      details: noticeDetailsLoader(db),
    });
    url = await app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ url }, "eolgate listening");
    const httpApp = app;
    stopApi = async () => {
      await httpApp.close();
      await ingestor.flush();
      await drift.stop();
    };
  }

  if (role === "all" || role === "worker") {
    const llm = createLlm(config, { metrics, logger, db, now, breaker: downstreams.breaker("llm") });
    const defaults = buildPhases(wiredPhaseDeps({ config, db, downstreams, llm, routing: notifier.routing }));
    const phases = overrides.phases ? overrides.phases(defaults, { downstreams, db }) : defaults;
    const processor = createNoticeProcessor({
      db,
      phases,
      catalogue,
      metrics: pm,
      logger,
      now,
      random: Math.random,
      alerter,
      worker,
    });
    queue.startWorker((claim, signal) => processor.handle(claim, signal), config.WORKER_CONCURRENCY);
    notifier.dispatcher.start();
    stopDispatcher = () => notifier.dispatcher.stop();
    logger.info({ worker, concurrency: config.WORKER_CONCURRENCY, queue: queue.kind }, "worker started");
    if (sources.scheduled.length > 0) {
      // Polled alerts enter through an Ingestor like pushed ones; a worker-only process has its own.
      const own = apiIngestor
        ? null
        : createInboxIngestor({
            db,
            metrics,
            logger,
            now,
            options: { windowMs: config.INGEST_BATCH_WINDOW_MS, maxBatch: config.INGEST_BATCH_MAX },
            onCommitted: (traceIds) => queue.enqueue(traceIds, "main"),
          });
      const s = sourceScheduler(config, sources, {
        db,
        ingestor: apiIngestor ?? own!,
        metrics: sourceMetrics(metrics, db),
        logger,
        alerter,
        breaker: (name) => downstreams.breaker(name),
        worker,
        now,
      });
      s.start();
      scheduler = s;
      stopSources = async () => {
        await s.stop();
        await own?.flush();
      };
    }
    if (role === "worker") {
      const http = await startWorkerHttp({ host: config.HOST, port: config.PORT, metrics, logger });
      url = http.url;
      stopWorkerHttp = http.close;
    }
  }

  let closing: Promise<void> | null = null;
  return {
    app,
    db,
    queue,
    metrics,
    sources: scheduler,
    url,
    close() {
      closing ??= (async () => {
        // Ingest stops first so everything acknowledged is committed (and enqueued) before the
        // workers drain; then the workers finish or release what they hold. Polls stop before
        // ingest does, since they feed it.
        if (stopSources) await stopSources();
        if (stopApi) await stopApi();
        await queue.close(config.DRAIN_TIMEOUT_SECONDS * 1000);
        if (stopDispatcher) await stopDispatcher();
        if (stopWorkerHttp) await stopWorkerHttp();
        await alerter.stop();
        notifyRedis?.disconnect();
        await db.close();
      })();
      return closing;
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

/** DESIGN §4: a route whose secret is not set accepts unverified requests, and we say so at start. */
function warnUnverifiedRoutes(config: Config, logger: Logger): void {
  const json = ["POST /v1/ingest/component-alert", "POST /v1/ingest/email-forward"];
  if (!config.INGEST_TOKEN && !config.INGEST_HMAC_SECRET) {
    for (const route of json)
      logger.warn({ route }, "route accepts unverified requests: set INGEST_TOKEN or INGEST_HMAC_SECRET");
  }
  for (const r of emailRouteVerification(config)) {
    if (!r.verified) logger.warn({ route: r.route }, `route accepts unverified requests: ${r.how}`);
  }
  if (!config.API_TOKEN) logger.warn("management endpoints are open: set API_TOKEN");
}
