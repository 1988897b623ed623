import { describe, expect, it } from "vitest";
import {
  addDays,
  bridgeUnits,
  DAYS_PER_MONTH,
  decisionBy,
  drawsOf,
  growingDemand,
  linearDemand,
  monthsOf,
  severityOf,
} from "./impact.time.ts";

// Two assemblies: A draws 10 a day for 100 days, B 5 a day for 300 days.
const DRAWS = [
  { perDay: 10, endDay: 100 },
  { perDay: 5, endDay: 300 },
];

describe("consumption curve C(x) (§6b.1)", () => {
  it("sums each draw until its end of production", () => {
    const c = linearDemand(DRAWS);
    expect(c.at(0)).toBe(0);
    expect(c.at(50)).toBe(750);
    expect(c.at(100)).toBe(1500);
    expect(c.at(200)).toBe(2000);
    expect(c.at(300)).toBe(2500);
    expect(c.at(1000)).toBe(2500);
  });

  it("finds the first day demand reaches the stock, on either side of an end of production", () => {
    const c = linearDemand(DRAWS);
    expect(c.reach(0)).toBe(0);
    expect(c.reach(750)).toBe(50);
    expect(c.reach(1500)).toBe(100);
    expect(c.reach(1750)).toBe(150);
    expect(c.reach(2500)).toBe(300);
    expect(c.reach(2500.5)).toBeNull();
  });

  it("derives each draw from quantity, annual demand and attrition", () => {
    expect(drawsOf([{ qtyPerUnit: 2, annualDemand: 365.25, endDay: 10 }], 0.5)).toEqual([
      { perDay: 3, endDay: 10 },
    ]);
  });
});

describe("stress curve C_g(x) (§6b.6)", () => {
  it("compounds continuously: one year of 5 % growth draws r × 365.25 × 0.05 / ln 1.05", () => {
    const c = growingDemand([{ perDay: 1, endDay: 10_000 }], 0.05);
    expect(c.at(365.25)).toBeCloseTo((365.25 * 0.05) / Math.log(1.05), 9);
    expect(c.at(365.25)).toBeGreaterThan(365.25);
  });

  it("inverts exactly across segments, and is C itself at zero growth", () => {
    const c = growingDemand(DRAWS, 0.2);
    for (const s of [1, 600, 1499, 1800, 2600]) expect(c.at(c.reach(s)!)).toBeCloseTo(s, 6);
    expect(c.reach(c.at(300) + 1)).toBeNull();
    expect(growingDemand(DRAWS, 0).at(200)).toBe(2000);
  });
});

describe("bridges, dates and months", () => {
  it("bridges the lead time with stock, never below zero, capped at the last end of production", () => {
    const c = linearDemand(DRAWS);
    expect(bridgeUnits(c, 50, 300, 0)).toBe(750);
    expect(bridgeUnits(c, 50, 300, 700)).toBe(50);
    expect(bridgeUnits(c, 50, 300, 5000)).toBe(0);
    expect(bridgeUnits(c, 10_000, 300, 0)).toBe(2500);
    // 10.5 units needed: a whole unit more.
    expect(bridgeUnits(linearDemand([{ perDay: 1, endDay: 100 }]), 10.5, 100, 0)).toBe(11);
  });

  it("counts months of 365.25/12 days and drops the fraction of a day", () => {
    expect(DAYS_PER_MONTH).toBe(30.4375);
    expect(monthsOf(18 * 30.4375)).toBe(18);
    expect(monthsOf(124.9)).toBe(4.1);
    expect(addDays("2026-12-01", 125.9)).toBe("2027-04-05");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2028-08-12", -182.625)).toBe("2028-02-11");
  });
});

describe("severity (§6b.4)", () => {
  const sev = (coverageMonths: number, buyWindowOpen = true, covered = false) =>
    severityOf({ covered, coverageMonths, quickestLeadMonths: 6, buyWindowOpen });
  it("grades coverage against the quickest lead time and the buy window", () => {
    expect(sev(100, true, true)).toBe("none");
    expect(sev(5.9)).toBe("high");
    expect(sev(5.9, false)).toBe("critical");
    expect(sev(6)).toBe("medium");
    expect(sev(17.9, false)).toBe("medium");
    expect(sev(18)).toBe("low");
  });
});

describe("decide by (§6b.5)", () => {
  const at = (recommendation: string, over: Partial<Parameters<typeof decisionBy>[0]> = {}) =>
    decisionBy({
      recommendation,
      today: "2026-12-01",
      runOut: "2027-06-01",
      ltbDate: "2027-03-31",
      buyWindowOpen: true,
      leadDays: null,
      bridged: false,
      ...over,
    });
  it("follows the recommended option", () => {
    expect(at("none")).toBeNull();
    expect(at("existing_stock")).toBeNull();
    expect(at("last_time_buy")).toBe("2027-03-31");
    expect(at("last_time_buy", { ltbDate: null })).toBe("2027-06-01");
    expect(at("broker")).toBe("2027-06-01");
  });

  it("starts an unbridged engineering option its lead time before the run-out, never before today", () => {
    expect(at("redesign", { leadDays: 10 })).toBe("2027-05-22");
    expect(at("redesign", { leadDays: 18 * DAYS_PER_MONTH })).toBe("2026-12-01");
  });

  it("decides a bridged one by the LTB date while the window is open, else today", () => {
    expect(at("alternate", { leadDays: 100, bridged: true })).toBe("2027-03-31");
    expect(at("alternate", { leadDays: 100, bridged: true, ltbDate: null })).toBe("2026-12-01");
    expect(at("substitute", { leadDays: 100, bridged: true, buyWindowOpen: false })).toBe("2026-12-01");
  });
});
