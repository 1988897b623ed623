import { describe, expect, it } from "vitest";
import { findHeader, headerKey, parseColumnSpec, rowToAlert } from "./export.columns.ts";

const rows = (cells: string[][], first = 1) => cells.map((c, i) => ({ row: first + i, cells: c }));

describe("alert export columns", () => {
  const accuris = [
    "Imported Mfr P/N",
    "Imported Mfr Name",
    "Part Status",
    "LTB Date",
    "Smart Alert ID",
    "Smart Alert Type",
  ];

  it("finds Accuris' header below a title and maps its columns", () => {
    const found = findHeader(
      rows([
        ["Part Alerts export"],
        [],
        accuris,
        ["TPS54331D", "Texas Instruments", "EOL", "2027-03-31", "SA-1", "EOL"],
      ]),
      {},
    );
    expect(found.kind).toBe("ok");
    if (found.kind !== "ok") return;
    expect(found.headerRow).toBe(3);
    expect(found.columns).toMatchObject({
      part_number: 0,
      manufacturer: 1,
      lifecycle_status: 2,
      ltb_date: 3,
      alert_id: 4,
      alert_type: 5,
    });
    expect(found.dataRows.map((r) => r.row)).toEqual([4]);
  });

  it("says which required columns are missing and what it looked for", () => {
    const found = findHeader(rows([["MPN", "Maker", "State"]]), {});
    expect(found).toEqual({
      kind: "missing",
      missing: [
        { field: "manufacturer", tried: expect.arrayContaining(["Imported Mfr Name", "Manufacturer"]) },
        { field: "lifecycle_status", tried: expect.arrayContaining(["Part Status"]) },
      ],
    });
    const mapped = findHeader(rows([["MPN", "Maker", "State"]]), {
      manufacturer: "maker",
      lifecycle_status: "STATE",
    });
    expect(mapped.kind).toBe("ok");
  });

  it("turns a row into an alert with ISO dates and a key stable across imports", () => {
    const header = [...accuris, "Notification Date"];
    const found = findHeader(rows([header]), {});
    if (found.kind !== "ok") throw new Error("no header");
    const row = {
      row: 2,
      cells: ["TPS54331D", "Texas Instruments", "Discontinued", "Mar 31, 2027", "SA-1", "EOL", "01/13/2026"],
    };
    const a = rowToAlert(row, header, found.columns, "accuris");
    expect(a).toEqual({
      kind: "ok",
      alert: {
        key: "accuris:alert:SA-1:TPS54331D@texas instruments",
        alert: expect.objectContaining({
          source_platform: "Accuris",
          manufacturer_code: "Texas Instruments",
          part_number: "TPS54331D",
          lifecycle_status: "Discontinued",
          ltb_date: "2027-03-31",
          notice_date: "2026-01-13",
        }),
      },
    });
    const noId = rowToAlert(
      { row: 2, cells: ["X1", "Acme", "EOL"] },
      ["MPN", "Manufacturer", "Status"],
      { part_number: 0, manufacturer: 1, lifecycle_status: 2 },
      "generic",
    );
    const again = rowToAlert(
      { row: 9, cells: ["X1", "Acme", "EOL"] },
      ["MPN", "Manufacturer", "Status"],
      { part_number: 0, manufacturer: 1, lifecycle_status: 2 },
      "generic",
    );
    expect(noId.kind === "ok" && again.kind === "ok" && noId.alert.key === again.alert.key).toBe(true);
  });

  it("refuses a row with every reason: empty required cells, a date that is not a day, a value too long", () => {
    const out = rowToAlert(
      { row: 7, cells: ["", "Acme", "EOL", "Q3 2027", "", "", "", "x".repeat(201)] },
      [...accuris, "", "Replacement"],
      {
        part_number: 0,
        manufacturer: 1,
        lifecycle_status: 2,
        ltb_date: 3,
        replacement_part_number: 7,
      },
      "accuris",
    );
    expect(out).toEqual({
      kind: "invalid",
      reasons: [
        '"Imported Mfr P/N" is empty',
        '"Replacement" is longer than 200 characters',
        '"LTB Date" "Q3 2027" is not a date',
      ],
    });
  });

  it("parses column overrides and refuses unknown fields", () => {
    expect(parseColumnSpec("part_number=Mfr Part #, lifecycle_status=Status")).toEqual({
      kind: "ok",
      columns: { part_number: "Mfr Part #", lifecycle_status: "Status" },
    });
    expect(parseColumnSpec("colour=Red").kind).toBe("invalid");
    expect(parseColumnSpec("part_number").kind).toBe("invalid");
    expect(headerKey("Imported Mfr P/N")).toBe("imported mfr p n");
  });
});
