import { describe, expect, it } from "vitest";
import { addDays, readFieldDate, usDate } from "./platform-dates.ts";

describe("platform date fields", () => {
  it("reads every format the SiliconExpert reference shows", () => {
    const cases: [string, string][] = [
      ["Mar 12, 2017", "2017-03-12"],
      ["Jun 14, 2016", "2016-06-14"],
      ["Jan 8,2026", "2026-01-08"],
      ["September 22, 2025", "2025-09-22"],
      ["2024-07-01", "2024-07-01"],
      ["2024-06-01T12:00:00Z", "2024-06-01"],
      ["06/20/2024", "2024-06-20"],
      ["Dec 14, 2025 16:10 UTC  (MMM dd, yyyy HH:mm z)", "2025-12-14"],
    ];
    for (const [raw, day] of cases) expect(readFieldDate(raw), raw).toEqual({ kind: "day", day });
  });

  it("keeps a timestamp's day as written, not shifted to UTC", () => {
    expect(readFieldDate("2027-03-31T23:00:00-05:00")).toEqual({ kind: "day", day: "2027-03-31" });
  });

  it("reads export cells: day-first when the first number cannot be a month, dotted European", () => {
    expect(readFieldDate("31/03/2027")).toEqual({ kind: "day", day: "2027-03-31" });
    expect(readFieldDate("31.03.2027")).toEqual({ kind: "day", day: "2027-03-31" });
    expect(readFieldDate("31-Mar-2027")).toEqual({ kind: "day", day: "2027-03-31" });
  });

  it("says empty for no date and unreadable for what is not an exact day", () => {
    for (const v of ["", "  ", "N/A", "-", "TBD", "Unknown", null, undefined])
      expect(readFieldDate(v)).toEqual({ kind: "empty" });
    // SiliconExpert's EstimatedEOLDate "2037" is a year, not a day.
    expect(readFieldDate("2037")).toEqual({ kind: "unreadable", raw: "2037" });
    expect(readFieldDate("Q3 2027")).toEqual({ kind: "unreadable", raw: "Q3 2027" });
    expect(readFieldDate("2027-02-30")).toEqual({ kind: "unreadable", raw: "2027-02-30" });
  });

  it("writes SiliconExpert's request format and counts days", () => {
    expect(usDate("2024-06-20")).toBe("06/20/2024");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });
});
