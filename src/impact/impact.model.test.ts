import { describe, expect, it } from "vitest";
import { type AssemblyFacts, type AssessInput, assess } from "./impact.model.ts";
import { DEFAULT_IMPACT_SETTINGS, impactSettingsFromConfig } from "./impact.settings.ts";

// One product, 1,000 a year for exactly 2 years (730.5 days) from the as-of date, holding 2 of the part.
const PRODUCT: AssemblyFacts = {
  assemblyId: "P",
  annualDemand: 1000,
  unitPrice: 100,
  endOfProduction: "2028-12-01",
};
const base = (over: Partial<AssessInput> = {}): AssessInput => ({
  part: { manufacturer: "Acme", mpn: "X1", unitCost: 10, onHand: 0, onOrder: 0, status: "active" },
  assemblies: new Map([["P", PRODUCT]]),
  usages: [{ assemblyId: "P", qtyPerUnit: 2 }],
  holders: [{ holderId: "P", latestDemandEnd: "2028-12-01" }],
  alternates: [],
  status: "ltb",
  ltbDate: null,
  asOf: new Date("2026-12-01T15:00:00Z"),
  settings: DEFAULT_IMPACT_SETTINGS,
  ...over,
});

describe("impact model (DESIGN §6)", () => {
  it("computes demand, exposure and every option by hand", () => {
    const r = assess(base());
    const years = 731 / 365.25; // 2026-12-01 → 2028-12-01 spans a leap day
    expect(r.demand_units).toBe(Math.ceil(2 * 1000 * years * 1.03));
    expect(r.shortfall_units).toBe(r.demand_units);
    expect(r.revenue_at_risk).toBe(Math.round(1000 * years * 100 * 100) / 100);
    expect(r.options).toEqual({
      existing_stock: null,
      last_time_buy: Math.round(((r.demand_units * 10 * 0.2 * years) / 2) * 100) / 100,
      alternate: null,
      substitute: null,
      broker: r.demand_units * 10 * 2,
      redesign: 1_118_000,
    });
    expect(r.recommendation).toBe("last_time_buy");
    expect(r.counterfeit_risk).toBe(true);
    expect(r.assumptions.filter((a) => a.includes("not a published standard"))).toHaveLength(3);
  });

  it("recommends existing stock when supply covers demand, and takes the earlier option on a tie", () => {
    const covered = assess(base({ part: { ...base().part!, onHand: 10_000 } }));
    expect(covered).toMatchObject({
      shortfall_units: 0,
      revenue_at_risk: 0,
      recommendation: "existing_stock",
    });
    // existing_stock (0) and a free drop-in alternate with zero NRE tie at 0: existing stock wins.
    const tie = assess(
      base({
        part: { ...base().part!, onHand: 10_000 },
        alternates: [
          {
            kind: "drop_in",
            manufacturer: "Acme",
            mpn: "X2",
            altUnitCost: 1,
            partUnitCost: null,
            partStatus: null,
          },
        ],
        settings: { ...DEFAULT_IMPACT_SETTINGS, alternateNre: 0 },
      }),
    );
    expect(tie.options.alternate).toBe(0);
    expect(tie.recommendation).toBe("existing_stock");
  });

  it("skips alternates that are themselves going away, and costs one absent from parts as active", () => {
    const r = assess(
      base({
        alternates: [
          {
            kind: "drop_in",
            manufacturer: "Acme",
            mpn: "GONE",
            altUnitCost: 1,
            partUnitCost: 1,
            partStatus: "eol",
          },
          {
            kind: "drop_in",
            manufacturer: "Acme",
            mpn: "NEW",
            altUnitCost: 12,
            partUnitCost: null,
            partStatus: null,
          },
        ],
      }),
    );
    expect(r.alternate_part).toEqual({ manufacturer: "Acme", mpn: "NEW" });
    expect(r.options.alternate).toBe(Math.round((41_000 + 2 * r.shortfall_units) * 100) / 100);
  });

  it("closes the LTB window after its date and for obsolete parts; ignores ended or demand-less products", () => {
    expect(assess(base({ ltbDate: "2026-11-30" })).options.last_time_buy).toBeNull();
    expect(assess(base({ status: "obsolete" })).options.last_time_buy).toBeNull();
    const ended = assess(
      base({ assemblies: new Map([["P", { ...PRODUCT, endOfProduction: "2026-12-01" }]]) }),
    );
    expect(ended).toMatchObject({
      demand_units: 0,
      revenue_at_risk: 0,
      recommendation: "none",
      affected: [],
    });
    expect(assess(base({ part: null }))).toMatchObject({ part: null, recommendation: "none", pnl_impact: 0 });
  });

  it("takes every figure from settings (config overrides)", () => {
    const s = impactSettingsFromConfig({
      ATTRITION_RATE: 0,
      HOLDING_COST_RATE: 0.1,
      ALTERNATE_NRE: 1,
      SUBSTITUTE_NRE: 2,
      REDESIGN_NRE: 5,
      BROKER_PREMIUM: 1.5,
    });
    const r = assess(base({ settings: s }));
    expect(r.demand_units).toBe(Math.ceil(2 * 1000 * (731 / 365.25)));
    expect(r.options.redesign).toBe(5);
    expect(r.recommendation).toBe("redesign");
    expect(r.assumptions[0]).toBe("attrition 0% on demand: common practice, not a published standard");
  });
});
