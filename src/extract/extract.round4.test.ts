/**
 * Classes of notice the fourth round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): numbered and bulleted labels of Japanese and Korean notices, the last
 * day of a month, makers that number parts like distributors, package codes after a notice word,
 * relative windows in other languages, makers known only by their domain, surveys and price letters.
 */
import { describe, expect, it } from "vitest";
import { findDates, vagueDate } from "./dates.ts";
import { readText } from "./extract.testing.ts";
import { splitLabel } from "./facts.ts";
import { judgeMpn } from "./mpn.shape.ts";

const read = readText;

describe("labels and dates of East Asian notices", () => {
  it("reads numbered and bulleted labels", () => {
    expect(splitLabel("２．最終受注日　　2027年3月31日".normalize("NFKC"))).toEqual({
      label: "最終受注日",
      value: "2027年3月31日",
    });
    expect(splitLabel("■ 최종 주문일: 2027년 4월 30일")).toEqual({
      label: "최종 주문일",
      value: "2027년 4월 30일",
    });
    expect(splitLabel("(3) Last order date: 2027-03-31")).toEqual({
      label: "Last order date",
      value: "2027-03-31",
    });
  });

  it("reads the last day of a month (末日) as a day, and the end of a month (末, 底) as a window", () => {
    expect(findDates("2027年3月末日").map((d) => d.iso)).toEqual(["2027-03-31"]);
    expect(findDates("2028年2月末日").map((d) => d.iso)).toEqual(["2028-02-29"]);
    expect(findDates("2028年5月末")).toEqual([]);
    expect(vagueDate("2028年5月末")).toBe("window");
    expect(vagueDate("2027年6月底")).toBe("window");
  });

  it("names a maker by its domain when a Japanese notice spells it only in Japanese", () => {
    const got = read(
      [
        "下記機種につきましては生産を終了させていただくことになりました。",
        "",
        "対象機種　　　　　後継機種",
        "QZ2Y0A21YK0F　　　QZ2Y0E03",
        "",
        "１．最終受注日　　2027年3月末日",
        "２．最終出荷日　　2027年9月30日",
      ].join("\n"),
      "生産終了のご案内（QZ-DN-27-118）",
      "sensor-info@quzaru.co.jp",
    ).notices;
    expect(
      got.map((n) => [
        n.mpn,
        n.manufacturer,
        n.lifecycle_status,
        n.ltb_date,
        n.last_ship_date,
        n.replacement_mpn,
      ]),
    ).toEqual([["QZ2Y0A21YK0F", "Quzaru", "ltb", "2027-03-31", "2027-09-30", "QZ2Y0E03"]]);
  });
});

describe("part numbers that look like something else", () => {
  it("keeps a maker's part that starts with three digits and a dash, and turns away a distributor's", () => {
    expect(judgeMpn("851-36RC10-6S50", "column").ok).toBe(true);
    expect(judgeMpn("597-3311-407F", "list").ok).toBe(true);
    expect(judgeMpn("595-TPS54331D", "column").reason).toBe("distributor number");
    expect(judgeMpn("851-36RC10-6S50", "prose").reason).toBe("distributor number");
  });

  it("keeps a package code after a notice word inside a part, and turns away notice IDs", () => {
    expect(judgeMpn("QS3FF512-PDN64", "prose").ok).toBe(true);
    expect(judgeMpn("XY-PDN-2026", "column").ok).toBe(false);
    expect(judgeMpn("PCN12345", "column").ok).toBe(false);
    expect(judgeMpn("ST-PCN12345", "column").ok).toBe(false);
  });
});

describe("windows, references and letters", () => {
  it("reads relative buy windows in Italian, Spanish, German and French, and with a number in brackets", () => {
    for (const t of [
      "entro 6 mesi dalla data della presente",
      "dentro de 6 meses desde la fecha de este aviso",
      "innerhalb von 6 Monaten nach Veröffentlichung",
      "6 mois après la date de cet avis",
      "six (6) months after the date of this notice",
    ])
      expect(vagueDate(t), t).toBe("window");
  });

  it("reads 'Ref.' in the subject as the notice ID", () => {
    const got = read(
      "The products below reach end of life.\n\nModel Number\tRecommended Replacement\nQPL15US05-S\tQPE20US05\n\nLast Time Buy Date: 30-Jun-2027",
      "End of Life Notice - QPL series (Ref. QPN-2026-0311)",
    ).notices;
    expect(got.map((n) => [n.mpn, n.pcn_id, n.replacement_mpn])).toEqual([
      ["QPL15US05-S", "QPN-2026-0311", "QPE20US05"],
    ]);
  });

  it("does not take a survey about notices for a notice", () => {
    const got = read(
      "Every year we ask customers who received our product discontinuation (PDN) notices how well they served them. This year you received PDN 2027-003 (for example the QX578XRU).",
      "Your opinion counts: PCN / PDN communication survey 2027",
    );
    expect(got).toEqual({ is_lifecycle_notice: false, notices: [] });
  });

  it("does not take a price letter with an order cut-off for a notice, unless it discontinues parts", () => {
    const table = "Part Number   Current price   New price\nQW8737SCSR    0.182           0.199\n";
    expect(
      read(
        `${table}\nThe last date to place orders at the current prices is December 15, 2027. All products listed remain in full production.`,
        "Price adjustment notice - effective January 1, 2028",
      ).is_lifecycle_notice,
    ).toBe(false);
    expect(
      read(
        `${table}\nThe QW8737SCSR will be discontinued; last time buy December 15, 2027.`,
        "Price adjustment notice - effective January 1, 2028",
      ).notices.map((n) => [n.mpn, n.lifecycle_status]),
    ).toEqual([["QW8737SCSR", "ltb"]]);
  });
});

describe("sections and digests", () => {
  it("gives parts the kind of their numbered section, not of what its paragraph mentions in passing", () => {
    const got = read(
      [
        "This notification covers two separate changes.",
        "",
        "1. PRODUCT CHANGE (parts remain active)",
        "",
        "Because the controller has been discontinued by its supplier, the modules below will be",
        "built with a new controller. The part numbers do not change.",
        "",
        "   QHD-0216K1Z-FL-YBW",
        "   QHD-0420DZ-FL-YBW",
        "",
        "2. END OF LIFE",
        "",
        "The modules below are discontinued.",
        "",
        "   Part number                 Replacement",
        "   QHD-C0220BIZ-FSW-FBW        none",
        "",
        "Final orders must be received by March 12, 2027.",
      ].join("\n"),
      "PCN / EOL Notification QHD-PCN-2026-27",
    ).notices;
    expect(got.map((n) => [n.mpn, n.lifecycle_status, n.notice_type, n.ltb_date])).toEqual([
      ["QHD-C0220BIZ-FSW-FBW", "ltb", "discontinuance", "2027-03-12"],
      ["QHD-0216K1Z-FL-YBW", "active", "product_change", null],
      ["QHD-0420DZ-FL-YBW", "active", "product_change", null],
    ]);
  });

  it("reads a digest's Key dates column and a replacement cell that says more than the part", () => {
    const got = read(
      [
        "Weekly BOM alert",
        "",
        "Manufacturer | MPN        | Status change | Key dates                     | Replacement / details",
        "Qorvex       | QX9523BTQR | Active → EOL  | LTB 31-Aug-2027 LTS 29-Feb-2028 | QX95016QNR",
        "Zentrion     | ZN8394-F   | Active → NRND | -                             | Successor ZN83102-E; supply continues",
      ].join("\n"),
      "Weekly alert: 2 lifecycle changes in your BOM",
      "no-reply@alerts.platform.example",
    ).notices;
    expect(
      got.map((n) => [n.mpn, n.lifecycle_status, n.ltb_date, n.last_ship_date, n.replacement_mpn]),
    ).toEqual([
      ["QX9523BTQR", "ltb", "2027-08-31", "2028-02-29", "QX95016QNR"],
      ["ZN8394-F", "nrnd", null, null, "ZN83102-E"],
    ]);
  });

  it("pairs 'customers using X are invited to evaluate Y'", () => {
    const got = read(
      "The QS3 platform is discontinued in its QFN package, QS3FF512-PDN64. Customers using the QS3FF512-PDN64 are invited to evaluate the QS3AF512-PDN64. Last time buy orders must be received by October 29, 2027.",
      "Product Discontinuance Notice QS-PDN-2027-01",
    ).notices;
    expect(got.map((n) => [n.mpn, n.replacement_mpn])).toEqual([["QS3FF512-PDN64", "QS3AF512-PDN64"]]);
  });
});

describe("columns the message calls internal", () => {
  it("orders by the product name when the article number is declared internal", () => {
    const got = read(
      [
        "We discontinue the sensors below. Please use the product name when ordering through",
        "distribution; the article number is our internal material number.",
        "",
        "Product   Article no.    Successor",
        "QHT21     1-100707-01    QHT40-AD1B",
        "QHT25     1-100769-01    QHT45-AD1B",
        "",
        "Last-time-buy: 2026-12-31",
      ].join("\n"),
      "End-of-Life Notification EOL-2026-QHT2x",
    ).notices;
    expect(got.map((n) => [n.mpn, n.replacement_mpn])).toEqual([
      ["QHT21", "QHT40-AD1B"],
      ["QHT25", "QHT45-AD1B"],
    ]);
  });
});
