/**
 * Classes of notice the second round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): makers the table does not know, denied discontinuations whose
 * sections name one, parts written across words, notice numbers beside parts.
 */
import { describe, expect, it } from "vitest";
import { readText } from "./extract.testing.ts";
import { proseDateFacts } from "./facts.ts";
import { kindsInSentence } from "./signals.ts";
import { findTextTables } from "./text.tables.ts";

const read = (text: string, subject: string, from?: string) =>
  readText(text, subject, from).notices.map((n) => ({
    mpn: n.mpn,
    maker: n.manufacturer,
    status: n.lifecycle_status,
    type: n.notice_type,
    ltb: n.ltb_date,
    lts: n.last_ship_date,
    repl: n.replacement_mpn,
    pcn: n.pcn_id,
  }));

describe("makers the table does not know", () => {
  it("names the maker as the message spells the sender's domain", () => {
    const got = read(
      "Zentrion Sensors GmbH\n\nThe parts below reach end of life.\n\nPart Number   Last Time Buy\nZS-410A       2026-12-09\nZS-411A       2026-12-09\n",
      "End-of-life notice ZS-EOL-2026-3",
      "pcn@zentrion.com",
    );
    expect(got.map((n) => n.maker)).toEqual(["Zentrion", "Zentrion"]);
  });

  it("names the maker a distributor relays, not the distributor", () => {
    const got = read(
      "unser Lieferant Qorvex Devices hat uns die Abkündigung der Artikel mitgeteilt.\n\nArtikel:\n  QX1102NL\n  QX5311NL\n\nHändler GmbH, Musterstraße 1",
      "Abkündigungsinformation",
      "service@haendler-shop.de",
    );
    expect(new Set(got.map((n) => n.maker))).toEqual(new Set(["Qorvex Devices"]));
  });
});

describe("denied discontinuations", () => {
  it("reads 'NO products are discontinued' under a Discontinuation title as a change, sections included", () => {
    const got = read(
      [
        "Zeta Timing - Discontinuation Notice ZT-DN-2611",
        "",
        "Subject: discontinuation of final test operations at one subcontractor.",
        "",
        "Please note: NO products are discontinued by this notice. The oscillators below",
        "continue in full production; only their final test moves to a second site.",
        "",
        "  ZT1602BI-23-33E",
        "  ZT8008BI-13-33E",
      ].join("\n"),
      "Discontinuation Notice ZT-DN-2611",
    );
    expect(got.map((n) => [n.status, n.type])).toEqual([
      ["active", "product_change"],
      ["active", "product_change"],
    ]);
  });
});

describe("notice numbers beside parts", () => {
  it("never reports a notice number of a letter prefix, a year and a serial as a part", () => {
    const got = read(
      "The first-generation ICs NV7113/15 move to NRND, effective with this notice NVX-LC-2026-02.\n",
      "lifecycle notice NVX-LC-2026-02",
    );
    expect(got.map((n) => n.mpn)).toEqual(["NV7113", "NV7115"]);
  });
});

describe("one message, several kinds in its sentences", () => {
  it("gives each part the kind of the sentence that names it, and reads the dates that sentence states", () => {
    const got = read(
      [
        "Dear customer,",
        "",
        "This update revises our discontinuance notice HX-PDN-2026-05.",
        "",
        "1) The discontinuance of HX4410T is cancelled; the part stays in production.",
        "",
        "2) The discontinuance of HX5520T stands. The last order date is 30 November 2026 and the last shipment date will be 31 May 2027. Suggested alternative: HX5530T.",
      ].join("\n"),
      "Update to discontinuance notice HX-PDN-2026-05",
    );
    expect(got.map(({ mpn, status, ltb, lts, repl }) => ({ mpn, status, ltb, lts, repl }))).toEqual([
      { mpn: "HX4410T", status: "active", ltb: null, lts: null, repl: null },
      { mpn: "HX5520T", status: "ltb", ltb: "2026-11-30", lts: "2027-05-31", repl: "HX5530T" },
    ]);
  });
});

describe("replacements named in prose", () => {
  const repl = (text: string) =>
    read(text, "End-of-life notice HX-PDN-2026-07").map((n) => [n.mpn, n.repl] as const);

  it("reads a cue written after the parts it names ('… respectively are the recommended replacements')", () => {
    expect(
      repl(
        "The parts HX7710A and HX7720A will be discontinued; last order date 15 December 2026.\n\nThe HX7810A and HX7820A respectively are the recommended replacements.\n",
      ),
    ).toEqual([
      ["HX7710A", "HX7810A"],
      ["HX7720A", "HX7820A"],
    ]);
  });

  it("pairs 'X for Y' in a paragraph about replacements, 'none for Y' included", () => {
    expect(
      repl(
        [
          "The following parts are end of life:",
          "  HX1102NL",
          "  HX1203NL",
          "  HX1304NL",
          "",
          "Replacements: HX1102FNL for HX1102NL, HX1203FNL for HX1203NL; none for HX1304NL.",
        ].join("\n"),
      ),
    ).toEqual([
      ["HX1102NL", "HX1102FNL"],
      ["HX1203NL", "HX1203FNL"],
      ["HX1304NL", null],
    ]);
  });

  it("pairs 'For the X we recommend the Y' with the part its own sentence names", () => {
    expect(
      repl(
        [
          "We discontinue the sensors HX90614-ESF-000 and HX90615-DAG-000.",
          "Last order date: 30 Nov 2026.",
          "",
          "There is no direct successor for the HX90614 versions. For the HX90615-DAG-000 we recommend the HX90632-BCB-000 (SFN 3x3).",
        ].join("\n"),
      ),
    ).toEqual([
      ["HX90614-ESF-000", null],
      ["HX90615-DAG-000", "HX90632-BCB-000"],
    ]);
  });

  it("reads 'for new designs, please use' and 'suggested alternative:'", () => {
    expect(repl("The HX9000Q is end of life. For new designs, please use HX9100Q.\n")).toEqual([
      ["HX9000Q", "HX9100Q"],
    ]);
    expect(repl("The HX9200Q is end of life. Suggested alternative: HX9300Q.\n")).toEqual([
      ["HX9200Q", "HX9300Q"],
    ]);
  });
});

describe("dates and tables written loosely", () => {
  it("reads a date a verb away from its keyword ('LTB is …', '… will be …', '… date on …')", () => {
    const facts = (text: string) => proseDateFacts(text, 0).map((f) => [f.kind, f.value]);
    expect(facts("LTB is 12/18/2026 LTS is 06/18/2027")).toEqual([
      ["ltb", "2026-12-18"],
      ["lts", "2027-06-18"],
    ]);
    expect(facts("Last order date will be 15 December 2026 (last shipment date 30 June 2027).")).toEqual([
      ["ltb", "2026-12-15"],
      ["lts", "2027-06-30"],
    ]);
    expect(
      facts(
        "Orders are accepted until the last order date on 15 December 2026; last shipments 30 June 2027.",
      ),
    ).toEqual([
      ["ltb", "2026-12-15"],
      ["lts", "2027-06-30"],
    ]);
  });

  it("reads a German 'Herstellertyp' column as the part and a distributor's order-number column as no part", () => {
    const got = read(
      [
        "Der Hersteller hat die folgenden Artikel abgekündigt.",
        "",
        "Herstellertyp       Bürklin Best.-Nr.   Letzter Bestelltermin",
        "QX2210NL            12 A 3456           15.12.2026",
        "QX2211NL            12 A 3457           15.12.2026",
      ].join("\n"),
      "Abkündigung",
    );
    expect(got.map(({ mpn, ltb }) => [mpn, ltb])).toEqual([
      ["QX2210NL", "2026-12-15"],
      ["QX2211NL", "2026-12-15"],
    ]);
  });

  it("fills a ruled table's columns in order when a line has one chunk per column, however they drift", () => {
    expect(
      findTextTables([
        "Part number     Replacement     Last order date",
        "--------------- --------------- ---------------",
        "HX1102NL    HX1102FNL    2026-12-31",
        "HX1203NL        HX1203FNL       2026-12-31",
      ])[0]?.rows,
    ).toEqual([
      ["Part number", "Replacement", "Last order date"],
      ["HX1102NL", "HX1102FNL", "2026-12-31"],
      ["HX1203NL", "HX1203FNL", "2026-12-31"],
    ]);
  });

  it("reads an indented list below a 'label: value' line that states a date", () => {
    const got = read(
      "The following converter modules reach end of life.\nLast order date: 30 September 2026.\n\n  BXR05-1205S\n  BXR05-1212S\n  BXR05-1215S\n",
      "EOL Notice BX-EOL-26-07",
    );
    expect(got.map(({ mpn, ltb }) => [mpn, ltb])).toEqual([
      ["BXR05-1205S", "2026-09-30"],
      ["BXR05-1212S", "2026-09-30"],
      ["BXR05-1215S", "2026-09-30"],
    ]);
  });
});

describe("lists and states written in running text", () => {
  it("reads a relative last-time-buy date as an open buy window, and 'not set yet … from now' as none", () => {
    const relative = read(
      "We will discontinue the devices below. The last time buy (LTB) date is six months after the date of this notice.\n\nPart no.        Package\nHX3301AN0       QFN-33\n",
      "Discontinuation Notice HX-DN-2026-3",
    );
    expect(relative.map(({ status, ltb }) => [status, ltb])).toEqual([["ltb", null]]);
    const unset = read(
      "This is an advance notice: we plan to end production of the device below. Last order and last shipment dates have not been set yet and will be announced about three months from now.\n\nPart no.        Package\nHX3302AN0       QFN-33\n",
      "Advance EOL notice HX-EOL-26-A1",
    );
    expect(unset.map(({ status }) => status)).toEqual(["eol"]);
  });

  it("reads 'now obsolete' after a 'Following the notice …' opening as obsolete", () => {
    const got = read(
      [
        "Following the end-of-life notice HX-EOL-2025-01 issued last year, the HX5100",
        "and HX5300 controllers are now obsolete: the last time buy period has",
        "closed and no further orders can be accepted.",
        "",
        "  HX5100  (LQFP-80)   ->  please use HX5100S (LQFP-48)",
        "  HX5300  (LQFP-100)  ->  no successor",
      ].join("\n"),
      "HX5100 and HX5300 obsolete",
    );
    expect(got.map(({ mpn, status, repl }) => [mpn, status, repl])).toEqual([
      ["HX5100", "obsolete", "HX5100S"],
      ["HX5300", "obsolete", null],
    ]);
  });

  it("reads an indented block after a sentence that mentions dates, rows with a labelled cell included", () => {
    const got = read(
      [
        "We plan to end production of the serial flash devices below. Last order and last shipment",
        "dates have not been set yet.",
        "",
        "  HX25L6406EM2I-12G    (SOP 8L)  migration: HX25L6433FM2I-08G",
        "  HX25L3206EM2I-12G    (SOP 8L)  migration: HX25L3233FM2I-08G",
        "  HX25L1606EM1I-12G    (SOP 8L)  migration: no plan",
      ].join("\n"),
      "Advance EOL notice HX-EOL-26-A2",
    );
    expect(got.map(({ mpn, repl }) => [mpn, repl])).toEqual([
      ["HX25L6406EM2I-12G", "HX25L6433FM2I-08G"],
      ["HX25L3206EM2I-12G", "HX25L3233FM2I-08G"],
      ["HX25L1606EM1I-12G", null],
    ]);
  });

  it("still reads no parts below an intro that sets them apart", () => {
    const got = read(
      "The HX7000 will be discontinued; last order date 30 June 2026.\n\nThe following devices are not affected and remain in production:\n  HX7001  (SOIC-8)\n  HX7002  (SOIC-8)\n",
      "EOL notice HX-EOL-26-9",
    );
    expect(got.map(({ mpn }) => mpn)).toEqual(["HX7000"]);
  });
});

describe("date keywords and withdrawn products", () => {
  it("reads plural and spelled-out keywords ('Final orders will be accepted through …', 'Last Time Order Due', 'Last Date of Shipment')", () => {
    const facts = (text: string) => proseDateFacts(text, 0).map((f) => [f.kind, f.value]);
    expect(
      facts(
        "Final orders will be accepted through 31-Mar-2027 and final shipments will be made by 30-Sep-2027.",
      ),
    ).toEqual([
      ["ltb", "2027-03-31"],
      ["lts", "2027-09-30"],
    ]);
    const got = read(
      [
        "Some of our products will be withdrawn as detailed below. Please place Last Time Buy orders by the",
        "Last Time Order Due date.",
        "",
        "1. Part numbers (P/N -> alternative P/N)",
        "   HX0805C104KAT2A  ->  HX0805C104K4T2A",
        "   HX0603C103KAT2A  ->  (no alternative)",
        "",
        "2. Withdrawal schedule",
        "   Last Time Order Due: Oct.,30,26",
        "   Last Date of Shipment:   Jun.,30,27",
      ].join("\n"),
      "Product Withdrawal Notice HX-PW-2026-12",
    );
    expect(got.map(({ mpn, status, ltb, lts, repl }) => [mpn, status, ltb, lts, repl])).toEqual([
      ["HX0805C104KAT2A", "ltb", "2026-10-30", "2027-06-30", "HX0805C104K4T2A"],
      ["HX0603C103KAT2A", "ltb", "2026-10-30", "2027-06-30", null],
    ]);
  });

  it("reads 'products will be withdrawn' as the products ending, not the notice being withdrawn", () => {
    expect([
      ...kindsInSentence("This notification informs you that some of our products will be withdrawn."),
    ]).toEqual([]);
    expect([...kindsInSentence("Our notice HX-DN-2026-01 is withdrawn.")]).toContain("cancellation");
  });
});

describe("digests that state a row's event and its new status apart", () => {
  it("takes the strongest kind of the row's status columns, and a change event beside 'Active' still makes a notice", () => {
    const got = read(
      [
        "Weekly part risk alert: 3 events on your watch list.",
        "",
        "Manufacturer | MPN | Event | New status | Notice # | LTB",
        "Zentro | HX5110GTR7 | End of Life | LTB | PDN-ZT-2026-31 | 2026-12-31",
        "Halvex | HX4344-CZZR | Status change | NRND | HV-LCN-26-004 | -",
        "Corvane | HX4020-222MEC | PCN | Active | CV-PCN-2609 | -",
      ].join("\n"),
      "Weekly Part Risk Alert",
      "alerts@risk-monitor.example",
    );
    expect(got.map(({ mpn, status, type }) => [mpn, status, type])).toEqual([
      ["HX5110GTR7", "ltb", "discontinuance"],
      ["HX4344-CZZR", "nrnd", "status_update"],
      ["HX4020-222MEC", "active", "product_change"],
    ]);
  });
});
