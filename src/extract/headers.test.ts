import { describe, expect, it } from "vitest";
import { roleOfHeader } from "./headers.ts";

describe("roleOfHeader", () => {
  it.each([
    ["Orderable part", "mpn"],
    ["Herstellertyp", "mpn"],
    ["Recommended for new designs", "replacement"],
    ["Last Time Order Due", "ltb"],
    ["Last Date of Shipment", "lts"],
    ["PCN number", "notice"],
    // A column of look-alikes the notice does not cover holds neither parts nor notice IDs.
    ["Related part, not covered by this notice", "ignore"],
    ["Similar devices (not affected)", "ignore"],
    ["Bürklin Best.-Nr.", "ignore"],
  ])("%s → %s", (header, role) => {
    expect(roleOfHeader(header).role).toBe(role);
  });
});
