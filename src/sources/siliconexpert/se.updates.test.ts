import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ComponentAlertSchema } from "../../ingest/ingest.schemas.ts";
import { readUpdates } from "./se.updates.ts";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "siliconexpert");

describe("SiliconExpert updates → component alerts", () => {
  it("reads the documented flat alerts list, status from its prose", () => {
    // [SE-DOC] /ACLAPI/updates, completed where the published example was cut off.
    const published = readFileSync(
      join(FIXTURES, "acl-updates.lifecycle-alerts.response.TRUNCATED-IN-SOURCE.txt"),
      "utf8",
    );
    const body = JSON.parse(
      published
        .replace(/\.\.\. \(truncated[^\n]*\n?/, "")
        .trimEnd()
        .concat("\n    }\n  ]\n}"),
    );
    const r = readUpdates(body);
    expect(r.records).toBe(2);
    expect(
      r.alerts.map((a) => [
        a.alert.part_number,
        a.alert.manufacturer_code,
        a.alert.lifecycle_status,
        a.alert.notice_date,
      ]),
    ).toEqual([
      ["ABC123", "ExampleMfr", "NRND", "2024-07-01"],
      ["XYZ789", "AnotherMfr", "Obsolete", "2024-06-25"],
    ]);
    expect(r.alerts[0]!.key).toBe("siliconexpert:lifecycle:ABC123@examplemfr:2024-07-01:nrnd");
    for (const a of r.alerts) expect(ComponentAlertSchema.safeParse(a.alert).success).toBe(true);
  });

  it("refuses the published truncated daily answer instead of guessing", () => {
    const published = readFileSync(
      join(FIXTURES, "acl-daily.lifecycle-and-pcn.response.TRUNCATED-IN-SOURCE.txt"),
      "utf8",
    );
    expect(() => JSON.parse(published)).toThrow();
  });

  it("reads partUpdates as lists per kind, one alert per affected part, objects as lists of one", () => {
    const body = {
      Status: { Code: "0", Message: "Successful Operation", Success: "true" },
      updates: {
        partUpdates: {
          updateRange: {
            from: "Dec 14, 2025 16:10 UTC  (MMM dd, yyyy HH:mm z)",
            to: "Dec 15, 2025 16:00 UTC",
          },
          pcnDto: {
            PCNId: "9003655970",
            PCNNumber: "201702003GU01",
            TypeOfChange: "Product Discontinuance",
            NotificationDate: "Mar 12, 2017",
            LastTimeBuyDate: "Jan 8,2026",
            LastShipDate: "06/20/2026",
            affectedParts: [
              { comId: "35324203", partNumber: "BAV99WT", manufacturer: "Nexperia" },
              { comId: "30372224", partNumber: "BAV99", manufacturer: "Nexperia" },
            ],
            ReplacementPartNumber: "BAV99W",
          },
          lifecycleDto: {
            comId: "52160572",
            partNumber: "LM317",
            manufacturer: "Texas Instruments",
            newLifecycle: "LTB",
            updateDate: "September 22, 2025",
          },
        },
      },
    };
    const r = readUpdates(body);
    expect(r.alerts.map((a) => a.key)).toEqual([
      "siliconexpert:pcn:9003655970:35324203",
      "siliconexpert:pcn:9003655970:30372224",
      "siliconexpert:lifecycle:52160572:2025-09-22:ltb",
    ]);
    expect(r.alerts[0]!.alert).toMatchObject({
      part_number: "BAV99WT",
      manufacturer_code: "Nexperia",
      lifecycle_status: "Product Discontinuance",
      pcn_id: "201702003GU01",
      notice_date: "2017-03-12",
      ltb_date: "2026-01-08",
      last_ship_date: "2026-06-20",
      replacement_part_number: "BAV99W",
    });
  });

  it("reads partUpdates as a plain list and skips kinds and records it cannot use, saying why", () => {
    const body = {
      Status: { Code: 200, Message: "Success", Success: true },
      updates: {
        partUpdates: [
          {
            alertType: "lifecycle",
            partNumber: "X1",
            manufacturer: "Acme",
            updateDate: "2024-07-15",
            details: "Lifecycle status changed from Active to Obsolete.",
          },
          {
            alertType: "lifecycle",
            partNumber: "X2",
            updateDate: "2024-07-15",
            details: "Lifecycle status changed from Active to EOL.",
          },
          {
            alertType: "lifecycle",
            partNumber: "X3",
            manufacturer: "Acme",
            updateDate: "2024-07-15",
            details: "Datasheet revised.",
          },
          { alertType: "rohs", partNumber: "X4", manufacturer: "Acme" },
          {
            alertType: "lifecycle",
            partNumber: "X5",
            manufacturer: "Acme",
            updateDate: "2024-07-15",
            LastTimeBuyDate: "Q3 2027",
            lifecycle: "EOL",
          },
        ],
        updateRange: "2024-07-14T09:00:00Z to 2024-07-15T09:00:00Z",
      },
    };
    const r = readUpdates(body);
    expect(r.alerts.map((a) => a.alert.part_number)).toEqual(["X1", "X5"]);
    expect(r.alerts[1]!.alert.ltb_date).toBeNull();
    expect(r.skipped).toEqual([
      "X2: lifecycle update without part number or manufacturer",
      "X3: lifecycle update names no new status",
      'X5: LTB date "Q3 2027" is not a date; dropped',
      "1 update(s) of kinds other than lifecycle and PCN",
    ]);
  });

  it("gives the same keys on a re-read, and a transfer for an acquisition PCN", () => {
    const body = {
      alerts: {
        alertType: "pcn",
        pcnNumber: "ACQ-7",
        typeOfChange: "Vendor Acquisition",
        partNumber: "P1",
        manufacturer: "Old Co",
        notificationDate: "2024-06-01",
      },
    };
    const a = readUpdates(body);
    const b = readUpdates(JSON.parse(JSON.stringify(body)));
    expect(a.alerts.map((x) => x.key)).toEqual(b.alerts.map((x) => x.key));
    expect(a.alerts[0]!.alert.lifecycle_status).toBe("Transferred");
    const labeling = readUpdates({
      alerts: {
        alertType: "pcn",
        pcnNumber: "L-1",
        typeOfChange: "Labeling",
        partNumber: "P1",
        manufacturer: "Acme",
      },
    });
    expect(labeling.alerts[0]!.alert.lifecycle_status).toBe("PCN: Labeling");
  });
});
