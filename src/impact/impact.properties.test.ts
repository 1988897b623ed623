import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AssemblyFacts, type AssessInput, assess } from "./impact.model.ts";
import { DEFAULT_IMPACT_SETTINGS } from "./impact.settings.ts";
import { addDays, SEVERITIES } from "./impact.time.ts";

/**
 * Invariants of the §6b time view over random BOMs (fast-check): the run-out never comes earlier
 * with more stock, a bridge is never negative, severity never improves as a lead time grows, and
 * stressed demand is never below the base demand.
 */

const AS_OF = new Date("2026-12-01T00:00:00Z");

const assembly = fc.record({
  annualDemand: fc.integer({ min: 1, max: 200_000 }),
  unitPrice: fc.integer({ min: 0, max: 10_000 }),
  days: fc.integer({ min: 1, max: 4_000 }),
  qty: fc.integer({ min: 1, max: 40 }),
});

const scenario = fc.record({
  assemblies: fc.array(assembly, { minLength: 1, maxLength: 5 }),
  onHand: fc.integer({ min: 0, max: 2_000_000 }),
  onOrder: fc.integer({ min: 0, max: 100_000 }),
  unitCost: fc.double({ min: 0.001, max: 500, noNaN: true }),
  status: fc.constantFrom("ltb" as const, "eol" as const, "obsolete" as const),
  ltbOffsetDays: fc.option(fc.integer({ min: -400, max: 400 }), { nil: null }),
  alternates: fc.subarray(["drop_in", "substitute"] as const),
  growth: fc.double({ min: 0, max: 0.5, noNaN: true }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function input(s: Scenario, over: Partial<AssessInput> = {}): AssessInput {
  const assemblies = new Map<string, AssemblyFacts>();
  s.assemblies.forEach((a, i) => {
    assemblies.set(`A${i}`, {
      assemblyId: `A${i}`,
      annualDemand: a.annualDemand,
      unitPrice: a.unitPrice,
      endOfProduction: addDays("2026-12-01", a.days),
    });
  });
  return {
    part: {
      manufacturer: "Acme",
      mpn: "X1",
      unitCost: s.unitCost,
      onHand: s.onHand,
      onOrder: s.onOrder,
      status: "active",
    },
    assemblies,
    usages: s.assemblies.map((a, i) => ({ assemblyId: `A${i}`, qtyPerUnit: a.qty })),
    holders: s.assemblies.map((a, i) => ({
      holderId: `A${i}`,
      latestDemandEnd: addDays("2026-12-01", a.days),
    })),
    alternates: s.alternates.map((kind) => ({
      kind,
      manufacturer: "Acme",
      mpn: `ALT-${kind}`,
      altUnitCost: s.unitCost * 1.1,
      partUnitCost: null,
      partStatus: null,
    })),
    status: s.status,
    ltbDate: s.ltbOffsetDays === null ? null : addDays("2026-12-01", s.ltbOffsetDays),
    asOf: AS_OF,
    settings: { ...DEFAULT_IMPACT_SETTINGS, demandStressGrowth: s.growth },
    ...over,
  };
}

/** A run-out date, or "never" (covered) as the latest possible. */
const runOutKey = (d: string | null) => d ?? "9999-12-31";

describe("§6b invariants (property-based)", () => {
  it("the run-out moves later (or stays) when stock grows", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 1_000_000 }), (s, more) => {
        const before = assess(input(s));
        const after = assess(input({ ...s, onHand: s.onHand + more }));
        expect(runOutKey(after.run_out_date) >= runOutKey(before.run_out_date)).toBe(true);
        expect(after.coverage_months).toBeGreaterThanOrEqual(before.coverage_months);
      }),
    );
  });

  it("a bridge is never negative, and present only for a feasible option with a shortfall", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = assess(input(s));
        for (const [kind, b] of Object.entries(r.bridges)) {
          if (b === null) continue;
          expect(b.units).toBeGreaterThan(0);
          expect(b.units).toBeLessThanOrEqual(r.shortfall_units);
          expect(r.options[kind as "alternate" | "substitute" | "redesign"]).not.toBeNull();
        }
        for (const cost of Object.values(r.options))
          if (cost !== null) expect(cost).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("severity never improves when a lead time grows", () => {
    const lead = fc.double({ min: 0, max: 60, noNaN: true });
    fc.assert(
      fc.property(
        scenario,
        lead,
        lead,
        fc.constantFrom("alternate", "substitute", "redesign"),
        (s, a, b, which) => {
          const [short, long] = a <= b ? [a, b] : [b, a];
          const key = `${which}LeadMonths` as const;
          const rank = (months: number) =>
            SEVERITIES.indexOf(
              assess(input(s, { settings: { ...DEFAULT_IMPACT_SETTINGS, [key]: months } })).severity,
            );
          expect(rank(long)).toBeGreaterThanOrEqual(rank(short));
        },
      ),
    );
  });

  it("stressed demand is never below the base demand, nor its shortfall or run-out kinder", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = assess(input(s));
        expect(r.stress).not.toBeNull();
        expect(r.stress!.demand_units).toBeGreaterThanOrEqual(r.demand_units);
        expect(r.stress!.shortfall_units).toBeGreaterThanOrEqual(r.shortfall_units);
        expect(runOutKey(r.stress!.run_out_date) <= runOutKey(r.run_out_date)).toBe(true);
      }),
    );
  });
});
