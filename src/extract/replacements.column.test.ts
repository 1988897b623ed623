/**
 * Replacements in a table of their own: unit rules, then a whole message whose workbook gives the
 * parts and dates on one sheet (label rows above the header) and the replacements on another.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseMime } from "../mail/mime.ts";
import type { Candidate } from "./candidate.ts";
import { extractFromEmail } from "./extract.email.ts";
import { pairReplacementColumns, replacementColumnOf } from "./replacements.column.ts";

const row = (mpn: string, line: number, pos = 3): Candidate => ({
  mpn,
  pos,
  part: "attachment:x.xlsx",
  layout: "table",
  line,
  strength: 2,
});

describe("replacementColumnOf", () => {
  it("reads the one replacement column of a table with no part column", () => {
    expect(
      replacementColumnOf(
        [
          ["No.", "Recommended part no."],
          ["1", "KV220J8X11"],
          ["2", "-"],
        ],
        7,
      ),
    ).toEqual({ pos: 7, cells: ["KV220J8X11", "-"] });
  });

  it("passes over a parts table, a table of dates and a column that mostly names no part", () => {
    expect(
      replacementColumnOf(
        [
          ["Part number", "Replacement"],
          ["KV1", "KV2"],
        ],
        0,
      ),
    ).toBeNull();
    expect(
      replacementColumnOf(
        [
          ["Last order", "Last shipment"],
          ["2026-12-25", "2027-06-30"],
        ],
        0,
      ),
    ).toBeNull();
    expect(
      replacementColumnOf(
        [
          ["No.", "Successor"],
          ["1", "contact sales"],
          ["2", "-"],
        ],
        0,
      ),
    ).toBeNull();
  });
});

describe("pairReplacementColumns", () => {
  it("pairs the cells with the rows of the parts table before it, in order, a dash as none", () => {
    const parts = [row("KV220H8X11", 2), row("KV470H8X16", 3)];
    pairReplacementColumns(parts, [{ pos: 5, cells: ["KV220J8X11", "-"] }]);
    expect(parts.map((c) => c.replacement)).toEqual(["KV220J8X11", null]);
  });

  it("pairs nothing when the counts differ or the table already names replacements", () => {
    const short = [row("KV220H8X11", 2), row("KV470H8X16", 3)];
    pairReplacementColumns(short, [{ pos: 5, cells: ["KV220J8X11"] }]);
    expect(short.map((c) => c.replacement)).toEqual([undefined, undefined]);
    const named = [{ ...row("KV220H8X11", 2), replacement: "KV9" }, row("KV470H8X16", 3)];
    pairReplacementColumns(named, [{ pos: 5, cells: ["KV220J8X11", "KV470J8X16"] }]);
    expect(named.map((c) => c.replacement)).toEqual(["KV9", undefined]);
  });
});

async function workbook(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const items = wb.addWorksheet("Items");
  items.addRow(["Notice", "KV-EOL-2026-14"]);
  items.addRow(["Last order date", "2026-12-25"]);
  items.addRow(["Last delivery date", "2027-06-30"]);
  items.addRow([]);
  items.addRow(["No.", "Part No.", "Case size"]);
  items.addRow([1, "KV220H8X11", "8x11"]);
  items.addRow([2, "KV470H8X16", "8x16"]);
  items.addRow([3, "KV100H6X11", "6x11"]);
  const repl = wb.addWorksheet("Successors");
  repl.addRow(["No.", "Successor part no."]);
  repl.addRow([1, "KV220J8X11"]);
  repl.addRow([2, "KV470J8X16"]);
  repl.addRow([3, "-"]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

describe("a workbook with label rows above its table and replacements on a second sheet", () => {
  it("gives every row the workbook's dates and notice and its replacement from the second sheet", async () => {
    const b64 = (await workbook()).replace(/.{76}/g, "$&\r\n");
    const raw = [
      "From: Kavora Capacitors <eol@kavora-caps.example.net>",
      "To: buyer@example.net",
      "Subject: EOL notice KV-EOL-2026-14",
      "Date: Tue, 01 Sep 2026 10:00:00 +0900",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Dear customer, please find our EOL notice attached: the items and dates on one sheet, their successors on the other.",
      "--b1",
      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      'Content-Disposition: attachment; filename="KV-EOL-2026-14.xlsx"',
      "Content-Transfer-Encoding: base64",
      "",
      b64,
      "--b1--",
      "",
    ].join("\r\n");
    const email = await parseMime(raw, "json");
    const got = await extractFromEmail(email, { now: new Date("2026-09-01T00:00:00Z") });
    expect(
      got.notices.map((n) => [
        n.mpn,
        n.lifecycle_status,
        n.ltb_date,
        n.last_ship_date,
        n.replacement_mpn,
        n.pcn_id,
      ]),
    ).toEqual([
      ["KV220H8X11", "ltb", "2026-12-25", "2027-06-30", "KV220J8X11", "KV-EOL-2026-14"],
      ["KV470H8X16", "ltb", "2026-12-25", "2027-06-30", "KV470J8X16", "KV-EOL-2026-14"],
      ["KV100H6X11", "ltb", "2026-12-25", "2027-06-30", null, "KV-EOL-2026-14"],
    ]);
  });
});
