import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.ts";
import { DEFAULT_IMPACT_SETTINGS, impactSettingsFromConfig } from "./impact.settings.ts";

describe("time-view settings (DESIGN §6b)", () => {
  it("default to 6, 9 and 18 months and 5 % growth, the model's own defaults", () => {
    const s = impactSettingsFromConfig(loadConfig({}).impact);
    expect(s).toEqual(DEFAULT_IMPACT_SETTINGS);
    expect(s).toMatchObject({
      alternateLeadMonths: 6,
      substituteLeadMonths: 9,
      redesignLeadMonths: 18,
      demandStressGrowth: 0.05,
    });
  });

  it("are read from the environment and refused by name when not a usable number", () => {
    const s = impactSettingsFromConfig(
      loadConfig({ REDESIGN_LEAD_MONTHS: "24", DEMAND_STRESS_GROWTH: "0", ALTERNATE_LEAD_MONTHS: "" }).impact,
    );
    expect(s).toMatchObject({ redesignLeadMonths: 24, demandStressGrowth: 0, alternateLeadMonths: 6 });
    try {
      loadConfig({
        ALTERNATE_LEAD_MONTHS: "six",
        SUBSTITUTE_LEAD_MONTHS: "-1",
        REDESIGN_LEAD_MONTHS: "1e9",
        DEMAND_STRESS_GROWTH: "-0.05",
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        "ALTERNATE_LEAD_MONTHS",
        "DEMAND_STRESS_GROWTH",
        "REDESIGN_LEAD_MONTHS",
        "SUBSTITUTE_LEAD_MONTHS",
      ]);
    }
  });
});
