import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { collectDefaultMetrics } from "prom-client";
import { bomRefsSource } from "./bom/bom-refs.query.ts";
import { BomScannerCache } from "./bom/bom-scanner.cache.ts";
import { type Config, redactedConfig } from "./config.ts";
import { emailRouteVerification } from "./email/email.verification.ts";
import { seenTokensRepository } from "./email/seen-tokens.repository.ts";
import { cachingCertificateSource, undiciHttpsGet } from "./email/sns.certificates.ts";
import { buildApp } from "./http/app.ts";
import type { ReadinessCheck } from "./http/deps.ts";
import { startWorkerHttp } from "./http/worker.http.ts";
import { impactSettingsFromConfig } from "./impact/impact.settings.ts";
import { createDriftTracker } from "./ingest/drift.ts";
import { createInboxIngestor } from "./ingest/inbox.ingestor.ts";
import { createLlm, llmMetrics } from "./llm/index.ts";
import { openAiTransport } from "./llm/openai.transport.ts";
import { createHttpSender } from "./notify/channel.send.ts";
import { createEngineeringAlerter } from "./notify/engineering.alert.ts";
import { createNotifier, SEND_TIMEOUT_MS } from "./notify/notify.compose.ts";
import { createRedisRateGate } from "./notify/rate-gate.redis.ts";
import { createMemoryRateGate } from "./notify/rate-gate.ts";
import { newRegistry, type Registry } from "./observability/metrics.ts";
import { jobCatalogue } from "./pipeline/jobs.ts";
import { pipelineMetrics } from "./pipeline/pipeline.metrics.ts";
import { buildPhases } from "./pipeline/pipeline.phases.ts";
import { createNoticeProcessor } from "./pipeline/pipeline.runner.ts";
import type { WorkQueue } from "./pipeline/work-queue.port.ts";
import { checkQueueSettings, openQueue } from "./queue/open.ts";
import { createBreakerRegistry, registerCircuitGauge } from "./resilience/circuit-breaker.ts";
import { createSlackEmailLookup, postResponse } from "./slack/slack.api.ts";
import { slackInteractionsFromConfig } from "./slack/slack.compose.ts";
import type { SqlDriver } from "./store/driver.ts";
import { openStore } from "./store/open.ts";
import { createAuthService } from "./users/auth.service.ts";
import { reminderSchedulerFromConfig } from "./workflow/reminders.compose.ts";

export type Role = "all" | "api" | "worker";

export interface Gateway {
  app: FastifyInstance | null;
  db: SqlDriver;
  queue: WorkQueue;
  metrics: Registry;
  /** The bound address: the API, or a worker-only process's /metrics and /healthz. */
  url: string | null;
  /** Stops taking work, drains (DRAIN_TIMEOUT_SECONDS), then closes everything. */
  close(): Promise<void>;
}

/**
 * Composition root: the one place that chooses adapters (store driver, queue backend, channels, model
 * transport, rate gates) and hands each part its slice of the configuration. Embedded (no
 * DATABASE_URL, no REDIS_URL): PGlite under DATA_DIR and in-process workers claiming from the inbox.
 * Distributed (DATABASE_URL + REDIS_URL): BullMQ; `api` and `worker` roles may run as separate
 * processes, any number of each.
 */
export async function startGateway(config: Config, logger: Logger, role: Role = "all"): Promise<Gateway> {
  checkQueueSettings(config);
  const now = () => new Date();
  const metrics = newRegistry();
  collectDefaultMetrics({ register: metrics });
  const db = await openStore(config.store);
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const catalogue = jobCatalogue(config.pipeline);
  // Bound once the ingestor exists (the ingestor enqueues into the queue, the queue defers to it).
  let ingestBusy = () => false;
  const queue = await openQueue(config.queue, {
    db,
    logger,
    catalogue,
    worker,
    ingestBusy: () => ingestBusy(),
  });
  logger.info(
    { role, store: db.kind, queue: queue.kind, worker, config: redactedConfig(config) },
    `eolgate starting (${db.kind === "pglite" ? "embedded store" : "PostgreSQL"}, ${queue.kind} queue)`,
  );
  if (role === "api" && db.kind === "pglite")
    logger.warn("role api on the embedded store: no worker will process notices (PGlite is one process's)");

  // One engineering alerter and one set of circuit breakers per process, shared by every area.
  const alerter = createEngineeringAlerter({
    url: config.alerts.ENGINEERING_WEBHOOK_URL,
    now: Date.now,
    logger,
  });
  const breakers = createBreakerRegistry({
    failureThreshold: 5,
    resetAfterMs: 30_000,
    halfOpenMax: 1,
    now: Date.now,
    onOpen: (name) =>
      alerter.alert({ key: `circuit:${name}`, summary: `circuit ${name} opened after repeated failures` }),
  });
  registerCircuitGauge(metrics, () => breakers.all());
  const pm = pipelineMetrics(metrics, db, logger);
  // Distributed mode shares the outbound rate limits through Redis, so M workers together keep them.
  const notifyRedis = config.queue.REDIS_URL
    ? new Redis(config.queue.REDIS_URL, {
        maxRetriesPerRequest: 2,
        lazyConnect: true,
        enableOfflineQueue: true,
      })
    : null;
  notifyRedis?.on("error", (err) => logger.warn({ err: err.message }, "notify rate-limit Redis unavailable"));
  const notifier = createNotifier({
    config,
    db,
    send: createHttpSender({
      timeoutMs: SEND_TIMEOUT_MS,
      now: Date.now,
      webhookSecret: config.notify.WEBHOOK_SECRET,
    }),
    buckets: notifyRedis ? createRedisRateGate(notifyRedis) : createMemoryRateGate(Date.now),
    metrics,
    logger,
    now: Date.now,
    breakers,
    alerter,
  });
  for (const line of notifier.describe()) logger.info(line);

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  let stopApi: (() => Promise<void>) | null = null;
  let stopWorkerHttp: (() => Promise<void>) | null = null;
  let stopDispatcher: (() => Promise<void>) | null = null;
  let stopReminders: (() => Promise<void>) | null = null;

  if (role === "all" || role === "api") {
    const drift = createDriftTracker({ db, metrics, logger });
    const ingestor = createInboxIngestor({
      db,
      metrics,
      logger,
      now,
      options: {
        windowMs: config.ingest.INGEST_BATCH_WINDOW_MS,
        maxBatch: config.ingest.INGEST_BATCH_MAX,
        maxInFlight:
          db.kind === "postgres" ? Math.max(1, Math.floor(config.store.DATABASE_POOL_SIZE / 2)) : 1,
      },
      onCommitted: (traceIds) => queue.enqueue(traceIds, "main"),
    });
    ingestBusy = () => ingestor.busy();
    const readiness: ReadinessCheck[] = [
      { name: "store", check: () => db.ping() },
      { name: "queue", check: () => withTimeout(queue.ping(), 2000, "queue did not answer within 2 s") },
    ];
    warnUnverifiedRoutes(config, logger);
    const w = config.workflow;
    const slack = slackInteractionsFromConfig(w, {
      db,
      now,
      logger,
      publicBaseUrl: config.notify.PUBLIC_BASE_URL,
      emailOf: w.SLACK_BOT_TOKEN
        ? createSlackEmailLookup({ apiUrl: w.SLACK_API_URL, botToken: w.SLACK_BOT_TOKEN })
        : null,
      post: (responseUrl, message) => postResponse(responseUrl, message),
    });
    app = await buildApp({
      config,
      db,
      ingestor,
      metrics,
      logger,
      now,
      drift,
      readiness,
      email: {
        tokens: seenTokensRepository(db),
        httpsGet: undiciHttpsGet,
        certificates: cachingCertificateSource(undiciHttpsGet),
      },
      enqueue: (ids, lane) => queue.enqueue(ids, lane),
      auth: createAuthService({ db, apiToken: config.http.API_TOKEN }),
      slack,
      publicBaseUrl: config.notify.PUBLIC_BASE_URL,
      review: {
        settings: impactSettingsFromConfig(config.impact),
        routing: notifier.routing,
        publicBaseUrl: config.notify.PUBLIC_BASE_URL,
      },
    });
    url = await app.listen({ host: config.http.HOST, port: config.http.PORT });
    logger.info({ url }, "eolgate listening");
    const httpApp = app;
    stopApi = async () => {
      await httpApp.close();
      await ingestor.flush();
      await drift.stop();
    };
  }

  if (role === "all" || role === "worker") {
    const llm = createLlm(config.llm, {
      transport: openAiTransport({ baseUrl: config.llm.LLM_BASE_URL, apiKey: config.llm.LLM_API_KEY }),
      breaker: breakers.get("llm"),
      metrics: llmMetrics(metrics),
      logger,
      db,
      now,
    });
    const bomScanners = new BomScannerCache(bomRefsSource(db));
    const phases = buildPhases({
      db,
      llm,
      extract: { bom: () => bomScanners.get(), reviewThreshold: config.extract.EXTRACT_REVIEW_THRESHOLD },
      settings: impactSettingsFromConfig(config.impact),
      routing: notifier.routing,
      publicBaseUrl: config.notify.PUBLIC_BASE_URL,
    });
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
    const concurrency = config.pipeline.WORKER_CONCURRENCY;
    queue.startWorker((claim, signal) => processor.handle(claim, signal), concurrency);
    notifier.dispatcher.start();
    stopDispatcher = () => notifier.dispatcher.stop();
    const reminders = reminderSchedulerFromConfig(
      { ...config.workflow, PUBLIC_BASE_URL: config.notify.PUBLIC_BASE_URL },
      { db, routing: notifier.routing, now, workerId: worker, logger },
    );
    reminders.start();
    stopReminders = () => reminders.stop();
    logger.info({ worker, concurrency, queue: queue.kind }, "worker started");
    if (role === "worker") {
      const http = await startWorkerHttp({ host: config.http.HOST, port: config.http.PORT, metrics, logger });
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
    url,
    close() {
      closing ??= (async () => {
        // Ingest stops first so everything acknowledged is committed (and enqueued) before the
        // workers drain; then the workers finish or release what they hold.
        if (stopApi) await stopApi();
        await queue.close(config.pipeline.DRAIN_TIMEOUT_SECONDS * 1000);
        if (stopReminders) await stopReminders();
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

/** The store the configuration names, migrated: for commands that work on it without a gateway. */
export function openConfiguredStore(config: Config): Promise<SqlDriver> {
  return openStore(config.store);
}

/** The queue the configuration names, for a command that only wakes workers (no worker of its own). */
export function openConfiguredQueue(config: Config, db: SqlDriver, logger: Logger): Promise<WorkQueue> {
  return openQueue(config.queue, { db, logger, catalogue: jobCatalogue(config.pipeline), worker: "cli" });
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
  if (!config.http.INGEST_TOKEN && !config.http.INGEST_HMAC_SECRET) {
    for (const route of json)
      logger.warn({ route }, "route accepts unverified requests: set INGEST_TOKEN or INGEST_HMAC_SECRET");
  }
  for (const r of emailRouteVerification(config.email)) {
    if (!r.verified) logger.warn({ route: r.route }, `route accepts unverified requests: ${r.how}`);
  }
  if (!config.http.API_TOKEN)
    logger.warn("management endpoints are open until API_TOKEN is set or a user exists (eolgate users add)");
  if (!config.workflow.SLACK_SIGNING_SECRET)
    logger.info(
      "Slack buttons inactive: set SLACK_SIGNING_SECRET to enable POST /v1/integrations/slack/interactions",
    );
}
