import { describe, expect, it } from "vitest";
import { findDates, parseDate, vagueDate } from "./dates.ts";

describe("parseDate", () => {
  it.each([
    ["2027-03-31", "ISO"],
    ["2027/03/31", "year first with slashes"],
    ["31-Mar-2027", "day-month abbreviation"],
    ["31-MAR-2027", "upper-case month"],
    ["March 31, 2027", "US long form"],
    ["31 March 2027", "European long form"],
    ["31st March 2027", "ordinal day"],
    ["Mar. 31 '27", "abbreviation with a dot and a two-digit year"],
    ["31.03.2027", "dotted, day first"],
    ["03/31/2027", "US numeric"],
    ["31/03/2027", "day-first numeric (first number cannot be a month)"],
  ])("reads %s (%s) as 2027-03-31", (text) => {
    expect(parseDate(text)).toBe("2027-03-31");
  });

  it("reads dates inside sentences and keeps their order", () => {
    expect(findDates("LTB 30-Jun-2025, then shipments until 31.12.2025.").map((d) => d.iso)).toEqual([
      "2025-06-30",
      "2025-12-31",
    ]);
  });

  it.each([
    "Q2 2027",
    "2Q27",
    "H1 2027",
    "June 2027",
    "6 months from notice date",
    "TBD",
    "4/24",
    "week 33/2026",
    "2027-02-30",
    "13/13/2027",
  ])("gives no exact day for %s", (text) => {
    expect(parseDate(text)).toBeNull();
  });
});

describe("vagueDate", () => {
  it.each([
    ["Q2 2027 (exact date to be confirmed)", "window"],
    ["12 months from notice date", "window"],
    ["June 2027", "window"],
    ["TBD", "unset"],
    ["have not yet been set", "unset"],
    ["2027-03-31", null],
    ["None", null],
  ])("%s → %s", (text, want) => {
    expect(vagueDate(text)).toBe(want);
  });
});
