import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { partLifecycleHistory } from "../../src/sources/scan/part-lifecycle.repository.ts";
import { sourceCheckpoints } from "../../src/sources/source-checkpoints.repository.ts";
import { type FakeSePart, type SeFake, startFakeSiliconExpert } from "../fakes/siliconexpert.fake.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";

/**
 * Issue 14, done when: a scan after a BOM import opens cases for the parts already discontinued.
 * The gateway runs with SiliconExpert configured; the BOM is uploaded through POST /v1/bom/import;
 * the scan notices the new BOM, asks the platform about every part, records their status history,
 * puts them on the watch list and opens cases for the ones LTB, EOL or obsolete. A second import of
 * the same BOM rescans and adds nothing; a status change at the platform opens the next case.
 */
const CORPUS_BOM = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "bom");

const PARTS: FakeSePart[] = [
  { comId: "101", partNumber: "TPS54331D", manufacturer: "Texas Instruments", lifecycle: "Active" },
  {
    comId: "102",
    partNumber: "TLV70233DBVT",
    manufacturer: "Texas Instruments",
    lifecycle: "Discontinued",
    ltbDate: "Mar 31, 2027",
    lastShipDate: "09/30/2027",
    eolNumber: "PDN-20260113002",
    since: "Jan 13, 2026",
  },
  {
    comId: "103",
    partNumber: "PIC16F877A-I/PT",
    manufacturer: "Microchip Technology",
    lifecycle: "Obsolete",
    since: "Jun 14, 2024",
  },
  { comId: "104", partNumber: "LPC1766FBD100K", manufacturer: "NXP Semiconductors", lifecycle: "NRND" },
  {
    comId: "105",
    partNumber: "CY7C68013A-56PVXC",
    manufacturer: "Cypress Semiconductor",
    lifecycle: "Discontinued",
  },
  { comId: "106", partNumber: "MMBT3904LT1G", manufacturer: "onsemi", lifecycle: "Active" },
  // Same number, another maker: never matched to the BOM's onsemi part.
  { comId: "107", partNumber: "BAS16LT1G", manufacturer: "Diodes Incorporated", lifecycle: "Obsolete" },
];

describeEachStore("BOM lifecycle scan in the gateway", (kind) => {
  let fake: SeFake;
  let gw: Gateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "eolgate-scan-"));
    fake = await startFakeSiliconExpert({ parts: PARTS.map((p) => ({ ...p })) });
    gw = await startGateway(
      loadConfig({
        LOG_LEVEL: "silent",
        PORT: "0",
        PIPELINE_POLL_MS: "50",
        ...(kind === "pglite" ? { DATA_DIR: dir } : { DATABASE_URL: await createTestDatabase() }),
        SILICONEXPERT_LOGIN: fake.options.login,
        SILICONEXPERT_API_KEY: fake.options.apiKey,
        SILICONEXPERT_BASE_URL: fake.baseUrl,
        SILICONEXPERT_MAX_REQUESTS_PER_SECOND: "100",
        SOURCE_TICK_SECONDS: "0.05",
        SOURCE_SCAN_CHECK_SECONDS: "0.1",
      }),
      silent,
    );
  });
  afterAll(async () => {
    await gw?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const importBomOverHttp = async () => {
    const form = new FormData();
    for (const f of ["assemblies", "parts", "bom", "alternates"])
      form.append(f, new Blob([readFileSync(join(CORPUS_BOM, `${f}.csv`))]), `${f}.csv`);
    const res = await fetch(`${gw.url}/v1/bom/import`, { method: "POST", body: form });
    expect(res.status).toBe(200);
  };
  const cases = async () => {
    const body = (await (await fetch(`${gw.url}/v1/cases?limit=500`)).json()) as {
      cases: {
        part: { mpn: string };
        status: string;
        ltb_date: string | null;
        last_ship_date: string | null;
        pcn_id: string | null;
      }[];
    };
    return body.cases;
  };
  const scanState = () => sourceCheckpoints.get(gw.db, "scan:siliconexpert");
  /** When the last real scan ran (a check that found the BOM unchanged leaves it). */
  const scannedAt = async () =>
    ((await scanState())?.checkpoint as { scanned_at?: string } | null)?.scanned_at ?? null;
  const partId = async (mpn: string) =>
    Number(
      (await gw.db.query<{ id: number }>("select id::float8 as id from parts where mpn = $1", [mpn])).rows[0]!
        .id,
    );
  const scanRows = async () =>
    Number(
      (
        await gw.db.query<{ n: number }>(
          "select count(*)::int as n from inbox where idempotency_key like 'alert:key:siliconexpert:status:%'",
        )
      ).rows[0]!.n,
    );

  it("scans after a BOM import and opens cases for the parts already discontinued", async () => {
    // The gateway scans at start (an empty BOM); the import must be what triggers the next one.
    const before = await waitFor(scannedAt, (at) => at !== null, "the first scan");
    await importBomOverHttp();
    await waitFor(scannedAt, (at) => at !== before, "the scan of the new BOM");
    expect((await scanState())?.checkpoint).toMatchObject({ total: 76 });
    const cs = await waitFor(cases, (c) => c.length >= 3, "three cases");
    expect(cs.map((c) => c.part.mpn).sort()).toEqual([
      "CY7C68013A-56PVXC",
      "PIC16F877A-I/PT",
      "TLV70233DBVT",
    ]);
    expect(cs.find((c) => c.part.mpn === "TLV70233DBVT")).toMatchObject({
      status: "ltb",
      ltb_date: "2027-03-31",
      last_ship_date: "2027-09-30",
      pcn_id: "PDN-20260113002",
    });
    expect(cs.find((c) => c.part.mpn === "PIC16F877A-I/PT")).toMatchObject({ status: "obsolete" });
    // Cypress is Infineon's now: the platform's old maker name still finds the BOM's part.
    expect(cs.find((c) => c.part.mpn === "CY7C68013A-56PVXC")).toMatchObject({ status: "eol" });
  });

  it("shows the coverage and the unmatched parts, and keeps the matched ones on the watch list", async () => {
    const s = await scanState();
    expect(s?.checkpoint).toMatchObject({ total: 76, matched: 6 });
    const unmatched = (s?.checkpoint as { unmatched?: { mpn: string }[] } | null)?.unmatched ?? [];
    expect(unmatched.length).toBe(50);
    expect(unmatched.map((u) => u.mpn)).toContain("BAS16LT1G");
    expect([...fake.acl].sort()).toEqual(["101", "102", "103", "104", "105", "106"]);
  });

  it("records each part's status history with its source, raw word and as-of date", async () => {
    expect(await partLifecycleHistory.of(gw.db, await partId("TLV70233DBVT"))).toEqual([
      {
        source: "siliconexpert",
        status: "ltb",
        raw_status: "Discontinued",
        as_of: "2026-01-13",
        ltb_date: "2027-03-31",
        last_ship_date: "2027-09-30",
        platform_ref: "102",
      },
    ]);
    expect(await partLifecycleHistory.of(gw.db, await partId("LPC1766FBD100K"))).toMatchObject([
      { status: "nrnd", raw_status: "NRND" },
    ]);
  });

  it("rescans the same BOM imported again without adding cases, alerts or history", async () => {
    const rows = await scanRows();
    const history = Number(
      (await gw.db.query<{ n: number }>("select count(*)::int as n from part_lifecycle_history")).rows[0]!.n,
    );
    const before = await scannedAt();
    const detailCalls = fake.calls("partDetail");
    await importBomOverHttp();
    await waitFor(scannedAt, (at) => at !== before, "the rescan");
    expect(fake.calls("partDetail")).toBeGreaterThan(detailCalls);
    expect(await scanRows()).toBe(rows);
    expect(
      Number(
        (await gw.db.query<{ n: number }>("select count(*)::int as n from part_lifecycle_history")).rows[0]!
          .n,
      ),
    ).toBe(history);
    expect(await cases()).toHaveLength(3);
  });

  it("opens the next case when a part's status changes at the platform", async () => {
    const tps = fake.options.parts.find((p) => p.partNumber === "TPS54331D")!;
    Object.assign(tps, { lifecycle: "Discontinued", ltbDate: "2027-06-30", since: "Dec 1, 2026" });
    const out = await gw.sources!.runOnce("scan:siliconexpert");
    expect(out).toMatchObject({ kind: "ok", ingest: { accepted: 1, duplicates: 3 } });
    const cs = await waitFor(cases, (c) => c.length === 4, "the TPS54331D case");
    expect(cs.find((c) => c.part.mpn === "TPS54331D")).toMatchObject({
      status: "ltb",
      ltb_date: "2027-06-30",
    });
    expect((await partLifecycleHistory.of(gw.db, await partId("TPS54331D"))).map((h) => h.status)).toEqual([
      "ltb",
      "active",
    ]);
  });
});
