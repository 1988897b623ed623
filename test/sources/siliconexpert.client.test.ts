import { afterEach, describe, expect, it } from "vitest";
import { createMemoryRateGate } from "../../src/notify/rate-gate.ts";
import { abortableSleep } from "../../src/sources/abortable-sleep.ts";
import { addDays } from "../../src/sources/platform-dates.ts";
import { SiliconExpertClient, untilNextUtcDay } from "../../src/sources/siliconexpert/se.client.ts";
import {
  createSiliconExpertPlatform,
  createSiliconExpertSource,
  earliestReadable,
} from "../../src/sources/siliconexpert/se.source.ts";
import {
  type FakeSeUpdate,
  type SeFake,
  type SeFakeOptions,
  startFakeSiliconExpert,
} from "../fakes/siliconexpert.fake.ts";

/**
 * The SiliconExpert client and source against the fake: logins in both published answer styles,
 * sessions that expire, 429s and quota, truncated pages, both update shapes, paging, the 30-day
 * lookback, part search and detail in batches of 50, and the watch list.
 */

const TODAY = "2026-12-04";
const NOW = new Date(`${TODAY}T10:00:00Z`);
const signal = () => new AbortController().signal;

let fake: SeFake | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup(opts: SeFakeOptions = {}, client: { maxInlineWaitMs?: number; apiKey?: string } = {}) {
  fake = await startFakeSiliconExpert({ today: () => TODAY, ...opts });
  const gate = createMemoryRateGate(Date.now);
  const limit = { ratePerSec: 200, burst: 200 };
  const se = new SiliconExpertClient({
    baseUrl: fake.baseUrl,
    login: fake.options.login,
    apiKey: client.apiKey ?? fake.options.apiKey,
    timeoutMs: 5_000,
    maxInlineWaitMs: client.maxInlineWaitMs ?? 5_000,
    now: () => NOW,
    async throttle(s) {
      for (;;) {
        const t = await gate.take("se", limit);
        if (t.kind === "granted") return;
        await abortableSleep(t.ms, s);
      }
    },
    pause: (ms) => gate.pause("se", ms),
  });
  return {
    fake,
    se,
    source: createSiliconExpertSource({ client: se, backfillDays: 1, alertTypes: "lifecycle,pcn" }),
  };
}

const lifecycle = (day: string, mpn: string, to: string, date: string = day): FakeSeUpdate => ({
  day,
  kind: "lifecycle",
  record: {
    comId: `c-${mpn}`,
    partNumber: mpn,
    manufacturer: "Texas Instruments",
    updateDate: date,
    details: `Lifecycle status changed from Active to ${to}.`,
  },
});

describe("SiliconExpert session", () => {
  it("logs in once, keeps the session's cookies, and logs in again when the session expires", async () => {
    const { fake, se } = await setup({ updates: [lifecycle(TODAY, "A1", "NRND")] });
    for (let i = 0; i < 3; i++)
      expect((await se.call("alert/getUpdatesOfTheDay", {}, signal())).kind).toBe("ok");
    expect(fake.logins).toBe(1);
    const sent = fake.http.received
      .filter((r) => r.url.includes("getUpdatesOfTheDay"))
      .map((r) => String(r.headers.cookie));
    expect(sent.every((c) => /JSESSIONID=\w+/.test(c) && /AWSALB=\w+/.test(c))).toBe(true);
    fake.expireSessions();
    expect((await se.call("alert/getUpdatesOfTheDay", {}, signal())).kind).toBe("ok");
    expect(fake.logins).toBe(2);
  });

  it("accepts the flat login answer of the published reference", async () => {
    const { fake, se } = await setup({ authStyle: "flat" });
    expect((await se.call("userStatus", {}, signal())).kind).toBe("ok");
    expect(fake.logins).toBe(1);
  });

  it("fails for good, naming the settings, when the API key is refused", async () => {
    const { se } = await setup({}, { apiKey: "wrong-key-000" });
    const out = await se.call("userStatus", {}, signal());
    expect(out).toEqual({
      kind: "failed",
      failure: {
        kind: "auth",
        retryable: false,
        reason: expect.stringContaining("SILICONEXPERT_API_KEY"),
      },
    });
  });

  it("waits out a short Retry-After and sends nothing during the pause", async () => {
    const { fake, se } = await setup();
    await se.call("userStatus", {}, signal());
    fake.http.setBehaviour({ script: [{ status: 429, body: "{}", headers: { "retry-after": "1" } }] });
    expect((await se.call("userStatus", {}, signal())).kind).toBe("ok");
    expect(fake.http.received.filter((r) => r.status === 429)).toHaveLength(1);
    expect(fake.http.requestsDuringPause()).toBe(0);
  });

  it("hands a long Retry-After to the scheduler instead of waiting", async () => {
    const { fake, se } = await setup({}, { maxInlineWaitMs: 0 });
    await se.call("userStatus", {}, signal());
    fake.http.setBehaviour({ script: [{ status: 429, body: "{}", headers: { "retry-after": "120" } }] });
    expect(await se.call("userStatus", {}, signal())).toEqual({
      kind: "failed",
      failure: {
        kind: "rate_limited",
        retryable: true,
        reason: "userStatus: rate limited",
        retryAfterMs: 120_000,
      },
    });
  });

  it("reads quota exhausted as a wait until the next UTC day", async () => {
    const { se } = await setup({
      quota: 0,
      parts: [{ comId: "1", partNumber: "X", manufacturer: "TI", lifecycle: "EOL" }],
    });
    const out = await se.call("partDetail", { comIds: "1" }, signal());
    expect(out).toEqual({
      kind: "failed",
      failure: {
        kind: "quota",
        retryable: true,
        reason: "partDetail: quota exceeded",
        retryAfterMs: untilNextUtcDay(NOW),
      },
    });
  });

  it("refuses a page cut off mid-body as retryable, and reads it the next time", async () => {
    const { fake, se } = await setup({ updates: [lifecycle(TODAY, "A1", "NRND")] });
    fake.truncateNext("getUpdatesOfTheDay");
    const cut = await se.call("alert/getUpdatesOfTheDay", {}, signal());
    expect(cut).toMatchObject({ kind: "failed", failure: { kind: "protocol", retryable: true } });
    expect((await se.call("alert/getUpdatesOfTheDay", {}, signal())).kind).toBe("ok");
  });

  it("says unavailable when the platform is down", async () => {
    const { fake, se } = await setup();
    fake.inject("userStatus", { status: 503, body: "<html>down</html>" });
    expect(await se.call("userStatus", {}, signal())).toMatchObject({
      kind: "failed",
      failure: { kind: "unavailable", retryable: true },
    });
  });
});

describe("SiliconExpert updates source", () => {
  const updates = [
    lifecycle(TODAY, "A1", "NRND"),
    lifecycle(TODAY, "A2", "Obsolete", "Dec 4, 2026"),
    {
      day: TODAY,
      kind: "rohs",
      record: { comId: "c-A3", partNumber: "A3", manufacturer: "TI" },
    } as FakeSeUpdate,
    lifecycle(addDays(TODAY, -3), "B1", "EOL"),
    lifecycle(addDays(TODAY, -3), "B2", "LTB"),
    lifecycle(addDays(TODAY, -3), "B3", "Discontinued"),
    lifecycle(addDays(TODAY, -40), "OLD", "EOL"),
  ];

  it("reads the day's updates on a first poll, paged, single objects and all", async () => {
    const { fake, source } = await setup({ updates, pageSize: 1 });
    const out = await source.poll(null, NOW, { signal: signal() });
    expect(out).toMatchObject({
      kind: "ok",
      next: { through: TODAY },
      report: { endpoint: "alert/getUpdatesOfTheDay" },
    });
    if (out.kind !== "ok") return;
    expect(out.alerts.map((a) => a.alert.part_number)).toEqual(["A1", "A2"]);
    expect(out.alerts[1]!.alert.notice_date).toBe(TODAY);
    // Two pages of one record each, then "No result found" ends the paging.
    expect(fake.calls("getUpdatesOfTheDay")).toBe(3);
  });

  it("catches up a gap with the date-range endpoint from the checkpoint's day", async () => {
    const { fake, source } = await setup({ updates, pageSize: 2 });
    const out = await source.poll({ through: addDays(TODAY, -5), read_at: "x" }, NOW, { signal: signal() });
    expect(out.kind === "ok" && out.alerts.map((a) => a.alert.part_number).sort()).toEqual([
      "A1",
      "A2",
      "B1",
      "B2",
      "B3",
    ]);
    const asked = fake.http.received.find(
      (r) => r.url.includes("alert/getUpdates") && !r.url.includes("OfTheDay"),
    );
    expect(asked?.raw).toContain(`fromDate=${encodeURIComponent("11/29/2026")}`);
    expect(asked?.raw).toContain(`toDate=${encodeURIComponent("12/04/2026")}`);
  });

  it("reads the flat alerts style of the other published example", async () => {
    const { source } = await setup({ updates, updatesStyle: "alerts", pageSize: 10 });
    const out = await source.poll({ through: addDays(TODAY, -3), read_at: "x" }, NOW, { signal: signal() });
    expect(out.kind === "ok" && out.alerts.length).toBe(5);
  });

  it("clamps a gap past the 30-day lookback and says what could not be read", async () => {
    const { source } = await setup({ updates });
    const out = await source.poll({ through: addDays(TODAY, -45), read_at: "x" }, NOW, { signal: signal() });
    expect(out.kind).toBe("ok");
    if (out.kind !== "ok") return;
    expect(out.report).toMatchObject({ from: earliestReadable(TODAY) });
    expect(out.notes?.[0]).toMatch(
      /^gap: updates from 2026-10-20 to 2026-11-04 are past SiliconExpert's 30-day lookback/,
    );
    expect(out.alerts.map((a) => a.alert.part_number)).not.toContain("OLD");
  });

  it("replays a window the platform still serves, and refuses one it does not", async () => {
    const { source } = await setup({ updates });
    const day = addDays(TODAY, -3);
    const out = await source.poll({ through: TODAY, read_at: "x" }, NOW, {
      window: { from: day, to: day },
      signal: signal(),
    });
    expect(out.kind === "ok" && out.alerts.map((a) => a.alert.part_number).sort()).toEqual([
      "B1",
      "B2",
      "B3",
    ]);
    const old = await source.poll(null, NOW, {
      window: { from: addDays(TODAY, -40), to: TODAY },
      signal: signal(),
    });
    expect(old).toMatchObject({ kind: "failed", failure: { kind: "rejected", retryable: false } });
  });

  it("keeps what it read when a later page fails", async () => {
    const { fake, source } = await setup({ updates, pageSize: 1 });
    fake.truncateNext("getUpdatesOfTheDay", 1);
    const out = await source.poll(null, NOW, { signal: signal() });
    expect(out).toMatchObject({ kind: "failed", failure: { kind: "protocol", retryable: true } });
    expect(out.alerts.map((a) => a.alert.part_number)).toEqual(["A1"]);
  });
});

describe("SiliconExpert part lookup and watch list", () => {
  it("batches 50 parts a call, details only the parts not plainly active, and lists the unmatched", async () => {
    const parts = Array.from({ length: 120 }, (_, i) => ({
      comId: String(1000 + i),
      partNumber: `P${i}`,
      manufacturer: "Texas Instruments",
      lifecycle: i % 10 === 0 ? "Discontinued" : "Active",
      ltbDate: i % 10 === 0 ? "Mar 31, 2027" : "",
    }));
    const { fake, se } = await setup({ parts });
    const platform = createSiliconExpertPlatform(se);
    const bom = [
      ...parts.map((p, i) => ({ id: i + 1, manufacturer: "TI", mpn: p.partNumber })),
      { id: 500, manufacturer: "Texas Instruments", mpn: "UNKNOWN-1" },
      { id: 501, manufacturer: "Microchip", mpn: "P1" },
    ];
    const out = await platform.lookup(bom, signal());
    expect(out.kind).toBe("ok");
    if (out.kind !== "ok") return;
    expect(out.found).toHaveLength(120);
    expect(out.unmatched.map((p) => p.id)).toEqual([500, 501]);
    expect(fake.calls("listPartSearch")).toBe(3);
    expect(fake.calls("partDetail")).toBe(1);
    const discontinued = out.found.filter((f) => f.rawStatus === "Discontinued");
    expect(discontinued).toHaveLength(12);
    expect(discontinued.every((f) => f.ltbDate === "2027-03-31")).toBe(true);
  });

  it("keeps searching when the detail quota runs out, and says so", async () => {
    const parts = [
      { comId: "1", partNumber: "Q1", manufacturer: "Texas Instruments", lifecycle: "Obsolete" },
      { comId: "2", partNumber: "Q2", manufacturer: "Texas Instruments", lifecycle: "Active" },
    ];
    const { se } = await setup({ parts, quota: 0 });
    const out = await createSiliconExpertPlatform(se).lookup(
      parts.map((p, i) => ({ id: i + 1, manufacturer: p.manufacturer, mpn: p.partNumber })),
      signal(),
    );
    expect(out).toMatchObject({
      kind: "ok",
      found: [{ rawStatus: "Obsolete", ltbDate: null }, { rawStatus: "Active" }],
      notes: [expect.stringMatching(/quota exhausted: 1 part/)],
    });
  });

  it("adds only the parts missing from the watch list", async () => {
    const parts = ["1", "2", "3"].map((c) => ({
      comId: c,
      partNumber: `W${c}`,
      manufacturer: "TI",
      lifecycle: "Active",
    }));
    const { fake, se } = await setup({ parts });
    fake.acl.add("2");
    const platform = createSiliconExpertPlatform(se);
    expect(await platform.watch(["1", "2", "3"], signal())).toEqual({ kind: "ok", watched: 3, added: 2 });
    expect([...fake.acl].sort()).toEqual(["1", "2", "3"]);
    expect(await platform.watch(["1", "2", "3"], signal())).toEqual({ kind: "ok", watched: 3, added: 0 });
    expect(fake.calls("alert/addPart")).toBe(1);
  });
});
