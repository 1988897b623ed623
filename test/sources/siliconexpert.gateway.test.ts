import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { addDays, utcDay } from "../../src/sources/platform-dates.ts";
import { sourceCheckpoints } from "../../src/sources/source-checkpoints.repository.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { openStore } from "../../src/store/open.ts";
import { type FakeSeUpdate, type SeFake, startFakeSiliconExpert } from "../fakes/siliconexpert.fake.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";

/**
 * Issue 14, done when: with the fake SiliconExpert running, a configured gateway logs in, polls,
 * turns the alerts into cases for BOM parts, and survives an expired session, a 429, a cut-off page
 * and a restart (with days of downtime to catch up) without losing or doubling an alert.
 */
const CORPUS_BOM = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "bom");
const TODAY = utcDay(new Date());

const pcn = (id: string, mpn: string, maker: string, extra: Record<string, unknown> = {}): FakeSeUpdate => ({
  day: TODAY,
  kind: "pcn",
  record: {
    PCNId: id,
    PCNNumber: `PDN-${id}`,
    TypeOfChange: "EOL",
    NotificationDate: "Mar 12, 2026",
    LastTimeBuyDate: "06/20/2027",
    affectedParts: { comId: `c${id}`, partNumber: mpn, manufacturer: maker },
    ...extra,
  },
});
const lifecycle = (
  day: string,
  mpn: string,
  maker: string,
  to: string,
  extra: Record<string, unknown> = {},
): FakeSeUpdate => ({
  day,
  kind: "lifecycle",
  record: {
    comId: `c-${mpn}`,
    partNumber: mpn,
    manufacturer: maker,
    updateDate: day,
    details: `Lifecycle status changed from Active to ${to}.`,
    ...extra,
  },
});

describeEachStore("SiliconExpert polled by the gateway", (kind) => {
  let fake: SeFake;
  let config: Config;
  let gw: Gateway | null = null;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "eolgate-se-"));
    fake = await startFakeSiliconExpert({
      pageSize: 2,
      updates: [
        pcn("9003655970", "TPS54331D", "Texas Instruments"),
        lifecycle(TODAY, "PIC16F877A-I/PT", "Microchip Technology", "Obsolete"),
        {
          day: TODAY,
          kind: "rohs",
          record: { comId: "c-x", partNumber: "TPS54331D", manufacturer: "Texas Instruments" },
        },
      ],
    });
    config = loadConfig({
      LOG_LEVEL: "silent",
      PORT: "0",
      PIPELINE_POLL_MS: "50",
      ...(kind === "pglite" ? { DATA_DIR: dir } : { DATABASE_URL: await createTestDatabase() }),
      SILICONEXPERT_LOGIN: fake.options.login,
      SILICONEXPERT_API_KEY: fake.options.apiKey,
      SILICONEXPERT_BASE_URL: fake.baseUrl,
      SILICONEXPERT_POLL_INTERVAL_SECONDS: "3600",
      SILICONEXPERT_MAX_REQUESTS_PER_SECOND: "100",
      SOURCE_TICK_SECONDS: "0.05",
      SOURCE_SCAN_CHECK_SECONDS: "3600",
      SOURCE_MAX_INLINE_WAIT_SECONDS: "0",
      SOURCE_BACKOFF_BASE_SECONDS: "0.01",
      SOURCE_BACKOFF_MAX_SECONDS: "0.05",
    });
    // The BOM is in before the gateway first polls, as in a deployment that adds the platform later.
    const db = await openStore(config.store);
    expect((await importBom(db, bomSourcesFromDir(CORPUS_BOM))).kind).toBe("imported");
    await db.close();
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = async () => {
    const res = await fetch(`${gw!.url}/v1/cases?limit=500`);
    const body = (await res.json()) as {
      cases: {
        part: { mpn: string };
        event_kind: string;
        status: string;
        ltb_date: string | null;
        pcn_id: string | null;
      }[];
    };
    return body.cases;
  };
  const waitCases = (mpns: string[]) =>
    waitFor(
      cases,
      (cs) => mpns.every((m) => cs.some((c) => c.part.mpn === m)),
      `cases for ${mpns.join(", ")}`,
    );
  const seRows = async (db: SqlDriver) =>
    (
      await db.query<{ k: string; n: number }>(
        "select idempotency_key as k, count(*)::int as n from inbox where source = 'SiliconExpert' group by idempotency_key order by k",
      )
    ).rows;

  it("logs in, polls the day's updates and opens cases for the BOM's parts", async () => {
    gw = await startGateway(config, silent);
    const cs = await waitCases(["TPS54331D", "PIC16F877A-I/PT"]);
    expect(cs.find((c) => c.part.mpn === "TPS54331D")).toMatchObject({
      event_kind: "discontinuance",
      status: "ltb",
      ltb_date: "2027-06-20",
      pcn_id: "PDN-9003655970",
    });
    expect(cs.find((c) => c.part.mpn === "PIC16F877A-I/PT")).toMatchObject({ status: "obsolete" });
    expect(await seRows(gw.db)).toEqual([
      { k: "alert:key:siliconexpert:lifecycle:c-PIC16F877A-I/PT:" + `${TODAY}:obsolete`, n: 1 },
      { k: "alert:key:siliconexpert:pcn:9003655970:c9003655970", n: 1 },
    ]);
    expect(fake.logins).toBe(1);
    const state = await sourceCheckpoints.get(gw.db, "siliconexpert");
    expect(state).toMatchObject({ checkpoint: { through: TODAY }, consecutiveFailures: 0, alertsRead: 2 });
  });

  it("logs in again when the session expired, and reads only what is new", async () => {
    fake.expireSessions();
    fake.options.updates.push(
      lifecycle(TODAY, "TLV70233DBVT", "Texas Instruments", "LTB", { LastTimeBuyDate: "Jan 8,2027" }),
    );
    const out = await gw!.sources!.runOnce("siliconexpert");
    expect(out).toMatchObject({ kind: "ok", ingest: { accepted: 1, duplicates: 2 } });
    expect(fake.logins).toBe(2);
    const cs = await waitCases(["TLV70233DBVT"]);
    expect(cs.find((c) => c.part.mpn === "TLV70233DBVT")).toMatchObject({
      status: "ltb",
      ltb_date: "2027-01-08",
    });
  });

  it("backs off on a 429, keeps away during the Retry-After, then reads on", async () => {
    fake.http.setBehaviour({
      script: [
        {
          status: 429,
          body: '{"Status":{"Code":"8","Message":"Rate Limited","Success":"false"}}',
          headers: { "retry-after": "1" },
        },
      ],
    });
    const limited = await gw!.sources!.runOnce("siliconexpert");
    expect(limited).toMatchObject({ kind: "failed", failure: { kind: "rate_limited", retryAfterMs: 1000 } });
    const state = await sourceCheckpoints.get(gw!.db, "siliconexpert");
    expect(state).toMatchObject({ consecutiveFailures: 1, checkpoint: { through: TODAY } });
    fake.options.updates.push(lifecycle(TODAY, "LPC1766FBD100K", "NXP Semiconductors", "EOL"));
    const after = await gw!.sources!.runOnce("siliconexpert");
    expect(after).toMatchObject({ kind: "ok", ingest: { accepted: 1, duplicates: 3 } });
    expect(fake.http.requestsDuringPause()).toBe(0);
    expect((await sourceCheckpoints.get(gw!.db, "siliconexpert"))?.consecutiveFailures).toBe(0);
  });

  it("refuses a cut-off page and reads the window again", async () => {
    fake.truncateNext("getUpdatesOfTheDay");
    expect(await gw!.sources!.runOnce("siliconexpert")).toMatchObject({
      kind: "failed",
      failure: { kind: "protocol" },
    });
    expect(await gw!.sources!.runOnce("siliconexpert")).toMatchObject({
      kind: "ok",
      ingest: { accepted: 0, duplicates: 4 },
    });
  });

  it("after a restart and days of downtime, catches up without losing or doubling an alert", async () => {
    await gw!.close();
    gw = null;
    // Down for three days: the checkpoint is three days old, and alerts came meanwhile.
    const db = await openStore(config.store);
    await db.query(
      `update source_checkpoints set checkpoint = jsonb_set(checkpoint, '{through}', to_jsonb($1::text)) where name = 'siliconexpert'`,
      [addDays(TODAY, -3)],
    );
    await db.close();
    fake.options.updates.push(lifecycle(addDays(TODAY, -2), "MMBT3904LT1G", "onsemi", "Obsolete"));
    fake.options.updates.push(lifecycle(TODAY, "BAS16LT1G", "onsemi", "NRND"));
    gw = await startGateway(config, silent);
    const out = await gw.sources!.runOnce("siliconexpert");
    expect(out).toMatchObject({
      kind: "ok",
      ingest: { accepted: 2, duplicates: 4 },
      report: { endpoint: "alert/getUpdates" },
    });
    await waitCases(["MMBT3904LT1G", "BAS16LT1G"]);
    const rows = await seRows(gw.db);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const cs = await cases();
    const mpns = cs.map((c) => c.part.mpn).sort();
    expect(mpns).toEqual([
      "BAS16LT1G",
      "LPC1766FBD100K",
      "MMBT3904LT1G",
      "PIC16F877A-I/PT",
      "TLV70233DBVT",
      "TPS54331D",
    ]);
    // Every alert made its one case: no part has two cases of the same kind.
    expect(new Set(cs.map((c) => `${c.part.mpn}:${c.event_kind}`)).size).toBe(cs.length);
    expect((await sourceCheckpoints.get(gw.db, "siliconexpert"))?.checkpoint).toMatchObject({
      through: TODAY,
    });
  });

  it("reports each source's state and takes a replay request over HTTP", async () => {
    const res = await fetch(`${gw!.url}/v1/sources`);
    const body = (await res.json()) as {
      sources: { name: string; polled: boolean; last_success_at: string | null }[];
    };
    expect(body.sources.map((s) => [s.name, s.polled])).toEqual([
      ["scan:siliconexpert", true],
      ["siliconexpert", true],
    ]);
    const replay = await fetch(`${gw!.url}/v1/sources/siliconexpert/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: addDays(TODAY, -2), to: TODAY }),
    });
    expect(replay.status).toBe(202);
    await waitFor(
      () => sourceCheckpoints.get(gw!.db, "siliconexpert"),
      (s) => s?.replay === null,
      "the replay to run",
    );
    expect((await seRows(gw!.db)).every((r) => r.n === 1)).toBe(true);
    const tooOld = await fetch(`${gw!.url}/v1/sources/siliconexpert/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: addDays(TODAY, -31), to: TODAY }),
    });
    expect(tooOld.status).toBe(422);
    const unknown = await fetch(`${gw!.url}/v1/sources/nope/replay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: TODAY, to: TODAY }),
    });
    expect(unknown.status).toBe(404);
  });

  it("exports the source metrics", async () => {
    const text = await (await fetch(`${gw!.url}/metrics`)).text();
    expect(text).toMatch(/eolgate_source_last_success_timestamp_seconds\{source="siliconexpert"\} \d+/);
    expect(text).toMatch(/eolgate_source_alerts_read_total\{source="siliconexpert"\} \d+/);
    expect(text).toMatch(/eolgate_circuit_state\{name="source:siliconexpert"\} 0/);
  });

  it("polls from a worker-only process too, through its own Ingestor", async () => {
    await gw!.close();
    fake.options.updates.push(lifecycle(TODAY, "NTR4003NT1G", "onsemi", "EOL"));
    gw = await startGateway(config, silent, "worker");
    // The replay above left the source due, so the worker's own tick may read it first.
    expect(await gw.sources!.runOnce("siliconexpert")).toMatchObject({ kind: "ok" });
    const db = gw.db;
    expect((await seRows(db)).filter((r) => r.k.includes("NTR4003NT1G"))).toEqual([
      { k: `alert:key:siliconexpert:lifecycle:c-NTR4003NT1G:${TODAY}:eol`, n: 1 },
    ]);
    await waitFor(
      async () =>
        (
          await db.query<{ n: number }>(
            "select count(*)::int as n from cases c join parts p on p.id = c.part_id where p.mpn = 'NTR4003NT1G'",
          )
        ).rows[0]!.n,
      (n) => n === 1,
      "the case from the worker-only poll",
    );
  });
});
