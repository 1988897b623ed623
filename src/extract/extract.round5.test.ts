/**
 * Classes of notice the fifth round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): platform alerts laid out as cards, whole ordering codes, sections that
 * share a part, orders "accepted until", Polish notices, Korean dotted dates, revised LTB columns,
 * type names beside catalogue numbers, answers to status requests, newsletters, CJK negations.
 */
import { describe, expect, it } from "vitest";
import { findDates } from "./dates.ts";
import { readText } from "./extract.testing.ts";
import { mpnsInCell, orderingCode } from "./mpn.cell.ts";
import { readCards } from "./parts.cards.ts";
import { posLine } from "./parts.lists.ts";

const read = readText;
const lines = (texts: readonly string[]) => texts.map((t, i) => posLine(t, i, "html", i + 1));

describe("platform alerts in cards", () => {
  const card = [
    "Lifecycle changes on BOM CTRL-7",
    "",
    "Qorvex",
    "QX4300010",
    "Production → NRND",
    "Source: manufacturer website",
    "Zentrion",
    "ZR930-10.0-1%",
    "Production → EOL",
    "Notice: ZR-PDN-2704",
    "Last time buy: Aug 31, 2027",
    "Suggested alternative: ZR9100-10.0-1%",
    "Quintor Components",
    "QT103AT-2",
    "EOL → Obsolete",
    "- Alternate: none listed by manufacturer",
  ];

  it("reads each card as a record of its own: maker, part, status change, labels", () => {
    const got = readCards(lines(card));
    expect(
      got.map((c) => [c.mpn, c.maker, c.kind, c.pcn ?? null, c.ltb?.iso ?? null, c.replacement]),
    ).toEqual([
      ["QX4300010", "Qorvex", "nrnd", null, null, null],
      ["ZR930-10.0-1%", "Zentrion", "discontinuance", "ZR-PDN-2704", "2027-08-31", "ZR9100-10.0-1%"],
      ["QT103AT-2", "Quintor Components", "obsolete", null, null, null],
    ]);
  });

  it("gives no card another card's notice, and names the brand without its division word", () => {
    const got = read(card.join("\n"), "3 lifecycle changes on your BOM", "alerts@platform.example").notices;
    expect(got.map((n) => [n.mpn, n.manufacturer, n.lifecycle_status, n.pcn_id])).toEqual([
      ["QX4300010", "Qorvex", "nrnd", null],
      ["ZR930-10.0-1%", "Zentrion", "ltb", "ZR-PDN-2704"],
      ["QT103AT-2", "Quintor", "obsolete", null],
    ]);
  });

  it("needs two cards: one part over a status is a heading", () => {
    expect(readCards(lines(["QX4300010", "EOL"]))).toEqual([]);
  });
});

describe("ordering codes and part columns", () => {
  it("keeps an Order Designation cell whole, package included", () => {
    expect(orderingCode("iQ-MH8 QFN16-5x5")).toBe("iQ-MH8 QFN16-5x5");
    expect(orderingCode("iQ-WE SO8")).toBe("iQ-WE SO8");
    expect(orderingCode("angle encoder")).toBeNull();
    const got = read(
      "We discontinue the products below.\n\n  Order Designation     Description          Successor\n  iQ-MH8 QFN16-5x5      angle encoder        iQ-MHM QFN16-5x5\n  iQ-WE SO8             line driver          none\n\nLast order date:  30.06.2027",
      "Product Discontinuation Notice PDN-2027-02",
    ).notices;
    expect(got.map((n) => [n.mpn, n.replacement_mpn])).toEqual([
      ["iQ-MH8 QFN16-5x5", "iQ-MHM QFN16-5x5"],
      ["iQ-WE SO8", null],
    ]);
  });

  it("prefers the type name to a catalogue number, unless the message says to order by number", () => {
    const table =
      "Typ             Artikel-Nr.   Nachfolgetyp\nQKM100GB12T4    22892020      QKM100GB12V\nQKM150GB12T4    22892030      QKM150GB12V\n";
    const byName = read(
      `Wir kündigen die folgenden Module ab.\n\n${table}\nLetzter Bestelltermin: 30.09.2027`,
      "Abkündigungsmitteilung AM-2027-014",
    );
    expect(byName.notices.map((n) => n.mpn)).toEqual(["QKM100GB12T4", "QKM150GB12T4"]);
    const byNumber = read(
      `Wir kündigen die folgenden Module ab. Bitte bestellen Sie ausschließlich über die Artikelnummer.\n\n${table}\nLetzter Bestelltermin: 30.09.2027`,
      "Abkündigungsmitteilung AM-2027-014",
    );
    expect(byNumber.notices.map((n) => n.mpn)).toEqual(["22892020", "22892030"]);
  });

  it("reads a four-digit model with one letter as part of a spaced code", () => {
    expect(mpnsInCell("5856C SL005")).toEqual(["5856C SL005"]);
  });

  it("keeps a part listed in a section of its own although another section names it as a replacement", () => {
    const got = read(
      [
        "(A) Part numbers affected by the change (remain active)",
        "",
        "    0906-2-15-20-75-14-11-0",
        "    0907-0-15-20-75-14-11-0",
        "",
        "(B) Configurations that are discontinued",
        "",
        "    Discontinued part number        Recommended replacement",
        "    0906-0-15-20-75-14-11-0         0906-2-15-20-75-14-11-0",
        "",
        "Orders for the discontinued configurations (B) will be accepted until October 29, 2027 for delivery no later than January 28, 2028.",
      ].join("\n"),
      "PCN 27-011: spring material change; configurations discontinued",
    ).notices;
    expect(got.map((n) => [n.mpn, n.lifecycle_status, n.ltb_date, n.last_ship_date])).toEqual([
      ["0906-0-15-20-75-14-11-0", "ltb", "2027-10-29", "2028-01-28"],
      ["0906-2-15-20-75-14-11-0", "active", null, null],
      ["0907-0-15-20-75-14-11-0", "active", null, null],
    ]);
  });

  it("takes the revised of two last-time-buy columns", () => {
    const got = read(
      "The last time buy date is extended.\n\nModel              Original LTB    Revised LTB    LTS\nQSAC10R-050(P)     29-Jan-2027     30-Apr-2027    30-Jul-2027\n",
      "EOL Notice QH-EOL-2026-031 Rev.1 - Last Time Buy extended",
    ).notices;
    expect(got.map((n) => [n.mpn, n.ltb_date, n.last_ship_date])).toEqual([
      ["QSAC10R-050(P)", "2027-04-30", "2027-07-30"],
    ]);
  });
});

describe("languages, dates and letters", () => {
  it("reads a Polish end-of-production notice", () => {
    const got = read(
      "Uprzejmie informujemy, że poniższe moduły zostaną wycofane z oferty w związku z zakończeniem produkcji.\n\nKod produktu        Zamiennik\nQVT43ULTNWC00       QVT43ULTNWC03\nQVT70HSSNWN00       brak zamiennika\n\nOstatnie zamówienia przyjmujemy do 31.07.2027 r.\nOstatnie dostawy zrealizujemy do 31 stycznia 2028 r.",
      "Powiadomienie o zakończeniu produkcji (EOL) nr QV-EOL-2027-01",
    ).notices;
    expect(
      got.map((n) => [n.mpn, n.lifecycle_status, n.ltb_date, n.last_ship_date, n.replacement_mpn, n.pcn_id]),
    ).toEqual([
      ["QVT43ULTNWC00", "ltb", "2027-07-31", "2028-01-31", "QVT43ULTNWC03", "QV-EOL-2027-01"],
      ["QVT70HSSNWN00", "ltb", "2027-07-31", "2028-01-31", null, "QV-EOL-2027-01"],
    ]);
  });

  it("reads Korean dotted dates and notice IDs with two prefixes", () => {
    expect(findDates("최종 주문일: 2027. 6. 30.").map((d) => d.iso)).toEqual(["2027-06-30"]);
    const got = read(
      "The parts below are discontinued.\n\nPart Number   LTB\nQS9648-100    2027-03-31\n",
      "Discontinuation notice HPQ-SSD-DN-27-011",
    ).notices;
    expect(got[0]?.pcn_id).toBe("HPQ-SSD-DN-27-011");
  });

  it("does not take an answer to a status request, a newsletter or a Chinese price letter for a notice", () => {
    expect(
      read(
        "Part number        Status\nQKR101M1CE11M      Active\nQKR471M1EG16M      Active\n\nWe confirm that none of these parts is scheduled for end of life, last time buy or discontinuation.",
        "RE: EOL status request - QK series",
      ).is_lifecycle_notice,
    ).toBe(false);
    expect(
      read(
        "Move your battery's end of life further out: our application note shows how. You receive this newsletter because you subscribed.",
        "Insider | QA510 in mass production",
        "news@example-maker.com",
      ).is_lifecycle_notice,
    ).toBe(false);
    expect(
      read(
        "型号            调整幅度\nQS1237-SO       +8%\n\n以上产品均正常供货，并非停产产品。",
        "【价格调整通知】部分产品价格调整",
      ).is_lifecycle_notice,
    ).toBe(false);
  });
});
