import { describe, expect, it } from "vitest";
import { ExtractedNotice } from "../extract/notice.ts";
import { type ComponentAlertInput, normalizeComponentAlert } from "./component-alert.normalize.ts";

const base: ComponentAlertInput = {
  source_platform: "siliconexpert",
  manufacturer_code: "Linear Technology",
  part_number: " LT1763CS8-3.3#PBF ",
  lifecycle_status: "LTB",
  ltb_date: "2027-03-05",
  last_ship_date: "2027-09-05T00:00:00Z",
  replacement_part_number: "ADP7118ARDZ-3.3",
  pcn_id: " PDN-2026-0419 ",
  notice_date: "2026-11-02",
};

describe("normalizeComponentAlert", () => {
  it("normalises maker alias, status, dates and text fields into a schema-valid notice", () => {
    const r = normalizeComponentAlert(base);
    expect(r.notice).toEqual({
      manufacturer: "Analog Devices",
      mpn: "LT1763CS8-3.3#PBF",
      lifecycle_status: "ltb",
      notice_type: "discontinuance",
      pcn_id: "PDN-2026-0419",
      ltb_date: "2027-03-05",
      last_ship_date: "2027-09-05",
      replacement_mpn: "ADP7118ARDZ-3.3",
    });
    expect(ExtractedNotice.parse(r.notice)).toEqual(r.notice);
    expect(r.rawStatus).toBe("LTB");
    expect(r.manufacturerRaw).toBe("Linear Technology");
    expect(r.warnings).toEqual([]);
  });

  it.each([
    ["NRND", "nrnd", "status_update"],
    ["Active", "active", "status_update"],
    ["Preliminary", "preliminary", "status_update"],
    ["Obsolete", "obsolete", "discontinuance"],
    ["Discontinued", "eol", "discontinuance"],
    ["Transferred", "transferred", "product_change"],
  ])("status %s → %s / %s", (raw, status, type) => {
    const r = normalizeComponentAlert({ ...base, lifecycle_status: raw, ltb_date: null });
    expect(r.notice.lifecycle_status).toBe(status);
    expect(r.notice.notice_type).toBe(type);
    expect(r.rawStatus).toBe(raw);
  });

  it("reads an eol with an open LTB day as ltb, but not when the day is before the notice", () => {
    expect(normalizeComponentAlert({ ...base, lifecycle_status: "EOL" }).notice.lifecycle_status).toBe("ltb");
    const past = normalizeComponentAlert({ ...base, lifecycle_status: "EOL", ltb_date: "2026-01-31" });
    expect(past.notice.lifecycle_status).toBe("eol");
  });

  it("keeps the issuer's calendar day of a timestamp with an offset", () => {
    const r = normalizeComponentAlert({ ...base, ltb_date: "2027-03-31T23:00:00-05:00" });
    expect(r.notice.ltb_date).toBe("2027-03-31");
  });

  it.each(["Q2 2027", "TBD", "03/31/2027", "2027-02-30", "2027-13-01", "31.03.2027"])(
    "drops the non-ISO or impossible date %s with a warning",
    (bad) => {
      const r = normalizeComponentAlert({ ...base, ltb_date: bad });
      expect(r.notice.ltb_date).toBeNull();
      expect(r.warnings).toEqual([
        `ltb_date: ${JSON.stringify(bad)} is not an ISO date (YYYY-MM-DD); dropped`,
      ]);
    },
  );

  it("treats absent and blank optional fields as null without warnings", () => {
    const r = normalizeComponentAlert({
      source_platform: "accuris",
      manufacturer_code: "TI",
      part_number: "TPS54331D",
      lifecycle_status: "LIFEBUY",
      ltb_date: "  ",
      pcn_id: "",
    });
    expect(r.notice).toMatchObject({
      manufacturer: "Texas Instruments",
      pcn_id: null,
      ltb_date: null,
      last_ship_date: null,
      replacement_mpn: null,
    });
    expect(r.warnings).toEqual([]);
  });

  it.each(["None", "N/A", "-", "—", "No direct replacement", "Not provided by manufacturer"])(
    "reads the replacement %s as none",
    (none) => {
      expect(
        normalizeComponentAlert({ ...base, replacement_part_number: none }).notice.replacement_mpn,
      ).toBeNull();
    },
  );

  it("keeps an unknown maker code as sent, with a warning", () => {
    const r = normalizeComponentAlert({ ...base, manufacturer_code: "  Acme Chips  " });
    expect(r.notice.manufacturer).toBe("Acme Chips");
    expect(r.manufacturerRaw).toBe("  Acme Chips  ");
    expect(r.warnings).toEqual(['manufacturer_code: "Acme Chips" is not a known maker; kept as sent']);
  });

  it("reports an empty maker code and an unknown status", () => {
    const r = normalizeComponentAlert({ ...base, manufacturer_code: " ", lifecycle_status: "Blue moon" });
    expect(r.notice.manufacturer).toBeNull();
    expect(r.notice.lifecycle_status).toBe("unknown");
    expect(r.notice.notice_type).toBe("status_update");
    expect(r.warnings).toEqual([
      "manufacturer_code: empty; the notice names no maker",
      'lifecycle_status: "Blue moon" is not a known status; unknown',
    ]);
  });

  it("throws on an empty part number (the ingest schema forbids it)", () => {
    expect(() => normalizeComponentAlert({ ...base, part_number: "  " })).toThrow(/part_number is empty/);
  });
});
