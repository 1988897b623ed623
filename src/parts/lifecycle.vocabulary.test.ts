import { describe, expect, it } from "vitest";
import { mapLifecycleStatus } from "./lifecycle.vocabulary.ts";

describe("mapLifecycleStatus", () => {
  it.each([
    // SiliconExpert / Accuris
    ["Active", "active"],
    ["Active-Unconfirmed", "active"],
    ["NRFND", "nrnd"],
    ["Not Recommended for New Designs", "nrnd"],
    ["Discontinued", "eol"],
    ["Discontinued-Unconfirmed", "eol"],
    ["Obsolete", "obsolete"],
    ["Transferred", "transferred"],
    ["Contact Mfr", "unknown"],
    ["LTB", "ltb"],
    ["Last Time Buy", "ltb"],
    ["EOL", "eol"],
    ["End of Life", "eol"],
    ["End-Of-Life", "eol"],
    ["Preliminary", "preliminary"],
    ["Pre-release", "preliminary"],
    // TI
    ["PREVIEW", "preliminary"],
    ["ACTIVE", "active"],
    ["NRND", "nrnd"],
    ["LIFEBUY", "ltb"],
    ["OBSOLETE", "obsolete"],
    // NXP
    ["Discontinuation notice", "eol"],
    ["end of life", "eol"],
    // Nexar / Octopart
    ["Production", "active"],
    ["New", "preliminary"],
    // Free wording
    ["EOL - LTB open until 2027-03-31", "ltb"],
    ["Not recommended for new design (NRND)", "nrnd"],
    ["No longer manufactured", "obsolete"],
    ["LTB closed", "obsolete"],
    ["Last time buy date has passed", "obsolete"],
    ["EOL cancelled", "active"],
    ["Cancelled EOL notice", "active"],
    ["Retracted discontinuation", "active"],
    ["Reactivated", "active"],
    ["Mature", "active"],
    ["in_production", "active"],
    ["Inactive", "obsolete"],
    ["Sampling", "preliminary"],
    // ADI, Infineon, Microchip, onsemi, ST, distributors
    ["Recommended for New Designs", "active"],
    ["Active and preferred", "active"],
    ["Not for new design", "nrnd"],
    ["Future Product", "preliminary"],
    ["Last Shipments", "eol"],
    ["Proposed for obsolescence", "eol"],
    ["Not For New Designs", "nrnd"],
    ["Discontinued at Digi-Key", "unknown"],
    ["Obsolete at Mouser", "unknown"],
    ["Factory Special Order", "active"],
    ["PCN", "unknown"],
  ])("%s → %s", (raw, status) => {
    expect(mapLifecycleStatus(raw).status).toBe(status);
  });

  it("keeps the raw value and the source", () => {
    expect(mapLifecycleStatus("  LIFEBUY ", "ti")).toEqual({
      status: "ltb",
      raw: "  LIFEBUY ",
      source: "ti",
    });
    expect(mapLifecycleStatus("Discontinued")).toEqual({ status: "eol", raw: "Discontinued", source: null });
  });

  it("maps unknown or empty wording to unknown, raw kept", () => {
    expect(mapLifecycleStatus("Blue moon", "siliconexpert")).toEqual({
      status: "unknown",
      raw: "Blue moon",
      source: "siliconexpert",
    });
    expect(mapLifecycleStatus("").status).toBe("unknown");
    expect(mapLifecycleStatus("   ").status).toBe("unknown");
    // "inactive" must not be read as "active" by the free-wording patterns.
    expect(mapLifecycleStatus("status inactive").status).toBe("unknown");
  });
});
