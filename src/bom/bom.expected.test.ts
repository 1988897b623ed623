import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../impact/impact.settings.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import type { SqlDriver } from "../store/driver.ts";
import { assessPart } from "./bom.assess.ts";
import { bomSourcesFromDir } from "./bom.files.ts";
import { importBom } from "./bom.import.ts";

const CORPUS = "/work/shared/corpus/bom";

interface ExpectedCase {
  case: { mpn: string; manufacturer: string | null; status: string; ltb_date?: string | null; as_of: string };
  expect: Record<string, unknown>;
}
const cases = JSON.parse(readFileSync(`${CORPUS}/expected.json`, "utf8")) as ExpectedCase[];

describeEachStore("impact model over the imported corpus graph", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
    const r = await importBom(db, bomSourcesFromDir(CORPUS));
    expect(r.kind).toBe("imported");
  });
  afterAll(() => db.close());

  it.each(cases.map((c, i) => [`${i} ${c.case.mpn} ${c.case.status}`, c] as const))("%s", async (_n, c) => {
    const out = await assessPart(db, {
      manufacturer: c.case.manufacturer,
      mpn: c.case.mpn,
      status: LifecycleStatus.parse(c.case.status),
      ltbDate: c.case.ltb_date ?? null,
      asOf: new Date(`${c.case.as_of}T00:00:00Z`),
      settings: DEFAULT_IMPACT_SETTINGS,
    });
    if (out.kind !== "assessed") throw new Error(`ambiguous: ${JSON.stringify(out)}`);
    // Every field the reference gives: money to the cent, units exactly, dates to the day; bridge
    // and stress units within one (curves solved in floating point on both sides).
    const got = out.result as unknown as Record<string, unknown>;
    for (const [field, want] of Object.entries(c.expect)) {
      expect({ field, got: withinOneUnit(field, got[field], want) }).toEqual({ field, got: want });
    }
  });

  it("lists near misses of the same die and family, never in exposure", async () => {
    const near = async (mpn: string, manufacturer: string | null) => {
      const out = await assessPart(db, {
        manufacturer,
        mpn,
        status: "ltb",
        ltbDate: "2027-03-31",
        asOf: new Date("2026-12-01T00:00:00Z"),
        settings: DEFAULT_IMPACT_SETTINGS,
      });
      if (out.kind !== "assessed") throw new Error("ambiguous");
      return out.result;
    };
    const lt = await near("LT1763CS8-3.3#TRPBF", "Analog Devices");
    expect(lt.near_misses).toEqual([
      {
        manufacturer: "Analog Devices",
        mpn: "LT1763IS8-2.5#TRPBF",
        lifecycle_status: "active",
        used_on: expect.any(Array),
      },
    ]);
    expect(lt.near_misses[0]!.used_on.length).toBeGreaterThan(0);
    expect((await near("CY7C68013A-56PVXC", "Cypress")).near_misses.map((n) => n.mpn)).toEqual([
      "CY7C68013A-128AXC",
    ]);
    // The reel variant TPS54331DR is an alternate on no BOM line: not a near miss.
    expect((await near("TPS54331D", "Texas Instruments")).near_misses).toEqual([]);
    // A notice for an orderable the BOM does not hold: no exposure, but the BOM's variant to review.
    const unheld = await near("TPS54331DDAR", "Texas Instruments");
    expect(unheld).toMatchObject({ part: null, revenue_at_risk: 0, recommendation: "none" });
    expect(unheld.near_misses.map((n) => n.mpn)).toEqual(["TPS54331D"]);
    // Another maker's part of the same number is a second source, not a near miss.
    expect((await near("TPS54331DDAR", "onsemi")).near_misses).toEqual([]);
  });
});

/** `got`, or `want` itself when they differ only by at most one unit in a bridge or the stress case. */
function withinOneUnit(field: string, got: unknown, want: unknown): unknown {
  const close = (a: unknown, b: unknown) =>
    typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1;
  if (field === "bridges" && got && want && typeof got === "object" && typeof want === "object") {
    const w = want as Record<string, { units: number; source: string } | null>;
    const g = got as Record<string, { units: number; source: string } | null>;
    const keys = new Set([...Object.keys(w), ...Object.keys(g)]);
    const same = [...keys].every((k) =>
      w[k] === null || g[k] === null
        ? w[k] === g[k]
        : w[k]!.source === g[k]!.source && close(w[k]!.units, g[k]!.units),
    );
    return same ? want : got;
  }
  if (field === "stress" && got && want && typeof got === "object" && typeof want === "object") {
    const w = want as Record<string, unknown>;
    const g = got as Record<string, unknown>;
    const same =
      w.growth === g.growth &&
      w.run_out_date === g.run_out_date &&
      close(w.demand_units, g.demand_units) &&
      close(w.shortfall_units, g.shortfall_units);
    return same ? want : got;
  }
  return got;
}
