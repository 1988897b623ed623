import { describe, expect, it } from "vitest";
import type { PlatformPartStatus } from "../lifecycle-platform.ts";
import { scanFindings } from "./scan.findings.ts";

const part = (
  id: number,
  mpn: string,
  rawStatus: string,
  extra: Partial<PlatformPartStatus> = {},
): PlatformPartStatus => ({
  part: { id, manufacturer: "Texas Instruments", mpn },
  ref: `c${id}`,
  rawStatus,
  ltbDate: null,
  lastShipDate: null,
  asOf: null,
  noticeId: null,
  ...extra,
});
const platform = { name: "siliconexpert", platform: "SiliconExpert" };
const now = new Date("2026-12-04T10:00:00Z");

describe("BOM scan findings", () => {
  it("records every status and raises alerts only for parts already discontinued", () => {
    const f = scanFindings(
      [
        part(1, "A1", "Active"),
        part(2, "A2", "NRND"),
        part(3, "A3", "Discontinued", { ltbDate: "2027-03-31", asOf: "2026-01-08", noticeId: "PDN-1" }),
        part(4, "A4", "Discontinued"),
        part(5, "A5", "Obsolete", { ltbDate: "2025-01-31" }),
      ],
      platform,
      now,
    );
    expect(f.byStatus).toEqual({ active: 1, nrnd: 1, ltb: 1, eol: 1, obsolete: 1 });
    expect(f.alerts.map((a) => a.alert.part_number)).toEqual(["A3", "A4", "A5"]);
    expect(f.alerts[0]).toEqual({
      key: "siliconexpert:status:c3:A3:ltb:2027-03-31",
      alert: expect.objectContaining({
        source_platform: "SiliconExpert",
        manufacturer_code: "Texas Instruments",
        lifecycle_status: "Discontinued",
        ltb_date: "2027-03-31",
        pcn_id: "PDN-1",
        notice_date: "2026-01-08",
      }),
    });
    expect(f.observations.map((o) => [o.partId, o.status, o.rawStatus, o.asOf])).toEqual([
      [1, "active", "Active", "2026-12-04"],
      [2, "nrnd", "NRND", "2026-12-04"],
      [3, "ltb", "Discontinued", "2026-01-08"],
      [4, "eol", "Discontinued", "2026-12-04"],
      [5, "obsolete", "Obsolete", "2026-12-04"],
    ]);
  });

  it("keys alerts by status and LTB date, so only a change raises a new one", () => {
    const a = scanFindings([part(3, "A3", "Discontinued", { ltbDate: "2027-03-31" })], platform, now)
      .alerts[0]!.key;
    const same = scanFindings([part(3, "A3", "Discontinued", { ltbDate: "2027-03-31" })], platform, now)
      .alerts[0]!.key;
    const moved = scanFindings([part(3, "A3", "Discontinued", { ltbDate: "2027-06-30" })], platform, now)
      .alerts[0]!.key;
    const gone = scanFindings([part(3, "A3", "Obsolete", { ltbDate: "2027-03-31" })], platform, now)
      .alerts[0]!.key;
    expect(same).toBe(a);
    expect(new Set([a, moved, gone]).size).toBe(3);
  });
});
