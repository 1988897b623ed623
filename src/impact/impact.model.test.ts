import { describe, expect, it } from "vitest";
import { type AlternateFacts, type AssemblyFacts, type AssessInput, assess } from "./impact.model.ts";
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

// Per day the product draws r = 2 × 1000 × 1.03 / 365.25 units; 18 months (547.875 days) are exactly
// 1.5 years, so a redesign's bridge is C(547.875) = 2060 × 1.5 = 3090 units, an alternate's 1030.
const DRAW = 2060;

describe("impact model (DESIGN §6, amended by §6b.3)", () => {
  it("computes demand, exposure and every option by hand, the engineering ones with their bridge", () => {
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
      // One holder; its 3,090-unit bridge is bought at the LTB and held half of 1.5 years at 20 %.
      redesign: 1_118_000 + (3090 * 10 * 0.2 * 1.5) / 2,
    });
    expect(r.bridges).toEqual({
      alternate: null,
      substitute: null,
      redesign: { units: 3090, source: "last_time_buy" },
    });
    expect(r.recommendation).toBe("last_time_buy");
    expect(r.counterfeit_risk).toBe(true);
    expect(r.assumptions.filter((a) => a.includes("not a published standard"))).toHaveLength(5);
    expect(r.assumptions.filter((a) => a.includes("notional planning figure"))).toHaveLength(2);
  });

  it("recommends existing stock when supply covers demand, and takes the earlier option on a tie", () => {
    const covered = assess(base({ part: { ...base().part!, onHand: 10_000 } }));
    expect(covered).toMatchObject({
      shortfall_units: 0,
      revenue_at_risk: 0,
      recommendation: "existing_stock",
      covered: true,
      run_out_date: null,
      severity: "none",
      decision_by: null,
      bridges: { alternate: null, substitute: null, redesign: null },
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

  it("skips alternates that are themselves going away; the price difference applies after the bridge", () => {
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
    expect(r.bridges.alternate).toEqual({ units: DRAW / 2, source: "last_time_buy" });
    // NRE + the 1,030-unit bridge held half of 6 months + 2 more per unit on the 4,123 − 1,030 after it.
    expect(r.options.alternate).toBe(41_000 + (1030 * 10 * 0.2 * 0.5) / 2 + 2 * (4123 - 1030));
  });

  it("buys the bridge from a broker once the buy window is closed", () => {
    const r = assess(base({ ltbDate: "2026-11-30" }));
    expect(r.options.last_time_buy).toBeNull();
    expect(r.bridges.redesign).toEqual({ units: 3090, source: "broker" });
    expect(r.options.redesign).toBe(1_118_000 + 3090 * 10 * 2);
    expect(r.recommendation).toBe("broker");
    expect(r).toMatchObject({ severity: "critical", decision_by: "2026-12-01", run_out_date: "2026-12-01" });
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
      covered: true,
      coverage_months: 0,
      severity: "none",
      bridges: {},
      stress: null,
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
      ALTERNATE_LEAD_MONTHS: 1,
      SUBSTITUTE_LEAD_MONTHS: 2,
      REDESIGN_LEAD_MONTHS: 0,
      DEMAND_STRESS_GROWTH: 0.1,
      CURRENCY: "EUR",
    });
    const r = assess(base({ settings: s }));
    expect(r.currency).toBe("EUR");
    expect(r.demand_units).toBe(Math.ceil(2 * 1000 * (731 / 365.25)));
    // A redesign qualified at once needs no bridge.
    expect(r.bridges.redesign).toBeNull();
    expect(r.options.redesign).toBe(5);
    expect(r.recommendation).toBe("redesign");
    expect(r.lead_months).toEqual({ alternate: 1, substitute: 2, redesign: 0 });
    expect(r.stress?.growth).toBe(0.1);
    expect(r.assumptions[0]).toBe("attrition 0% on demand: common practice, not a published standard");
  });
});

describe("§6 step 0: supply ends only for ltb, eol and obsolete", () => {
  it.each(["active", "nrnd", "preliminary", "transferred", "unknown"] as const)(
    "%s: demand, supply and the affected set, but nothing to buy, bridge or decide",
    (status) => {
      const r = assess(base({ status, part: { ...base().part!, onHand: 7 } }));
      expect(r).toMatchObject({
        demand_units: 4123,
        supply_units: 7,
        shortfall_units: 0,
        revenue_at_risk: 0,
        pnl_impact: 0,
        recommendation: "none",
        affected: [["P", 2]],
        supply_ends: false,
        covered: true,
        run_out_date: null,
        // Counted to the last end of production: 731 days.
        coverage_months: 24,
        severity: "none",
        decision_by: null,
        bridges: {},
        stress: null,
      });
      expect(Object.values(r.options).every((c) => c === null)).toBe(true);
    },
  );

  it("uses the part's stored status when the notice gives none", () => {
    expect(assess(base({ status: null })).recommendation).toBe("none");
    expect(assess(base({ status: null, part: { ...base().part!, status: "eol" } })).recommendation).not.toBe(
      "none",
    );
  });
});

/** An alternate of the part's own price, usable unless `over` says otherwise. */
const alternate = (kind: "drop_in" | "substitute", over: Partial<AlternateFacts> = {}): AlternateFacts => ({
  kind,
  manufacturer: "Acme",
  mpn: `X-${kind}`,
  altUnitCost: 10,
  partUnitCost: null,
  partStatus: null,
  ...over,
});
/** A drop-in alternate with no NRE and no price difference: the cheapest option whenever feasible. */
const FREE_DROP_IN = {
  alternates: [alternate("drop_in")],
  settings: { ...DEFAULT_IMPACT_SETTINGS, alternateNre: 0 },
};

describe("§6b time view of an assessment", () => {
  it("dates the run-out and decides an unbridged engineering option by run-out minus its lead time", () => {
    // 3,500 in stock last 3500 / (2060 / 365.25) = 620.57 days: to 2028-08-12, 20.4 months.
    const r = assess(base({ part: { ...base().part!, onHand: 3500 }, ...FREE_DROP_IN }));
    expect(r).toMatchObject({
      covered: false,
      run_out_date: "2028-08-12",
      coverage_months: 20.4,
      recommendation: "alternate",
      bridges: { alternate: null, substitute: null, redesign: null },
      // 2028-08-12 minus 182.625 days, as a calendar day.
      decision_by: "2028-02-11",
      // The quickest feasible option (an alternate, 6 months) + 12 < 20.4 months.
      severity: "low",
    });
  });

  it("decides a bridged engineering option by the LTB date while the window is open, else now", () => {
    const open = assess(base({ ...FREE_DROP_IN, ltbDate: "2027-05-31" }));
    expect(open).toMatchObject({ recommendation: "alternate", decision_by: "2027-05-31", severity: "high" });
    const unknownDate = assess(base(FREE_DROP_IN));
    expect(unknownDate).toMatchObject({ recommendation: "alternate", decision_by: "2026-12-01" });
  });

  it("grades severity against the quickest feasible option's lead time", () => {
    const stock = (onHand: number, over: Partial<AssessInput> = {}) =>
      assess(base({ part: { ...base().part!, onHand }, ...over }));
    // Redesign is the only engineering option (18 months); 2,060 a year is 171.67 a month.
    expect(stock(2900)).toMatchObject({ coverage_months: 16.9, severity: "high" });
    expect(stock(2900, { status: "obsolete" }).severity).toBe("critical");
    expect(stock(3300)).toMatchObject({ coverage_months: 19.2, severity: "medium" });
    // With a drop-in alternate (6 months), 16.9 months lie between L and L + 12, 19.2 beyond.
    const withAlternate = { alternates: [alternate("substitute"), alternate("drop_in")] };
    expect(stock(2900, withAlternate).severity).toBe("medium");
    expect(stock(3300, withAlternate).severity).toBe("low");
    // An alternate that is itself going away is not feasible, so it sets no lead time: the
    // substitute (9 months) does, and 19.2 lies between 9 and 21.
    const goneAlternate = {
      alternates: [alternate("substitute"), alternate("drop_in", { partStatus: "obsolete" })],
    };
    expect(stock(3300, goneAlternate).severity).toBe("medium");
  });

  it("stresses demand growing 5 % a year, compounded continuously", () => {
    const r = assess(base({ part: { ...base().part!, onHand: 1000 } }));
    const k = 365.25 / Math.log(1.05);
    const want = Math.ceil((DRAW / 365.25) * k * (1.05 ** (731 / 365.25) - 1));
    expect(r.stress).toMatchObject({ growth: 0.05, demand_units: want, shortfall_units: want - 1000 });
    expect(r.stress!.demand_units).toBeGreaterThan(r.demand_units);
    expect(r.stress!.run_out_date! <= r.run_out_date!).toBe(true);
  });
});
