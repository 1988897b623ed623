import { expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { checkQueueSettings } from "../../src/queue/open.ts";

it("distributed mode without DATABASE_URL fails at start naming the variables", () => {
  const config = loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" });
  expect(() => checkQueueSettings(config)).toThrow(ConfigError);
  try {
    checkQueueSettings(config);
  } catch (err) {
    expect((err as ConfigError).problems[0]?.variable).toBe("DATABASE_URL");
    expect((err as ConfigError).message).toContain("REDIS_URL");
  }
  expect(() => checkQueueSettings(loadConfig({}))).not.toThrow();
});

it("rejects pipeline settings out of range, naming them", () => {
  expect(() => loadConfig({ WORKER_LEASE_SECONDS: "0" })).toThrow(/WORKER_LEASE_SECONDS/);
  expect(() => loadConfig({ PIPELINE_POLL_MS: "fast" })).toThrow(/PIPELINE_POLL_MS/);
});
