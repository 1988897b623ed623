import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpFake } from "../../test/fakes/http-fake.base.ts";
import { slackReplies, startFakeSlack } from "../../test/fakes/slack.fake.ts";
import { createEngineeringAlerter } from "./engineering.alert.ts";

describe("engineering alerter", () => {
  let hook: HttpFake;
  beforeAll(async () => {
    hook = await startFakeSlack({ ratePerSec: null });
  });
  afterAll(() => hook.close());
  const logs: string[] = [];
  const logger = {
    warn: (_o: object, m: string) => logs.push(m),
    error: (_o: object, m: string) => logs.push(m),
  };

  it("posts the first alert at once, then aggregates repeats until the interval has passed", async () => {
    hook.reset();
    let t = 0;
    const a = createEngineeringAlerter({ url: hook.url, now: () => t, logger, minIntervalMs: 60_000 });
    a.alert({ key: "circuit:slack:1", summary: "circuit opened for slack:1" });
    await a.flush();
    for (let i = 0; i < 5; i++) a.alert({ key: "dead:slack:1", summary: "dead letter on slack:1" });
    a.alert({ key: "circuit:teams:2", summary: "circuit opened for teams:2" });
    t = 30_000;
    expect(hook.received).toHaveLength(1);
    await a.stop();
    expect(hook.received).toHaveLength(2);
    const second = (hook.received[1]!.json as { text: string }).text;
    expect(second).toContain("6 alert(s)");
    expect(second).toContain("dead letter on slack:1 (×5)");
    expect(second).toContain("circuit opened for teams:2");
    expect((hook.received[0]!.json as { text: string }).text).toContain("circuit opened for slack:1");
  });

  it("a refusing or unreachable alert webhook is logged, never thrown", async () => {
    hook.reset();
    hook.setBehaviour({ script: [slackReplies.serverError] });
    const a = createEngineeringAlerter({ url: hook.url, now: () => 0, logger, minIntervalMs: 1 });
    a.alert({ key: "k", summary: "s" });
    await a.flush();
    expect(logs).toContain("engineering alert webhook refused the alert");
    const b = createEngineeringAlerter({ url: "http://127.0.0.1:1/x", now: () => 0, logger, timeoutMs: 500 });
    b.alert({ key: "k", summary: "s" });
    await b.flush();
    expect(logs).toContain("engineering alert webhook unreachable");
  });

  it("without a URL, alerts only go to the log", async () => {
    const seen: string[] = [];
    const a = createEngineeringAlerter({
      now: () => 0,
      logger: { warn: (_o, m) => seen.push(m), error: (_o, m) => seen.push(m) },
    });
    a.alert({ key: "k", summary: "only logged" });
    await a.flush();
    expect(seen).toEqual(["only logged"]);
  });
});
