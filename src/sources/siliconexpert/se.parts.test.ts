import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chunks, pickCandidate, readAclParts, readListPartSearch, readPartDetail } from "./se.parts.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "siliconexpert");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as unknown;

describe("SiliconExpert part answers", () => {
  it("reads the guide's partDetail answer (status, no dates)", () => {
    expect(readPartDetail(fixture("partDetail.getLifeCycleData.json"))).toEqual([
      {
        comId: "425058279",
        status: "Active",
        ltbDate: null,
        lastShipDate: null,
        eolNumber: null,
        asOf: null,
      },
    ]);
  });

  it("reads a single-object ResultDto with PCN dates and the status's own history date", () => {
    const body = {
      Status: { Code: "0", Message: "Successful Operation", Success: "true" },
      Results: {
        ResultDto: {
          RequestedComID: "82223476",
          LifeCycleData: { PartStatus: "Discontinued", LTBDate: "", EstimatedEOLDate: "2037" },
          PCNData: {
            PCNDto: {
              LastEOLNumber: "PDN-2024-17",
              LastEOLDate: "Jan 8,2026",
              LastTimeBuyDate: "Mar 12, 2027",
              LastShipDate: "06/20/2027",
            },
          },
          History: {
            Lifecycle: [
              { Date: "Jun 14, 2016", Lifecycle: "Active" },
              { Date: "Jan 8,2026", Lifecycle: "Discontinued" },
            ],
          },
        },
      },
    };
    expect(readPartDetail(body)).toEqual([
      {
        comId: "82223476",
        status: "Discontinued",
        ltbDate: "2027-03-12",
        lastShipDate: "2027-06-20",
        eolNumber: "PDN-2024-17",
        asOf: "2026-01-08",
      },
    ]);
  });

  it("reads listPartSearch answers whatever is a list or a lone object", () => {
    const body = {
      Result: {
        PartData: {
          RequestedPart: "bav99",
          RequestedManufacturer: "Vishay",
          PartList: {
            PartDto: { ComID: "1", PartNumber: "BAV99", Manufacturer: "Vishay", Lifecycle: "Active" },
          },
        },
      },
    };
    expect(readListPartSearch(body)).toEqual([
      {
        requestedPart: "bav99",
        requestedManufacturer: "Vishay",
        candidates: [{ comId: "1", mpn: "BAV99", manufacturer: "Vishay", lifecycle: "Active" }],
      },
    ]);
    expect(
      readListPartSearch({ Result: [{ PartData: { RequestedPart: "x", PartList: "" } }] })[0]!.candidates,
    ).toEqual([]);
  });

  it("picks the same maker's part, through acquisitions and packaging suffixes, never another maker's", () => {
    const candidates = [
      { comId: "1", mpn: "LT1763IS8-2.5", manufacturer: "Analog Devices", lifecycle: "Active" },
      { comId: "2", mpn: "BAV99", manufacturer: "Vishay", lifecycle: "Active" },
      { comId: "3", mpn: "BAV99", manufacturer: "Nexperia", lifecycle: "Obsolete" },
    ];
    expect(
      pickCandidate({ manufacturer: "Linear Technology", mpn: "LT1763IS8-2.5#TRPBF" }, candidates)?.comId,
    ).toBe("1");
    expect(pickCandidate({ manufacturer: "Nexperia", mpn: "bav99" }, candidates)?.comId).toBe("3");
    expect(pickCandidate({ manufacturer: "onsemi", mpn: "BAV99" }, candidates)).toBeNull();
  });

  it("reads the watch list and batches at the platform's limit", () => {
    expect(readAclParts({ addedParts: { comId: "COM123456", sePartNumber: "SE1" } })).toEqual([
      { comId: "COM123456" },
    ]);
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
