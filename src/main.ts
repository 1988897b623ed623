import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { collectDefaultMetrics } from "prom-client";
import { bomRefsSource } from "./bom/bom-refs.query.ts";
import { BomScannerCache } from "./bom/bom-scanner.cache.ts";
import { type Config, ConfigError, redactedConfig } from "./config.ts";
import { emailRouteVerification } from "./email/email.verification.ts";
import { seenTokensRepository } from "./email/seen-tokens.repository.ts";
import { cachingCertificateSource, snsHttpsGet } from "./email/sns.certificates.ts";
import { buildApp } from "./http/app.ts";
import { findConsoleDir } from "./http/console.routes.ts";
import type { ReadinessCheck } from "./http/deps.ts";
import { startWorkerHttp } from "./http/worker.http.ts";
import { impactSettingsFromConfig } from "./impact/impact.settings.ts";
import { createDriftTracker } from "./ingest/drift.ts";
import { createInboxIngestor } from "./ingest/inbox.ingestor.ts";
import type { Ingestor } from "./ingest/ingest.ts";
import { createLlm, llmMetrics } from "./llm/index.ts";
import { openAiTransport } from "./llm/openai.transport.ts";
import { createHttpSender } from "./notify/channel.send.ts";
import { createEngineeringAlerter } from "./notify/engineering.alert.ts";
import { createNotifier, SEND_TIMEOUT_MS } from "./notify/notify.compose.ts";
import { createRedisRateGate } from "./notify/rate-gate.redis.ts";
import { createMemoryRateGate, type RateGate } from "./notify/rate-gate.ts";
import { newRegistry, type Registry } from "./observability/metrics.ts";
import { createGuardedGet } from "./outbound/guarded.fetch.ts";
import { jobCatalogue } from "./pipeline/jobs.ts";
import { pipelineMetrics } from "./pipeline/pipeline.metrics.ts";
import { buildPhases } from "./pipeline/pipeline.phases.ts";
import { createNoticeProcessor } from "./pipeline/pipeline.runner.ts";
import type { WorkQueue } from "./pipeline/work-queue.port.ts";
import { checkQueueSettings, openQueue } from "./queue/open.ts";
import { createBreakerRegistry, registerCircuitGauge } from "./resilience/circuit-breaker.ts";
import { createSlackEmailLookup, postResponse } from "./slack/slack.api.ts";
import { slackInteractionsFromConfig } from "./slack/slack.compose.ts";
import { SiliconExpertClient } from "./sources/siliconexpert/se.client.ts";
import { sourceMetrics } from "./sources/source.metrics.ts";
import type { SourceScheduler } from "./sources/source.scheduler.ts";
import { buildSources, type SourcesSetup, sourceScheduler } from "./sources/sources.wiring.ts";
import type { SqlDriver } from "./store/driver.ts";
import { readGatewayFile, writeGatewayFile } from "./store/gateway.file.ts";
import { openStore, type StoreLocation, storeLocation } from "./store/open.ts";
import { accessOf } from "./users/access.ts";
import { reminderSchedulerFromConfig } from "./workflow/reminders.compose.ts";

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

export interface GatewayOptions {
  /** The clock notices are received by (their receipt date is the impact model's T); `demo --as-of` shifts it. */
  now?: () => Date;
}

/**
 * Composition root: the one place that chooses adapters (store driver, queue backend, channels, model
 * transport, rate gates, the SiliconExpert session) and hands each part its slice of the configuration. Embedded (no
 * DATABASE_URL, no REDIS_URL): PGlite under DATA_DIR and in-process workers claiming from the inbox.
 * Distributed (DATABASE_URL + REDIS_URL): BullMQ; `api` and `worker` roles may run as separate
 * processes, any number of each.
 */
export async function startGateway(
  config: Config,
  logger: Logger,
  role: Role = "all",
  options: GatewayOptions = {},
): Promise<Gateway> {
  // A start that fails half way (port taken, bad routes, Redis refusing) closes what it opened, so
  // the process can exit at once and the embedded store's lock is released.
  const opened: (() => Promise<void> | void)[] = [];
  try {
    return await assembleGateway(config, logger, role, options, (close) => opened.push(close));
  } catch (err) {
    for (const close of opened.reverse()) await Promise.resolve(close()).catch(() => {});
    throw err;
  }
}

async function assembleGateway(
  config: Config,
  logger: Logger,
  role: Role,
  options: GatewayOptions,
  onOpened: (close: () => Promise<void> | void) => void,
): Promise<Gateway> {
  checkQueueSettings(config);
  const now = options.now ?? (() => new Date());
  const metrics = newRegistry();
  collectDefaultMetrics({ register: metrics });
  const db = await openStore(config.store);
  onOpened(() => db.close());
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
  onOpened(() => queue.close(0));
  const location = storeLocation(config.store);
  logger.info(
    { role, store: db.kind, queue: queue.kind, worker, config: redactedConfig(config) },
    `eolgate starting: ${location.display}, ${queue.kind} queue`,
  );
  if (role === "api" && db.kind === "pglite")
    logger.warn("role api on the embedded store: no worker will process notices (PGlite is one process's)");

  const { alerter, breakers } = openProcessGuards(config, logger);
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
  onOpened(() => notifyRedis?.disconnect());
  onOpened(() => alerter.stop());
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
  // Polled sources (issue 14): their request rate is shared through Redis like the notifiers'.
  const sources = openConfiguredSources(config, {
    db,
    gate: notifyRedis ? createRedisRateGate(notifyRedis, "eolgate:sources") : createMemoryRateGate(Date.now),
    now,
  });
  for (const line of sources.describe()) logger.info(line);
  let apiIngestor: Ingestor | null = null;
  let scheduler: SourceScheduler | null = null;
  let stopSources: (() => Promise<void>) | null = null;

  // Group commit into the inbox: the API's routes and the polled sources write through one.
  const openIngestor = () =>
    createInboxIngestor({
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

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  let stopApi: (() => Promise<void>) | null = null;
  let stopWorkerHttp: (() => Promise<void>) | null = null;
  let stopDispatcher: (() => Promise<void>) | null = null;
  let stopReminders: (() => Promise<void>) | null = null;

  if (role === "all" || role === "api") {
    const drift = createDriftTracker({ db, metrics, logger });
    const ingestor = openIngestor();
    ingestBusy = () => ingestor.busy();
    apiIngestor = ingestor;
    const readiness: ReadinessCheck[] = [
      { name: "store", check: () => db.ping() },
      { name: "queue", check: () => withTimeout(queue.ping(), 2000, "queue did not answer within 2 s") },
    ];
    warnUnverifiedRoutes(config, logger);
    // URLs taken from requests (Mailgun's message-url, SNS's certificate and subscribe URLs) are
    // fetched only through the guard: no redirects, a size limit.
    const guardedGet = createGuardedGet();
    const snsGet = snsHttpsGet(guardedGet);
    const rateLimitRedis = openRateLimitRedis(config);
    onOpened(() => rateLimitRedis?.disconnect());
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
        httpsGet: snsGet,
        certificates: cachingCertificateSource(snsGet),
        mailgunStorage: { get: guardedGet, breaker: breakers.get("mailgun-storage") },
      },
      rateLimitRedis,
      enqueue: (ids, lane) => queue.enqueue(ids, lane),
      consoleDir: consoleDirOf(config, logger),
      ...accessOf(db, config),
      slack,
      publicBaseUrl: config.notify.PUBLIC_BASE_URL,
      review: {
        settings: impactSettingsFromConfig(config.impact),
        routing: notifier.routing,
        publicBaseUrl: config.notify.PUBLIC_BASE_URL,
      },
      sources: {
        polled: sources.scheduled.map((s) => s.source.name),
        importColumns: sources.importColumns,
        importMaxBytes: config.sources.SOURCE_IMPORT_MAX_BYTES,
      },
    });
    const httpApp0 = app;
    onOpened(() => httpApp0.close());
    url = await app.listen({ host: config.http.HOST, port: config.http.PORT });
    logger.info({ url }, "eolgate listening");
    // Commands run beside the gateway find its API through the store it holds (src/store/gateway.file.ts).
    const forget =
      location.kind === "pglite"
        ? writeGatewayFile(location.dir, { pid: process.pid, url, started_at: now().toISOString() })
        : () => {};
    const httpApp = app;
    stopApi = async () => {
      forget();
      await httpApp.close();
      rateLimitRedis?.disconnect();
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
    onOpened(() => notifier.dispatcher.stop());
    stopDispatcher = () => notifier.dispatcher.stop();
    const reminders = reminderSchedulerFromConfig(
      { ...config.workflow, PUBLIC_BASE_URL: config.notify.PUBLIC_BASE_URL },
      { db, routing: notifier.routing, now, workerId: worker, logger },
    );
    reminders.start();
    onOpened(() => reminders.stop());
    stopReminders = () => reminders.stop();
    logger.info({ worker, concurrency, queue: queue.kind }, "worker started");
    if (sources.scheduled.length > 0) {
      // Polled alerts enter through an Ingestor like pushed ones; a worker-only process has its own.
      const own = apiIngestor ? null : openIngestor();
      const s = sourceScheduler(config.sources, sources, {
        db,
        ingestor: apiIngestor ?? own!,
        metrics: sourceMetrics(metrics, db),
        logger,
        alerter,
        breaker: (name) => breakers.get(name),
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
      const http = await startWorkerHttp({
        host: config.http.HOST,
        port: config.http.WORKER_PORT,
        metrics,
        logger,
      });
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
        // Three quarters of the drain time for in-hand work, the rest for closing; `serve` exits at
        // DRAIN_TIMEOUT_SECONDS whatever is still waiting (an unreachable Redis, say).
        await queue.close(Math.floor(config.pipeline.DRAIN_TIMEOUT_SECONDS * 750));
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

/**
 * One engineering alerter and one set of circuit breakers per process, shared by every area (the
 * gateway's, and a command's that calls outside services). A breaker that opens alerts engineering.
 */
export function openProcessGuards(config: Config, logger: Logger) {
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
  return { alerter, breakers };
}

/** The store the configuration names, migrated: for commands that work on it without a gateway. */
export function openConfiguredStore(config: Config): Promise<SqlDriver> {
  return openStore(config.store);
}

/**
 * The polled sources the configuration names (SiliconExpert when its login and key are set, with
 * its BOM scan), their requests paced by `gate`: for the gateway and the source commands. The
 * SiliconExpert session is the adapter chosen here; the sources see it through their port.
 */
export function openConfiguredSources(
  config: Config,
  deps: { db: SqlDriver; gate: RateGate; now: () => Date },
): SourcesSetup {
  return buildSources(config.sources, {
    ...deps,
    connectSiliconExpert: (options) => new SiliconExpertClient(options),
  });
}

export type { StoreLocation };

/** Which store the configuration names (path or database, never a password). */
export function configuredStoreLocation(config: Config): StoreLocation {
  return storeLocation(config.store);
}

/** The gateway that said it serves the embedded store (its pid and URL), or null. */
export function gatewayOfStore(location: StoreLocation): { pid: number; url: string } | null {
  return location.kind === "pglite" ? readGatewayFile(location.dir) : null;
}

/** The queue the configuration names, for a command that only wakes workers (no worker of its own). */
export function openConfiguredQueue(config: Config, db: SqlDriver, logger: Logger): Promise<WorkQueue> {
  return openQueue(config.queue, { db, logger, catalogue: jobCatalogue(config.pipeline), worker: "cli" });
}

/**
 * The ingest rate limit's own Redis connection when REDIS_URL is set (so every API process shares one
 * count), failing fast while Redis is away (no offline queue, no retries, a short timeout): an ingest
 * request must never wait on the limiter's store. Null: counts in memory, or no limit at all.
 */
export function openRateLimitRedis(config: Config): Redis | null {
  if (!config.queue.REDIS_URL || config.http.INGEST_RATE_LIMIT_MAX === 0) return null;
  const redis = new Redis(config.queue.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
  });
  redis.on("error", () => {}); // the limiter lets requests through and logs once
  return redis;
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

/**
 * The built console: CONSOLE_DIR when set (then it must hold the build), else dist/console next to
 * this file's tree (dist/ when running the build, ../dist when running the sources).
 */
function consoleDirOf(config: Config, logger: Logger): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const explicit = config.console.CONSOLE_DIR;
  const dir = findConsoleDir(
    explicit ? [explicit] : [join(here, "console"), join(here, "..", "dist", "console")],
  );
  if (explicit && !dir) {
    throw new ConfigError([{ variable: "CONSOLE_DIR", message: "holds no built console (index.html)" }]);
  }
  if (!dir) logger.warn("the console is not built (npm run build): / answers 503, the API works");
  return dir;
}
