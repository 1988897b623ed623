import { describe, expect, it } from "vitest";
import { extractFromDoc, extractFromText } from "./extract.ts";
import { htmlToDoc } from "./html.doc.ts";

const now = new Date("2026-06-01T00:00:00Z");
const ctx = (subject: string, from = "pcn@ti.com") => ({ now, subject, from });
const byMpn = (r: ReturnType<typeof extractFromText>) => Object.fromEntries(r.notices.map((n) => [n.mpn, n]));

describe("layouts", () => {
  it("reads a pipe table with free column order and per-row dates", () => {
    const r = extractFromText(
      [
        "Notice number: PDN-77-001",
        "The parts below are discontinued.",
        "| Replacement | LTB date | Part number | Last ship |",
        "|---|---|---|---|",
        "| TPS7A4701RGWR | 2027-01-31 | TPS7A4700RGWR | 2027-07-31 |",
        "| None | 2027-02-28 | LM317TG | 2027-08-31 |",
      ].join("\n"),
      ctx("Product discontinuance"),
    );
    expect(byMpn(r)).toMatchObject({
      TPS7A4700RGWR: {
        replacement_mpn: "TPS7A4701RGWR",
        ltb_date: "2027-01-31",
        last_ship_date: "2027-07-31",
        lifecycle_status: "ltb",
        pcn_id: "PDN-77-001",
        manufacturer: "Texas Instruments",
      },
      LM317TG: { replacement_mpn: null, ltb_date: "2027-02-28" },
    });
    expect(r.notices[0]!.source.layout).toBe("table");
  });

  it("reads a tab-separated table", () => {
    const r = extractFromText(
      "Affected devices\nDevice\tReplacement\nOPA2134PA\tOPA2156IDR\n\nLast time buy: 31.03.2027",
      ctx("EOL notice"),
    );
    expect(r.notices).toMatchObject([
      { mpn: "OPA2134PA", replacement_mpn: "OPA2156IDR", ltb_date: "2027-03-31" },
    ]);
  });

  it("reads a fixed-width table without a rule under the header", () => {
    const r = extractFromText(
      "End of life notice EOL-12\n\nPart Number      Replacement\nABC1234-TR       ABC1240-TR\nABC1235-TR       n/a\n",
      ctx("EOL", "eol@vishay.com"),
    );
    expect(r.notices.map((n) => [n.mpn, n.replacement_mpn, n.lifecycle_status, n.manufacturer])).toEqual([
      ["ABC1234-TR", "ABC1240-TR", "eol", "Vishay"],
      ["ABC1235-TR", null, "eol", "Vishay"],
    ]);
  });

  it("expands rowspan and colspan in HTML tables and ignores 12NC and distributor columns", () => {
    const html = `<p>Discontinuation notice DN-55</p><table>
      <tr><th>Orderable part number</th><th>12NC</th><th>Mouser No.</th><th>Last time buy</th></tr>
      <tr><td>BC847B,235</td><td>934058530235</td><td>771-BC847B235</td><td rowspan="2">30.11.2026</td></tr>
      <tr><td>BC857B,235</td><td>934059164235</td><td>771-BC857B235</td></tr>
      <tr><td colspan="4">Logic</td></tr>
      <tr><td>74HC00PW,112</td><td>934070576112</td><td>771-74HC00PW112</td><td>31.12.2026</td></tr></table>`;
    const r = extractFromDoc(htmlToDoc(html), ctx("Discontinuation", "pcn@nexperia.com"));
    expect(r.notices.map((n) => [n.mpn, n.ltb_date])).toEqual([
      ["BC847B,235", "2026-11-30"],
      ["BC857B,235", "2026-11-30"],
      ["74HC00PW,112", "2026-12-31"],
    ]);
  });

  it("reads a bulleted list with replacement sub-lines and drops parts said not to be affected", () => {
    const r = extractFromText(
      [
        "END OF LIFE NOTICE LF-9",
        "Last Time Buy: 12/31/2026",
        "Affected products:",
        "- 0451002.MRL",
        "    Replacement: 0453002.MR",
        "- 0154005.DRT",
        "    Replacement: No replacement available",
        "",
        "Part 0451003.MRL is not affected by this notice.",
      ].join("\n"),
      ctx("End of Life Notice", "pcn@littelfuse.com"),
    );
    expect(r.notices.map((n) => [n.mpn, n.replacement_mpn, n.ltb_date, n.source.layout])).toEqual([
      ["0451002.MRL", "0453002.MR", "2026-12-31", "list"],
      ["0154005.DRT", null, "2026-12-31", "list"],
    ]);
  });

  it("reads records of a multi-maker digest, each with its own maker, status and ID", () => {
    const r = extractFromText(
      [
        "1) Texas Instruments - Last Time Buy",
        "   Manufacturer Part Number: TLC5940NT",
        "   Digi-Key Part Number:     296-17732-5-ND",
        "   Manufacturer Notice:      20260428004",
        "   Last Time Buy Date:       Nov 30, 2026",
        "",
        "2) STMicroelectronics - NRND",
        "   Manufacturer Part Number: L7805CV",
        "   Manufacturer Notice:      NRND-2026-0001",
      ].join("\n"),
      ctx("Product change notifications", "pcn@digikey.com"),
    );
    expect(byMpn(r)).toMatchObject({
      TLC5940NT: {
        manufacturer: "Texas Instruments",
        lifecycle_status: "ltb",
        pcn_id: "20260428004",
        ltb_date: "2026-11-30",
      },
      L7805CV: {
        manufacturer: "STMicroelectronics",
        lifecycle_status: "nrnd",
        notice_type: "status_update",
        ltb_date: null,
      },
    });
    expect(r.notices.some((n) => n.mpn.endsWith("-ND"))).toBe(false);
  });

  it("reads parts from prose when nothing else names them, but not lots, orders or documents", () => {
    const r = extractFromText(
      "Please be advised that the TPS7A4700RGWR will be discontinued. Your order PO 4500873312 and lot 3A12477 are unaffected. See AN-2291.",
      ctx("Discontinuance"),
    );
    expect(r.notices.map((n) => [n.mpn, n.lifecycle_status, n.source.layout])).toEqual([
      ["TPS7A4700RGWR", "eol", "prose"],
    ]);
  });

  it("reads a forwarded notice under a distributor's note, taking the maker from the forwarded sender", () => {
    const r = extractFromText(
      [
        "Hi, see below. Your PO 4500871234 is open.",
        "",
        "---------- Forwarded message ---------",
        "From: Molex PCN <pcn@molex.com>",
        "Subject: Molex PDN-2026-0419",
        "",
        "PDN No.: PDN-2026-0419 Rev.2",
        "Last Ship Date: 30-Jun-2027",
        "",
        "Part Number   Replacement",
        "-----------   -----------",
        "0430450200    0430450212",
      ].join("\n"),
      ctx("Fwd: Molex PDN", "rep@arrow.com"),
    );
    expect(r.notices).toMatchObject([
      {
        mpn: "0430450200",
        manufacturer: "Molex",
        pcn_id: "PDN-2026-0419",
        last_ship_date: "2027-06-30",
        lifecycle_status: "ltb",
      },
    ]);
  });
});

describe("statuses", () => {
  const table = "\n\nPart number   Replacement\n-----------   -----------\nXYZ1234ABC    XYZ1240ABC\n";
  it.each([
    ["Product discontinuance notice", "Last time buy: 2027-01-31", "ltb", "discontinuance"],
    ["End-of-life notice", "Dates have not yet been set.", "eol", "discontinuance"],
    ["EOL notice", "Last order acceptance: Q2 2027", "ltb", "discontinuance"],
    [
      "Obsolescence notice",
      "These products are now obsolete and can no longer be ordered.",
      "obsolete",
      "discontinuance",
    ],
    [
      "Lifecycle change",
      "The products below are Not Recommended for New Designs (NRND). No last time buy applies.",
      "nrnd",
      "status_update",
    ],
    [
      "PDN cancellation notice",
      "TI has decided to cancel that discontinuance; the devices return to active status.",
      "active",
      "status_update",
    ],
    [
      "Status update",
      "The devices listed below are reactivated and return to production.",
      "active",
      "status_update",
    ],
    [
      "Process change notification",
      "An additional wafer fab has been qualified. Parts remain in full production.",
      "active",
      "product_change",
    ],
    [
      "Material change notice",
      "Mold compound material change; no change in form, fit or function.",
      "active",
      "product_change",
    ],
  ])("%s + %j → %s / %s", (subject, body, status, type) => {
    const r = extractFromText(`${body}${table}`, ctx(subject));
    expect(r.notices.map((n) => [n.lifecycle_status, n.notice_type])).toEqual([[status, type]]);
  });

  it("does not read negated or hypothetical words as the status", () => {
    const r = extractFromText(
      `NRND does not mean that the products are discontinued. Should we decide to discontinue them, a separate notice will be issued.${table}`,
      ctx("Not recommended for new designs"),
    );
    expect(r.notices[0]!.lifecycle_status).toBe("nrnd");
  });

  it("takes the status from a status column and from the part column's header", () => {
    const r = extractFromText(
      "MFR PART   STATUS     LTB DATE\n--------   -------    --------\nAB1234CD   EOL        TBD\nEF5678GH   Obsolete   -\n\nNRND product   Recommended\n------------   -----------\nJK9012LM       JK9020LM\n",
      ctx("Weekly PCN/EOL alert", "alerts@arrow.com"),
    );
    expect(r.notices.map((n) => [n.mpn, n.lifecycle_status])).toEqual([
      ["AB1234CD", "eol"],
      ["EF5678GH", "obsolete"],
      ["JK9012LM", "nrnd"],
    ]);
  });
});

describe("not lifecycle notices", () => {
  it("an out-of-office reply naming parts and a PDN", () => {
    const r = extractFromText(
      "I am out of the office until Monday.",
      ctx("Automatic reply: LTB for PDN #26118 (FQP30N06L)"),
    );
    expect(r).toEqual({ is_lifecycle_notice: false, notices: [] });
  });

  it("a newsletter listing new products", () => {
    const r = extractFromText(
      "FEATURED NEW PRODUCTS\n\n* STMicroelectronics STM32U575ZIT6Q\n  Mouser #: 511-STM32U575ZIT6Q\n\nWebinar: learn how to manage end-of-life notices and last-time-buy decisions.",
      ctx("New this week", "news@email.mouser.com"),
    );
    expect(r.is_lifecycle_notice).toBe(false);
  });

  it("a reminder without parts", () => {
    const r = extractFromText(
      "Reminder: the last time buy window for PDN 2026-17 closes on 2026-09-30.",
      ctx("Reminder: LTB closes soon"),
    );
    expect(r).toEqual({ is_lifecycle_notice: false, notices: [] });
  });

  it("an order confirmation table says nothing about a lifecycle", () => {
    const r = extractFromText(
      "Part Number   Qty    Price\nLM317TG       100    0.42\n",
      ctx("Your order 12345 has shipped"),
    );
    expect(r.notices).toEqual([]);
  });
});
