import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpFake } from "../../test/fakes/http-fake.base.ts";
import { startFakeSlack } from "../../test/fakes/slack.fake.ts";
import { notificationCase, silentLogger } from "../../test/notify/cases.fixture.ts";
import { openTestStore } from "../../test/support/stores.ts";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { newRegistry } from "../observability/metrics.ts";
import { createBreakerRegistry } from "../resilience/circuit-breaker.ts";
import type { SqlDriver } from "../store/driver.ts";
import { createHttpSender } from "./channel.send.ts";
import { createEngineeringAlerter } from "./engineering.alert.ts";
import { enqueueNotifications } from "./enqueue.ts";
import { createNotifier, SEND_TIMEOUT_MS } from "./notify.compose.ts";
import { createMemoryRateGate } from "./rate-gate.ts";

/** The notifier as src/main.ts composes it in embedded mode. */
function notifier(config: Config, db: SqlDriver) {
  const now = Date.now;
  return createNotifier({
    config,
    db,
    send: createHttpSender({ timeoutMs: SEND_TIMEOUT_MS, now, webhookSecret: config.notify.WEBHOOK_SECRET }),
    buckets: createMemoryRateGate(now),
    breakers: createBreakerRegistry({ failureThreshold: 5, resetAfterMs: 60_000, halfOpenMax: 1, now }),
    alerter: createEngineeringAlerter({ url: undefined, now, logger: silentLogger }),
    metrics: newRegistry(),
    logger: silentLogger,
    now,
  });
}

describe("createNotifier (from settings)", () => {
  let db: SqlDriver;
  let slack: HttpFake;
  beforeAll(async () => {
    db = await openTestStore("pglite");
    slack = await startFakeSlack({ ratePerSec: null });
  });
  afterAll(async () => {
    await slack.close();
    await db.close();
  });

  it("routes and delivers a case end to end from env settings, and reports what is unset", async () => {
    const config = loadConfig({ SLACK_WEBHOOK_URL: slack.url, NOTIFY_MIN_REVENUE_AT_RISK: "100" });
    const n = notifier(config, db);
    await db.transaction((tx) => enqueueNotifications(tx, notificationCase(1), n.routing, new Date()));
    expect((await n.dispatcher.runOnce()).delivered).toBe(1);
    expect(slack.accepted()).toHaveLength(1);
    const lines = n.describe().join("\n");
    expect(lines).toMatch(/notify route "default": slack:[0-9a-f]{16}/);
    expect(lines).toContain("ENGINEERING_WEBHOOK_URL not set");
    expect(lines).not.toContain(slack.url);
  });

  it("refuses bad notification settings at start, naming the variable", () => {
    expect(() => loadConfig({ WEBHOOK_SECRET: "not-a-secret" })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ NOTIFY_DIGEST_WINDOW_SECONDS: "0" })).toThrow(/NOTIFY_DIGEST_WINDOW_SECONDS/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: "not a url" })).toThrow(/PUBLIC_BASE_URL/);
    const config = loadConfig({ NOTIFY_ROUTES: "[1]" });
    expect(() => notifier(config, db)).toThrow(ConfigError);
  });
});
