import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { counter, histogram } from "../observability/metrics.ts";
import { unstorableText } from "../store/storable-text.ts";
import { registerBomRoutes } from "./bom.routes.ts";
import { registerCaseActionRoutes } from "./case-actions.routes.ts";
import { registerCaseExportRoutes } from "./case-exports.routes.ts";
import { registerCaseViewRoutes } from "./case-views.routes.ts";
import { registerCaseRoutes } from "./cases.routes.ts";
import { registerConsoleRoutes } from "./console.routes.ts";
import { registerDeadLetterRoutes } from "./dead-letters.routes.ts";
import type { HttpDeps } from "./deps.ts";
import { registerEmailRoutes } from "./email.routes.ts";
import {
  clientErrorHandler,
  frameworkError,
  httpErrorHandler,
  methodNotAllowed,
  notFound,
  validationFailed,
} from "./errors.ts";
import { registerHealthRoutes } from "./health.routes.ts";
import { registerIngestRateLimit } from "./ingest.rate-limit.ts";
import { registerIngestRoutes } from "./ingest.routes.ts";
import { registerNoticeRoutes } from "./notices.routes.ts";
import { registerNotificationRoutes } from "./notifications.routes.ts";
import { documentOnly } from "./openapi.ts";
import { registerOpsRoutes } from "./ops.routes.ts";
import { registerPartRoutes } from "./parts.routes.ts";
import { authorize } from "./principal.ts";
import { allowedMethods, unknownQueryIssues } from "./request.guard.ts";
import { registerReviewRoutes } from "./review.routes.ts";
import { registerSessionRoutes } from "./session.routes.ts";
import { registerSlackRoutes, SLACK_INTERACTIONS_PATH } from "./slack.routes.ts";
import { registerSourceRoutes } from "./sources.routes.ts";
import { registerUserRoutes } from "./users.routes.ts";
import { registerWebSecurity } from "./web.security.ts";

const OPEN_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);
const isIngest = (url: string) => url.startsWith("/v1/ingest/");

/**
 * Builds the HTTP app: every route (one file per resource, each in its own encapsulated scope), auth,
 * error mapping, metrics, OpenAPI at /docs.
 */
export async function buildApp(opts: HttpDeps): Promise<FastifyInstance> {
  const config = opts.config.http;
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // One line per accepted notice (with its trace id) and one per rejection replace Fastify's two
    // lines per request: the ingest hot path logs what an operator needs and no more.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.MAX_JSON_BYTES,
    // Behind a proxy the client's address (the rate limit's key) and protocol come from its headers,
    // believed only for the proxies TRUST_PROXY names; the protocol decides whether console session
    // cookies are Secure.
    trustProxy:
      typeof config.TRUST_PROXY === "number"
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.TRUST_PROXY)
        : config.TRUST_PROXY,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // Fastify's own refusals answer in the one error shape (src/http/errors.ts).
    frameworkErrors: frameworkError,
    clientErrorHandler,
  });
  // Cookies are parsed before the auth hook, which reads the console's session cookie.
  await app.register(cookie);
  app.setErrorHandler(httpErrorHandler);
  // Validation is zod's job, inside each handler (one source for rules and 422 issues); route JSON
  // schemas, response schemas included, exist to document the contract at /docs and never reshape
  // a body.
  documentOnly(app);
  app.setNotFoundHandler((req, reply) => {
    const allow = allowedMethods(app, req.method, req.url);
    if (allow.length > 0) return methodNotAllowed(reply, req.method, allow);
    return notFound(reply, `no route ${req.method} ${req.url.split("?")[0]}`);
  });

  const outcomes = counter(
    opts.metrics,
    "eolgate_ingest_requests_total",
    "Ingest requests by route and result",
    ["route", "result"],
  );
  const ackLatency = histogram(
    opts.metrics,
    "eolgate_ingest_ack_seconds",
    "Time from request to answer on ingest routes",
    ["route"],
  );
  app.addHook("onResponse", async (req, reply) => {
    const url = req.routeOptions.url ?? "";
    if (!isIngest(url)) return;
    const result = ingestResult(reply.statusCode, reply.ingestResult);
    outcomes.inc({ route: url, result });
    if (reply.statusCode >= 400)
      req.log.info({ route: url, status: reply.statusCode, result }, "ingest rejected");
    ackLatency.observe({ route: url }, reply.elapsedTime / 1000);
  });

  // DESIGN §4 and §11: everything but ingest, health, metrics and Slack's signed interactions needs
  // a caller (API_TOKEN or a user's token, unless neither exists) with the role the route states.
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (OPEN_PATHS.has(path) || isIngest(path) || path === SLACK_INTERACTIONS_PATH) return;
    // The console's files and pages, and the session routes, answer without a caller.
    if (req.routeOptions.config?.open === true) return;
    if (!(await authorize(opts, req, reply))) return reply;
  });

  await registerWebSecurity(app);

  // A query parameter the route does not document is a mistake (a typo, a filter that does not
  // exist) and answers 422 naming the ones it takes, rather than being ignored.
  app.addHook("preValidation", async (req, reply) => {
    const issues = unknownQueryIssues(req);
    if (issues.length > 0) return validationFailed(reply, issues);
  });

  // Path parameters, query strings and (outside ingest, whose handlers check after the origin proof)
  // JSON bodies the store could not hold are a 422 here, not a 500 from the database later.
  app.addHook("preValidation", async (req, reply) => {
    const issues = [
      ...unstorableText(req.params, "params"),
      ...unstorableText(req.query, "query"),
      ...(isIngest(req.url) ? [] : unstorableText(req.body, "")),
    ];
    if (issues.length > 0) return validationFailed(reply, issues);
  });

  await registerIngestRateLimit(app, {
    config,
    redis: opts.rateLimitRedis,
    metrics: opts.metrics,
    logger: opts.logger,
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: "eolgate",
        version: "0.1.0",
        description: "Component lifecycle notices in; impact, mitigation and stakeholder messages out.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  const routes = [
    registerIngestRoutes,
    registerEmailRoutes,
    registerNoticeRoutes,
    registerCaseRoutes,
    registerPartRoutes,
    registerBomRoutes,
    registerDeadLetterRoutes,
    registerNotificationRoutes,
    registerSourceRoutes,
    registerOpsRoutes,
    registerCaseActionRoutes,
    registerCaseExportRoutes,
    registerUserRoutes,
    registerSlackRoutes,
    registerReviewRoutes,
    registerCaseViewRoutes,
    registerHealthRoutes,
    registerSessionRoutes,
    registerConsoleRoutes,
  ];
  for (const register of routes) await app.register(async (scope) => register(scope, opts));
  return app;
}

function ingestResult(status: number, set: "accepted" | "duplicate" | undefined): string {
  if (status === 202) return set ?? "accepted";
  switch (status) {
    case 401:
    case 403:
      return "unauthorized";
    case 413:
      return "too_large";
    case 415:
      return "unsupported_media_type";
    case 422:
    case 400:
    case 406:
      return "invalid";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "error" : "rejected";
  }
}
