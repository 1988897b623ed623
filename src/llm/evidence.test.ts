import { describe, expect, it } from "vitest";
import type { ExtractedNotice } from "../extract/notice.ts";
import { dateAppears, identifierAppears } from "./evidence.ts";
import { guardNotices } from "./extraction.guard.ts";

const NOW = new Date("2026-11-28T00:00:00Z");

describe("identifierAppears", () => {
  const text = "Affected: ABC123-XY and LT1763IS8-2.5#TRPBF,\nPDN #26118; BC807-25,235 (12NC 9340 552 70215)";
  it.each([
    ["ABC123-XY", true],
    ["abc123-xy", true],
    ["LT1763IS8-2.5#TRPBF", true],
    ["26118", true],
    ["BC807-25,235", true],
    ["ABC123", false], // a shorter part number than the one written
    ["LT1763IS8-2", false],
    ["BC807-25", false], // the packing code makes another orderable
    ["XY", false],
    ["ABC124-XY", false],
    ["", false],
  ])("%s → %s", (id, expected) => {
    expect(identifierAppears(text, id)).toBe(expected);
  });

  it("folds whitespace, Unicode dashes and invisible characters", () => {
    expect(identifierAppears("part TPS54331\u2011DR\u00AD ships", "TPS54331-DR")).toBe(true);
    expect(identifierAppears("PCN  2026 -\n 0419", "PCN 2026 - 0419")).toBe(true);
  });

  it("ends an identifier at a list comma or a full stop", () => {
    expect(identifierAppears("Parts: TPS54331,TLV702. Done", "TPS54331")).toBe(true);
    expect(identifierAppears("the last part is TLV702.", "TLV702")).toBe(true);
  });
});

describe("dateAppears", () => {
  it.each([
    ["Last order date: 2027-06-30.", "2027-06-30"],
    ["LTB 30.06.2027", "2027-06-30"],
    ["LTB 06/30/27", "2027-06-30"],
    ["LTB 30/6/2027", "2027-06-30"],
    ["until 30 June 2027", "2027-06-30"],
    ["until 30th of June, 2027", "2027-06-30"],
    ["until June 30th, 2027", "2027-06-30"],
    ["until Jun. 30 2027", "2027-06-30"],
    ["final ship 30-Jun-27", "2027-06-30"],
    ["ship until 2027/6/3", "2027-06-03"],
    // No year written: "next year" from the day received, else the next occurrence.
    ["we will stop making it after June 30th next year", "2027-06-30"],
    ["last orders by March 31", "2027-03-31"],
    ["last orders by December 15", "2026-12-15"],
  ])("finds %j as %s", (text, iso) => {
    expect(dateAppears(text, iso, NOW)).toBe(true);
  });

  it.each([
    ["Last order date: 2027-06-30.", "2027-06-29"],
    ["LTB 30.06.2027", "2028-06-30"],
    ["after June 30th next year", "2026-06-30"],
    ["after June 30th next year", "2028-06-30"],
    ["LTB in Q2 2027", "2027-06-30"],
    ["LTB June 2027", "2027-06-20"],
    ["order 130 June units", "2027-06-30"],
    ["LTB 2027-02-30", "2027-02-30"], // no such day
    ["anything", "30/06/2027"], // not ISO
  ])("does not find %j as %s", (text, iso) => {
    expect(dateAppears(text, iso, NOW)).toBe(false);
  });
});

describe("guardNotices", () => {
  const notice = (over: Partial<ExtractedNotice>): ExtractedNotice => ({
    manufacturer: "Acme",
    mpn: "ABC123-XY",
    lifecycle_status: "ltb",
    notice_type: "discontinuance",
    pcn_id: null,
    ltb_date: null,
    last_ship_date: null,
    replacement_mpn: null,
    ...over,
  });
  const text = "Notice EOL-77: ABC123-XY is discontinued. Last orders 2027-06-30. Use ABC200-XY instead.";

  it("keeps what the text supports and drops the rest field by field", () => {
    const r = guardNotices(
      [
        notice({ pcn_id: "EOL-77", ltb_date: "2027-06-30", replacement_mpn: "ABC200-XY" }),
        notice({ mpn: "ABC999-XY", ltb_date: "2027-06-30" }),
        notice({
          mpn: "ABC123-XY",
          pcn_id: "EOL-78",
          last_ship_date: "2027-12-31",
          replacement_mpn: "ABC300",
        }),
      ],
      text,
      NOW,
    );
    expect(r.kept).toEqual([
      notice({ pcn_id: "EOL-77", ltb_date: "2027-06-30", replacement_mpn: "ABC200-XY" }),
      notice({}),
    ]);
    expect(r.dropped.map((d) => `${d.field}:${d.value}`)).toEqual([
      "mpn:ABC999-XY",
      "replacement_mpn:ABC300",
      "pcn_id:EOL-78",
      "last_ship_date:2027-12-31",
    ]);
  });
});
