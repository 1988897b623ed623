import type { TestProject } from "vitest/node";
import { startPostgres, startRedis } from "./support/services.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresSkipReason: string | null;
    redisUrl: string | null;
    redisSkipReason: string | null;
  }
}

/** Starts one throwaway PostgreSQL and Redis for the whole run; suites skip (and say why) without them. */
export default async function setup(project: TestProject) {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  project.provide("postgresUrl", pg.ok ? pg.value.url : null);
  project.provide("postgresSkipReason", pg.ok ? null : pg.reason);
  project.provide("redisUrl", redis.ok ? redis.value.url : null);
  project.provide("redisSkipReason", redis.ok ? null : redis.reason);
  const say = (what: string, s: { ok: boolean; reason?: string }) =>
    console.log(
      s.ok
        ? `[test setup] ${what}: started`
        : `[test setup] ${what}: NOT AVAILABLE, its suites are skipped: ${s.reason}`,
    );
  say("PostgreSQL", pg);
  say("Redis", redis);
  return () => {
    if (pg.ok) pg.stop();
    if (redis.ok) redis.stop();
  };
}
