import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";

/**
 * Issue 14, done when: an Accuris-style export imports into cases. Through POST
 * /v1/sources/{name}/import: CSV as the body, XLSX as a multipart upload, a title above the header,
 * Accuris' column names, a re-import that doubles nothing, and every kind of bad file refused with
 * its row numbers and nothing ingested.
 */
const CORPUS_BOM = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "bom");

const ACCURIS_CSV = [
  "Part Alerts - exported 2026-12-01",
  "",
  "Smart Alert ID,Smart Alert Type,Imported Mfr P/N,Imported Mfr Name,Part Status,LTB Date,Last Ship Date,Smart Alert Date",
  'SA-1001,Discontinued,TPS54331D,Texas Instruments,EOL,"Mar 31, 2027",09/30/2027,2026-11-20',
  "SA-1002,Discontinued,PIC16F877A-I/PT,Microchip,Obsolete,,,2026-11-21",
  "SA-1002,Discontinued,PIC16F874A-I/P,Microchip,Obsolete,,,2026-11-21",
].join("\r\n");

describeEachStore("alert exports into cases", (kind) => {
  let gw: Gateway;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "eolgate-export-"));
    gw = await startGateway(
      loadConfig({
        LOG_LEVEL: "silent",
        PORT: "0",
        PIPELINE_POLL_MS: "50",
        SOURCE_IMPORT_MAX_BYTES: "65536",
        ...(kind === "pglite" ? { DATA_DIR: dir } : { DATABASE_URL: await createTestDatabase() }),
      }),
      silent,
    );
    expect((await importBom(gw.db, bomSourcesFromDir(CORPUS_BOM))).kind).toBe("imported");
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body: string | Uint8Array | FormData, contentType?: string) => {
    const res = await fetch(`${gw.url}${path}`, {
      method: "POST",
      ...(contentType ? { headers: { "content-type": contentType } } : {}),
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const inbox = async () =>
    Number((await gw.db.query<{ n: number }>("select count(*)::int as n from inbox")).rows[0]!.n);
  const cases = async () =>
    (
      (await (await fetch(`${gw.url}/v1/cases?limit=500`)).json()) as {
        cases: {
          part: { mpn: string };
          status: string;
          ltb_date: string | null;
          last_ship_date: string | null;
        }[];
      }
    ).cases;

  it("imports an Accuris CSV export into cases, and a second import doubles nothing", async () => {
    const first = await post("/v1/sources/accuris/import", ACCURIS_CSV, "text/csv");
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      kind: "imported",
      source: "accuris",
      header_row: 3,
      rows: 3,
      accepted: 3,
      duplicates: 0,
    });
    const cs = await waitFor(cases, (c) => c.length === 3, "three cases");
    expect(cs.find((c) => c.part.mpn === "TPS54331D")).toMatchObject({
      status: "ltb",
      ltb_date: "2027-03-31",
      last_ship_date: "2027-09-30",
    });
    expect(cs.find((c) => c.part.mpn === "PIC16F874A-I/P")).toMatchObject({ status: "obsolete" });
    const again = await post("/v1/sources/accuris/import", ACCURIS_CSV, "text/csv");
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await inbox()).toBe(3);
  });

  it("imports an XLSX upload with date cells and a custom column mapping", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Alerts");
    ws.addRow(["Mfr Part #", "Maker", "Lifecycle", "Last Time Buy"]);
    ws.addRow(["LPC1766FBD100K", "NXP Semiconductors", "Discontinued", new Date(Date.UTC(2027, 5, 30))]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const form = new FormData();
    form.append(
      "file",
      new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
      "alerts.xlsx",
    );
    const out = await post(
      `/v1/sources/generic/import?columns=${encodeURIComponent("part_number=Mfr Part #,manufacturer=Maker")}`,
      form,
    );
    expect(out.status).toBe(202);
    expect(out.body).toMatchObject({ source: "generic", sheet: "Alerts", rows: 1, accepted: 1 });
    const cs = await waitFor(
      cases,
      (c) => c.some((x) => x.part.mpn === "LPC1766FBD100K"),
      "the LPC1766 case",
    );
    expect(cs.find((c) => c.part.mpn === "LPC1766FBD100K")).toMatchObject({
      status: "ltb",
      ltb_date: "2027-06-30",
    });
  });

  it("refuses a file with bad rows, naming each row, and ingests none of it", async () => {
    const before = await inbox();
    const csv = [
      "Imported Mfr P/N,Imported Mfr Name,Part Status,LTB Date",
      "MMBT3904LT1G,onsemi,EOL,2027-01-31",
      "BAS16LT1G,onsemi,EOL,sometime in 2027",
      ",onsemi,EOL,",
      "NTR4003NT1G,onsemi,Obsolete,",
    ].join("\n");
    const out = await post("/v1/sources/accuris/import", csv, "text/csv");
    expect(out.status).toBe(422);
    expect(out.body).toEqual({
      error: "validation_failed",
      message: 'row 3: "LTB Date" "sometime in 2027" is not a date; row 4: "Imported Mfr P/N" is empty',
      truncated: false,
      issues: [
        { path: "row 3", row: 3, message: '"LTB Date" "sometime in 2027" is not a date' },
        { path: "row 4", row: 4, message: '"Imported Mfr P/N" is empty' },
      ],
    });
    expect(await inbox()).toBe(before);
  });

  it("refuses files it cannot use, saying why", async () => {
    const missing = await post("/v1/sources/accuris/import", "MPN,Maker\nX,Y\n", "text/csv");
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toMatch(
      /no manufacturer column \(looked for \\"Imported Mfr Name\\"/,
    );
    const xls = await post(
      "/v1/sources/accuris/import",
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      "application/vnd.ms-excel",
    );
    expect(xls.status).toBe(422);
    expect(JSON.stringify(xls.body)).toMatch(/legacy binary \.xls/);
    const empty = await post("/v1/sources/accuris/import", "", "text/csv");
    expect(empty.status).toBe(422);
    const pdf = await post("/v1/sources/accuris/import", "%PDF-1.4", "application/pdf");
    expect(pdf.status).toBe(415);
    const big = await post(
      "/v1/sources/accuris/import",
      `Imported Mfr P/N\n${"x".repeat(70_000)}`,
      "text/csv",
    );
    expect(big.status).toBe(413);
    const badName = await post("/v1/sources/no%20spaces/import", ACCURIS_CSV, "text/csv");
    expect(badName.status).toBe(422);
    const badColumns = await post("/v1/sources/accuris/import?columns=colour%3DRed", ACCURIS_CSV, "text/csv");
    expect(badColumns.status).toBe(422);
  });
});
