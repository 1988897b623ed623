import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { HttpConfig } from "../config.ts";
import { counter, type Registry } from "../observability/metrics.ts";
import { retryLater, tooManyRequests } from "./errors.ts";

/**
 * Per-client request limits on the ingest routes (/v1/ingest/…): INGEST_RATE_LIMIT_MAX requests per
 * INGEST_RATE_LIMIT_WINDOW_SECONDS per client address, counted in Redis when the composition root
 * hands one in (REDIS_URL is set: every API process shares one count) and in memory otherwise. Over
 * the limit: 429 with Retry-After, except on the SES route, where SNS is answered 503 (a status its
 * delivery policy retries) so mail is delayed, never dropped. A counting store that fails lets
 * requests through: the limit protects the gateway, it must not become the outage. Refusals are
 * counted in `eolgate_ingest_rate_limited_total{route}`.
 */
export async function registerIngestRateLimit(
  app: FastifyInstance,
  deps: {
    config: Pick<HttpConfig, "INGEST_RATE_LIMIT_MAX" | "INGEST_RATE_LIMIT_WINDOW_SECONDS">;
    /** Shared counts; its connection should fail fast (no offline queue, short timeout). */
    redis: Redis | null;
    metrics: Registry;
    logger: Logger;
  },
): Promise<void> {
  const { config, redis } = deps;
  if (config.INGEST_RATE_LIMIT_MAX === 0) return;
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
    const message = `more than ${r.max} requests in ${config.INGEST_RATE_LIMIT_WINDOW_SECONDS} s from this client; retry in ${retryAfter} s`;
    return path === "/v1/ingest/email/ses"
      ? retryLater(reply, "rate_limited", message, retryAfter)
      : tooManyRequests(reply, message, retryAfter);
  });
}
