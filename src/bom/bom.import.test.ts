import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import type { SqlDriver } from "../store/driver.ts";
import { findCycle } from "./bom.cycles.ts";
import { type BomSources, type ImportOutcome, importBom } from "./bom.import.ts";
import { matchParts, whereUsed } from "./bom.repository.ts";

const text = (name: string, body: string) => ({ name, open: () => Readable.from([body]) });

const ASSEMBLIES = `assembly_id,name,annual_demand,unit_price,end_of_production,notify_channel
PRD-A,Product A,100,500,2030-12-31,ops
PRD-B,Product B,50,900,2031-06-30,
SUB-1,Board 1,0,0,2031-12-31,
SUB-2,Board 2,0,0,2031-12-31,
`;
const PARTS = `manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status
Texas Instruments,TPS54331D,0.35,100,0,active
Linear Technology,LT1763IS8-2.5#TRPBF,1.2,0,0,NRND
Nexperia,"BC807-25,235",0.01,0,0,active
Nexperia,"BC807-25,215",0.02,0,0,active
`;
// PRD-A → SUB-1 (×2) → TPS54331D ×3, PRD-A → SUB-2 → SUB-1 → TPS54331D: two paths into PRD-A.
const BOM = `parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per
PRD-A,assembly,SUB-1,,2
PRD-A,assembly,SUB-2,,1
SUB-2,assembly,SUB-1,,1.5
SUB-1,part,TPS54331D,Texas Instruments,3
PRD-B,part,TPS54331D,,1
PRD-B,part,LT1763IS8-2.5#TRPBF,Analog Devices,2
`;
const good = (): BomSources => ({
  assemblies: text("assemblies.csv", ASSEMBLIES),
  parts: text("parts.csv", PARTS),
  bom: text("bom.csv", BOM),
});

const rejected = (r: ImportOutcome) => {
  if (r.kind !== "rejected") throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
  return r.errors;
};

async function count(db: SqlDriver, table: string): Promise<number> {
  return (await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
}

describe("findCycle", () => {
  it("names the cycle and the file line that closes it", () => {
    const c = findCycle([
      { parent: "A", child: "B", line: 2 },
      { parent: "B", child: "C", line: null },
      { parent: "C", child: "A", line: 7 },
    ]);
    expect(c).toEqual({ path: ["A", "B", "C", "A"], line: 7 });
  });
  it("accepts a diamond (shared sub-assembly)", () => {
    expect(
      findCycle([
        { parent: "A", child: "B", line: 1 },
        { parent: "A", child: "C", line: 2 },
        { parent: "B", child: "D", line: 3 },
        { parent: "C", child: "D", line: 4 },
      ]),
    ).toBeNull();
  });
});

describeEachStore("BOM import", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.exec(
      "delete from assembly_closure; delete from bom_lines; delete from part_alternates; delete from parts; delete from assemblies",
    );
  });

  it("imports, sums quantities over every path, and re-imports to the same state", async () => {
    const r = await importBom(db, good());
    expect(r).toMatchObject({
      kind: "imported",
      counts: { assemblies: 4, parts: 4, alternates: 0, bom_lines: 6 },
      changedParts: 4,
    });
    const [tps] = await matchParts(db, "Texas Instruments", "tps54331d");
    const used = await whereUsed(db, tps!.id);
    expect(used.holders).toEqual([
      { holderId: "PRD-B", latestDemandEnd: "2031-06-30" },
      { holderId: "SUB-1", latestDemandEnd: "2030-12-31" },
    ]);
    expect(used.assemblies.map((u) => [u.assembly_id, u.qty_per_unit, u.direct])).toEqual([
      ["PRD-A", 2 * 3 + 1 * 1.5 * 3, false],
      ["PRD-B", 1, true],
      ["SUB-1", 3, true],
      ["SUB-2", 4.5, false],
    ]);
    // The same files again: a new BOM version that changes nothing.
    const again = await importBom(db, good());
    expect(again).toMatchObject({ kind: "imported", changedParts: 0, changed: [] });
    expect(again.kind === "imported" && r.kind === "imported" && again.version > r.version).toBe(true);
    expect([await count(db, "assemblies"), await count(db, "parts"), await count(db, "bom_lines")]).toEqual([
      4, 4, 6,
    ]);
  });

  it("logs the parts an import changes: the row, a BOM line, an assembly above, an alternate", async () => {
    await importBom(db, good());
    const changed = async (sources: BomSources) => {
      const r = await importBom(db, sources);
      if (r.kind !== "imported") throw new Error(JSON.stringify(r));
      return r.changed.map((c) => c.mpnNorm).sort();
    };
    // A part's own row: only that part.
    expect(await changed({ parts: text("parts.csv", PARTS.replace("0.35,100", "0.35,250")) })).toEqual([
      "TPS54331D",
    ]);
    // A quantity on one parent's BOM: the part on that line only.
    expect(
      await changed({
        bom: text(
          "bom.csv",
          `${BOM.split("\n")[0]}\nPRD-B,part,TPS54331D,,2\nPRD-B,part,LT1763IS8-2.5#TRPBF,Analog Devices,2\n`,
        ),
      }),
    ).toEqual(["TPS54331D"]);
    // An assembly's demand: every part under it, through sub-assemblies.
    expect(
      await changed({
        assemblies: text("assemblies.csv", ASSEMBLIES.replace("PRD-A,Product A,100", "PRD-A,Product A,120")),
      }),
    ).toEqual(["TPS54331D"]);
    // The same file again: nothing changed, nothing logged.
    expect(
      await changed({
        assemblies: text("assemblies.csv", ASSEMBLIES.replace("PRD-A,Product A,100", "PRD-A,Product A,120")),
      }),
    ).toEqual([]);
    // An alternate row: the part it is an alternate of; the alternate's own row changing: the same.
    const ALT =
      'manufacturer,mpn,alt_manufacturer,alt_mpn,kind,alt_unit_cost\nTexas Instruments,TPS54331D,Nexperia,"BC807-25,215",drop_in,0.5\n';
    expect(await changed({ alternates: text("alternates.csv", ALT) })).toEqual(["TPS54331D"]);
    expect(
      await changed({ parts: text("parts.csv", PARTS.replace("0.02,0,0,active", "0.02,0,0,obsolete")) }),
    ).toEqual(["BC807-25,215", "TPS54331D"]);
  });

  it("replaces the lines of a parent named again, and keeps other parents' lines", async () => {
    await importBom(db, good());
    const r = await importBom(db, {
      bom: text(
        "bom.csv",
        "parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per\nPRD-B,part,TPS54331D,,4\n",
      ),
    });
    expect(r.kind).toBe("imported");
    const rows = await db.query<{ parent: string; qty: number }>(
      "select parent_assembly_id as parent, qty_per::float8 as qty from bom_lines where parent_assembly_id = 'PRD-B'",
    );
    expect(rows.rows).toEqual([{ parent: "PRD-B", qty: 4 }]);
    expect(await count(db, "bom_lines")).toBe(5);
  });

  it("matches a Linear part under Analog Devices, and an exact MPN before its packaging variant", async () => {
    await importBom(db, good());
    expect((await matchParts(db, "Analog Devices", "LT1763IS8-2.5#TRPBF")).map((p) => p.mpn)).toEqual([
      "LT1763IS8-2.5#TRPBF",
    ]);
    expect((await matchParts(db, "Nexperia", "bc807-25,235")).map((p) => p.mpn)).toEqual(["BC807-25,235"]);
    expect((await matchParts(db, null, "TPS54331D")).length).toBe(1);
    expect(await matchParts(db, "onsemi", "TPS54331D")).toEqual([]);
  });

  it("rejects bad numbers and dates with file and line, and applies nothing", async () => {
    const errors = rejected(
      await importBom(db, {
        assemblies: text(
          "assemblies.csv",
          `${ASSEMBLIES}X-1,Bad,12 pcs,5,2030-01-01,\nX-2,Bad,1,-5,2030-01-01,\nX-3,Bad,1,5,2027-02-30,\nX-4,Bad,1,5,31/12/2030,\nPRD-A,Again,1,1,2030-01-01,\n`,
        ),
        parts: text(
          "parts.csv",
          `${PARTS}Acme,P-1,1e3,0,0,active\nAcme,P-2,1,1.5,0,active\n,P-3,1,0,0,active\n`,
        ),
      }),
    );
    expect(errors).toEqual([
      { file: "assemblies.csv", row: 6, reason: 'annual_demand "12 pcs" is not a non-negative number' },
      { file: "assemblies.csv", row: 7, reason: 'unit_price "-5" is not a non-negative number' },
      { file: "assemblies.csv", row: 8, reason: 'end_of_production "2027-02-30" is not a date (YYYY-MM-DD)' },
      { file: "assemblies.csv", row: 9, reason: 'end_of_production "31/12/2030" is not a date (YYYY-MM-DD)' },
      { file: "assemblies.csv", row: 10, reason: "duplicate assembly_id PRD-A (first at line 2)" },
      { file: "parts.csv", row: 6, reason: 'unit_cost "1e3" is not a non-negative number' },
      { file: "parts.csv", row: 7, reason: 'on_hand "1.5" is not a non-negative whole number' },
      { file: "parts.csv", row: 8, reason: "manufacturer is empty" },
    ]);
    expect([await count(db, "assemblies"), await count(db, "parts")]).toEqual([0, 0]);
  });

  it("rejects a BOM line naming an unknown part or assembly, or with a cell too many", async () => {
    const errors = rejected(
      await importBom(db, {
        ...good(),
        bom: text(
          "bom.csv",
          `${BOM}PRD-Z,part,TPS54331D,,1\nPRD-A,assembly,SUB-9,,1\nPRD-A,part,NOPE-1,Acme,1\nPRD-B,part,BC807-25,235,,1\n`,
        ),
      }),
    );
    expect(errors).toEqual([
      { file: "bom.csv", row: 8, reason: "unknown assembly PRD-Z (parent_assembly_id)" },
      { file: "bom.csv", row: 9, reason: "unknown assembly SUB-9 (child_ref)" },
      {
        file: "bom.csv",
        row: 10,
        reason: "unknown part NOPE-1: not in parts.csv nor the store for that maker",
      },
      { file: "bom.csv", row: 11, reason: "6 cells where the header has 5" },
    ]);
    expect(await count(db, "parts")).toBe(0);
  });

  it("rejects a zero quantity, a bad child type and a duplicate line", async () => {
    const errors = rejected(
      await importBom(db, {
        ...good(),
        bom: text(
          "bom.csv",
          `${BOM}PRD-A,widget,X,,1\nSUB-2,part,TPS54331D,,0\nSUB-1,part,tps54331d,Texas Instruments,1\n`,
        ),
      }),
    );
    expect(errors).toEqual([
      { file: "bom.csv", row: 8, reason: 'child_type "widget" must be part or assembly' },
      { file: "bom.csv", row: 9, reason: "qty_per must be greater than 0" },
    ]);
    const dup = rejected(
      await importBom(db, {
        ...good(),
        bom: text("bom.csv", `${BOM}SUB-1,part,tps54331d,Texas Instruments,1\n`),
      }),
    );
    expect(dup).toEqual([{ file: "bom.csv", row: 8, reason: "duplicate line for SUB-1 (first at line 5)" }]);
  });

  it("rejects a cycle, naming it, including one closed through lines already stored", async () => {
    await importBom(db, good());
    const errors = rejected(
      await importBom(db, {
        bom: text(
          "bom.csv",
          "parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per\nSUB-1,assembly,PRD-A,,1\n",
        ),
      }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.row).toBe(2);
    expect(errors[0]!.reason).toMatch(
      /^cycle in the BOM: (PRD-A → SUB-1 → PRD-A|SUB-1 → PRD-A → SUB-1|.*SUB-2.*)$/,
    );
    expect(await count(db, "bom_lines")).toBe(6);
    const self = rejected(
      await importBom(db, {
        bom: text(
          "bom.csv",
          "parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per\nSUB-1,assembly,SUB-1,,1\n",
        ),
      }),
    );
    expect(self).toEqual([{ file: "bom.csv", row: 2, reason: "cycle: SUB-1 → SUB-1" }]);
  });

  it("rejects missing or unknown columns, an empty file, and alternates of unknown parts", async () => {
    const errors = rejected(
      await importBom(db, {
        assemblies: text("a.csv", "assembly_id,name,annual_demand\nX,Y,1\n"),
        parts: text("p.csv", "manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status,colour\n"),
        alternates: text(
          "alt.csv",
          "manufacturer,mpn,alt_manufacturer,alt_mpn,kind,alt_unit_cost\nAcme,P-9,Acme,P-10,drop_in,1\nAcme,P-9,Acme,P-10,maybe,1\n",
        ),
      }),
    );
    expect(errors).toEqual([
      { file: "a.csv", row: 1, reason: "missing column(s): unit_price, end_of_production" },
      {
        file: "p.csv",
        row: 1,
        reason:
          "unknown column(s): colour (expected manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status)",
      },
      { file: "alt.csv", row: 2, reason: "unknown part Acme P-9: not in parts.csv nor the store" },
      { file: "alt.csv", row: 3, reason: 'kind "maybe" must be drop_in or substitute' },
    ]);
    expect(rejected(await importBom(db, {}))[0]!.reason).toMatch(/no file given/);
  });
});
