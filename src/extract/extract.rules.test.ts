/**
 * The rules issue 19 added, each on a small message of its own (not the held-out texts): several
 * notices per message, family lists, German/French/Japanese vocabulary, digests with a status per
 * row, denied discontinuations, split tables, replacements named in sentences.
 */
import { describe, expect, it } from "vitest";
import { findDates } from "./dates.ts";
import { extractFromText } from "./extract.ts";
import { findTextTables } from "./text.tables.ts";

const now = new Date("2026-06-01T00:00:00Z");
const read = (text: string, subject: string, from = "pcn@example-maker.com") =>
  extractFromText(text, { now, subject, from }).notices.map((n) => ({
    mpn: n.mpn,
    status: n.lifecycle_status,
    ltb: n.ltb_date,
    lts: n.last_ship_date,
    repl: n.replacement_mpn,
    pcn: n.pcn_id,
  }));

describe("several notices in one message", () => {
  it("gives each list the kind its intro states (a retraction beside a discontinuance)", () => {
    const got = read(
      [
        "Notice No.: QX-DN-2026-11",
        "",
        "After review, the discontinuance of the items below is withdrawn and they return to active status:",
        "  QX100A12",
        "  QX100A15",
        "",
        "The following items remain discontinued:",
        "  QX200B10",
        "",
        "Last order date: 30 November 2026. Last shipment date: 31 May 2027.",
      ].join("\n"),
      "Revised discontinuance notice QX-DN-2026-11",
    );
    expect(got).toEqual([
      { mpn: "QX100A12", status: "active", ltb: null, lts: null, repl: null, pcn: "QX-DN-2026-11" },
      { mpn: "QX100A15", status: "active", ltb: null, lts: null, repl: null, pcn: "QX-DN-2026-11" },
      {
        mpn: "QX200B10",
        status: "ltb",
        ltb: "2026-11-30",
        lts: "2027-05-31",
        repl: null,
        pcn: "QX-DN-2026-11",
      },
    ]);
  });

  it("reads a Discontinuation title whose text says nothing is discontinued as a change", () => {
    const got = read(
      "The devices below are NOT being discontinued; only the reel size changes.\n\nDevices:\n  RX3300T1\n  RX3301T1\n",
      "Discontinuation Notice DN-77-1",
    );
    expect(got.map((n) => n.status)).toEqual(["active", "active"]);
  });

  it("reads a digest with a status transition per row", () => {
    const got = read(
      [
        "MPN          | Manufacturer | Lifecycle (was -> now) | Notice",
        "-------------+--------------+------------------------+----------",
        "KB2012GC     | Kingbright   | Active -> Obsolete     | KB-26-01",
        "LTV357T-B    | Lite-On      | Active -> NRND         | LO-26-02",
      ].join("\n"),
      "[BOM Alert] 2 lifecycle changes",
      "alerts@bom-platform.example",
    );
    expect(got.map((n) => [n.mpn, n.status, n.pcn])).toEqual([
      ["KB2012GC", "obsolete", "KB-26-01"],
      ["LTV357T-B", "nrnd", "LO-26-02"],
    ]);
  });
});

describe("family-prefixed model lists", () => {
  it("joins a family and its suffixes", () => {
    const got = read(
      "We discontinue the sensor ZS4410 in the versions AB-100-TR, AC-100-TR and AD-200-TR.\nLast order date: 2026-12-31",
      "End of life notice EOL-2026-9",
    );
    expect(got.map((n) => n.mpn)).toEqual(["ZS4410AB-100-TR", "ZS4410AC-100-TR", "ZS4410AD-200-TR"]);
  });

  it("joins dash-led ordering suffixes to the family or to the part they follow", () => {
    const got = read(
      "The modules below are Not Recommended for New Designs.\n\n  * MOD77-X, ordering codes -N4 and -N8\n  * MOD77-Y-N4 and -N8\n",
      "NRND notice PCN-2026-3",
    );
    expect(got.map((n) => n.mpn).sort()).toEqual(["MOD77-X-N4", "MOD77-X-N8", "MOD77-Y-N4", "MOD77-Y-N8"]);
  });
});

describe("German, French and Japanese notices", () => {
  it("reads German article numbers, labels and dates", () => {
    const got = read(
      [
        "hiermit informieren wir Sie über die Abkündigung der folgenden Artikel.",
        "Letzter Bestelltermin:   30.06.2027",
        "Letzte Auslieferung:     31.12.2027",
        "",
        "Artikelnr.  Beschreibung          Nachfolger",
        "4711001     Klemme 2-polig        4711101",
        "4711002     Klemme 3-polig        kein Nachfolger",
      ].join("\n"),
      "Abkündigungsmitteilung AK-2026-77",
    );
    expect(got).toEqual([
      {
        mpn: "4711001",
        status: "ltb",
        ltb: "2027-06-30",
        lts: "2027-12-31",
        repl: "4711101",
        pcn: "AK-2026-77",
      },
      { mpn: "4711002", status: "ltb", ltb: "2027-06-30", lts: "2027-12-31", repl: null, pcn: "AK-2026-77" },
    ]);
  });

  it("reads a French end-of-life notice", () => {
    const got = read(
      [
        "Nous vous informons de l'arrêt de fabrication des références ci-dessous.",
        "Référence        Désignation              Référence de remplacement",
        "FR20010000       Connecteur droit         FR20010001",
        "Date limite de commande : 30 juin 2027",
        "Dernières livraisons : 31/12/2027",
      ].join("\n"),
      "Avis de fin de vie FDV-2026-4",
    );
    expect(got).toEqual([
      {
        mpn: "FR20010000",
        status: "ltb",
        ltb: "2027-06-30",
        lts: "2027-12-31",
        repl: "FR20010001",
        pcn: "FDV-2026-4",
      },
    ]);
  });

  it("reads a Japanese table aligned with ideographic spaces, and era and fiscal-year dates", () => {
    const got = read(
      [
        "下記製品の生産を終了いたします。",
        "通知番号：JP-EOL-26-0001",
        "　品番　　　　　　　　推奨代替品",
        "　JA1234B5　　　　　　JA1234BU",
        "最終受注日：令和8年9月30日",
        "最終出荷日：2026年度末",
      ].join("\n"),
      "生産終了のご案内",
    );
    expect(got).toEqual([
      {
        mpn: "JA1234B5",
        status: "ltb",
        ltb: "2026-09-30",
        lts: "2027-03-31",
        repl: "JA1234BU",
        pcn: "JP-EOL-26-0001",
      },
    ]);
    expect(findTextTables(["　品番　　　　推奨代替品", "　JA1234B5　　JA1234BU"])[0]?.rows).toEqual([
      ["品番", "推奨代替品"],
      ["JA1234B5", "JA1234BU"],
    ]);
    expect(findDates("平成31年4月30日 / 1er août 2026 / Oct.,30,26").map((d) => d.iso)).toEqual([
      "2019-04-30",
      "2026-08-01",
      "2026-10-30",
    ]);
  });
});

describe("fields spread over a message", () => {
  it("completes a table with the same parts' dates and replacements from a second table", () => {
    const got = read(
      [
        "The devices below are discontinued.",
        "",
        "Part Number         Package",
        "QV100TR7            QFN 3x3",
        "QV200Z              SOT-89",
        "",
        "Part Number         Last Time Buy   Last Time Ship   Replacement",
        "QV100TR7            29-Jan-2027     29-Jul-2027      QV110TR7",
        "QV200Z              29-Jan-2027     29-Jul-2027      -",
      ].join("\n"),
      "Product Discontinuance Notice QV-PDN-1",
    );
    expect(got.map((n) => [n.mpn, n.ltb, n.lts, n.repl])).toEqual([
      ["QV100TR7", "2027-01-29", "2027-07-29", "QV110TR7"],
      ["QV200Z", "2027-01-29", "2027-07-29", null],
    ]);
  });

  it("pairs replacements named in a sentence with the parts, in order", () => {
    const got = read(
      "The AB3400 and AB3401 will be discontinued. Customers should migrate to the AB3400A and AB3401A respectively.\nLast time buy: 2026-09-30",
      "PDN 2608",
    );
    expect(got.map((n) => [n.mpn, n.repl])).toEqual([
      ["AB3400", "AB3400A"],
      ["AB3401", "AB3401A"],
    ]);
  });

  it("keeps a packing or coil-voltage code written after a space in a part column", () => {
    const got = read(
      "The parts below are discontinued.\n\nPart Number      Case\nZD5918B TR13     SMA\nRLY-1 DC12       THT\n",
      "PDN 01297",
    );
    expect(got.map((n) => n.mpn)).toEqual(["ZD5918B TR13", "RLY-1 DC12"]);
  });

  it("ties each inline date to the keyword right before it", () => {
    const got = read(
      "The crystals below reach end of life.\nXT8-25.000MHZ-T     LTB 12/18/2026   LTS 06/18/2027   Repl: XT8-25.000MHZ-1-T\n",
      "End-of-Life Notice XT-EOL-1",
    );
    expect(got[0]).toMatchObject({ ltb: "2026-12-18", lts: "2027-06-18", repl: "XT8-25.000MHZ-1-T" });
  });
});
