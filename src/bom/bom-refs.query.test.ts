import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { extractFromText } from "../extract/extract.ts";
import type { SqlDriver } from "../store/driver.ts";
import { importBom } from "./bom.import.ts";
import { bomRefsSource } from "./bom-refs.query.ts";
import { BomScannerCache } from "./bom-scanner.cache.ts";

const text = (name: string, body: string) => ({ name, open: () => Readable.from([body]) });
const PARTS = `manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status
Texas Instruments,TPS54331D,0.35,100,0,active
Linear Technology,LT1763IS8-2.5#TRPBF,1.2,0,0,NRND
`;
const ALTERNATES = `manufacturer,mpn,alt_manufacturer,alt_mpn,kind,alt_unit_cost
Texas Instruments,TPS54331D,Texas Instruments,TPS54331DR,substitute,0.31
`;

describeEachStore("BOM scan references from the stored BOM", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());

  it("builds the automaton from the imported parts and alternates, and again after an import", async () => {
    const cache = new BomScannerCache(bomRefsSource(db));
    expect(await cache.get()).toBeNull();
    await importBom(db, { parts: text("parts.csv", PARTS) });
    const first = await cache.get();
    expect(first?.size).toBe(2);
    expect(await cache.get()).toBe(first);
    await importBom(db, { parts: text("parts.csv", PARTS), alternates: text("alternates.csv", ALTERNATES) });
    const second = await cache.get();
    expect(second).not.toBe(first);
    expect(second?.size).toBe(3);

    // Through extraction: a BOM part the rules miss (named after a table, in a sentence) is reported.
    const r = extractFromText(
      [
        "The parts below are discontinued. Last time buy: 2027-01-31.",
        "",
        "| Part number | Replacement |",
        "|---|---|",
        "| LM317TG | None |",
        "",
        "The LT1763IS8-2.5 is affected as well.",
      ].join("\n"),
      { now: new Date("2026-06-01"), subject: "PDN-1", from: "pcn@ti.com", bom: second },
    );
    expect(r.notices.map((n) => [n.mpn, n.matched_by, n.evidence?.bom_mpn ?? null])).toEqual([
      ["LM317TG", "rules", null],
      ["LT1763IS8-2.5", "bom_scan", "LT1763IS8-2.5#TRPBF"],
    ]);
  });
});
