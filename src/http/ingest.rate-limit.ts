import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { counter, type Registry } from "../observability/metrics.ts";

/**
 * Per-client request limits on the ingest routes (/v1/ingest/…): INGEST_RATE_LIMIT_MAX requests per
 * INGEST_RATE_LIMIT_WINDOW_SECONDS per client address, counted in Redis when REDIS_URL is set (so
 * every API process shares one count) and in memory otherwise. Over the limit: 429 with Retry-After,
 * except on the SES route, where SNS is answered 503 (a status its delivery policy retries) so mail
 * is delayed, never dropped. A counting store that fails lets requests through: the limit protects
 * the gateway, it must not become the outage. Refusals are counted in
 * `eolgate_ingest_rate_limited_total{route}`.
 */
export async function registerIngestRateLimit(
  app: FastifyInstance,
  deps: { config: Config; metrics: Registry; logger: Logger },
): Promise<void> {
  const { config } = deps;
  if (config.INGEST_RATE_LIMIT_MAX === 0) return;
  // Its own connection, failing fast while Redis is away (no offline queue, no retries, a short
  // timeout): an ingest request must never wait on the limiter's store.
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: 250,
        lazyConnect: false,
      })
    : null;
  if (redis) {
    redis.on("error", () => {});
    app.addHook("onClose", async () => {
      redis.disconnect();
    });
  }
  const refused = counter(
    deps.metrics,
    "eolgate_ingest_rate_limited_total",
    "Ingest requests refused by the per-client rate limit, by route",
    ["route"],
  );
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: "eolgate-ingest-rl-" } : {}),
    skipOnError: true,
  });
  const limiter = app.createRateLimit({
    max: config.INGEST_RATE_LIMIT_MAX,
    timeWindow: config.INGEST_RATE_LIMIT_WINDOW_SECONDS * 1000,
    keyGenerator: (req) => req.ip,
  });
  let warned = false;
  app.addHook("onRequest", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (!path.startsWith("/v1/ingest/")) return;
    let r: Awaited<ReturnType<typeof limiter>>;
    try {
      r = await limiter(req);
    } catch (err) {
      if (!warned)
        deps.logger.warn(
          { err: (err as Error).message },
          "ingest rate limit store unavailable; not limiting",
        );
      warned = true;
      return;
    }
    warned = false;
    if (!("isExceeded" in r) || !r.isExceeded) return;
    refused.inc({ route: path });
    const retryAfter = Math.max(1, Math.ceil(r.ttlInSeconds));
    return reply
      .code(path === "/v1/ingest/email/ses" ? 503 : 429)
      .header("retry-after", String(retryAfter))
      .send({
        error: "rate_limited",
        message: `more than ${r.max} requests in ${config.INGEST_RATE_LIMIT_WINDOW_SECONDS} s from this client; retry in ${retryAfter} s`,
      });
  });
}
