/**
 * Classes of notice the third round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): notices in Italian, Spanish, Portuguese, Chinese and Korean; East
 * Asian full-width text; ordering codes written with spaces; digest "Change" columns; labels with
 * words between "last" and their noun; a retailer's clearance sale.
 */
import { describe, expect, it } from "vitest";
import { findDates } from "./dates.ts";
import { compatibilityText } from "./document.ts";
import { readText } from "./extract.testing.ts";
import { splitLabelCells } from "./message.read.ts";
import { mpnsInCell, spacedCode } from "./mpn.cell.ts";

const read = (text: string, subject: string, from?: string) =>
  readText(text, subject, from).notices.map((n) => ({
    mpn: n.mpn,
    status: n.lifecycle_status,
    type: n.notice_type,
    ltb: n.ltb_date,
    lts: n.last_ship_date,
    repl: n.replacement_mpn,
    pcn: n.pcn_id,
  }));

describe("notices in other languages", () => {
  it("reads an Italian end-of-production notice: header, replacement column, 'nessuno', dates", () => {
    const got = read(
      [
        "Gentile Cliente,",
        "",
        "i seguenti articoli saranno ritirati dalla produzione. Riferimento: VLT-FP-2027-02.",
        "",
        "Codice articolo    Descrizione               Prodotto sostitutivo",
        "VX12A40K           Relè 12 V, 40 A           VX12B40K",
        "VX24A40K           Relè 24 V, 40 A           nessuno",
        "",
        "Data ultimo ordine: 15 gennaio 2027",
        "Data ultima consegna: 30 luglio 2027",
      ].join("\n"),
      "Comunicazione di fine produzione",
    );
    expect(got).toEqual([
      {
        mpn: "VX12A40K",
        status: "ltb",
        type: "discontinuance",
        ltb: "2027-01-15",
        lts: "2027-07-30",
        repl: "VX12B40K",
        pcn: "VLT-FP-2027-02",
      },
      {
        mpn: "VX24A40K",
        status: "ltb",
        type: "discontinuance",
        ltb: "2027-01-15",
        lts: "2027-07-30",
        repl: null,
        pcn: "VLT-FP-2027-02",
      },
    ]);
  });

  it("reads a Spanish end-of-life notice with 'de' in its dates and 'sin sustituto'", () => {
    const got = read(
      [
        "Estimado cliente:",
        "",
        "Los productos indicados dejarán de fabricarse (aviso QRT-EOL-27-004).",
        "",
        "Referencia        Sustituto recomendado",
        "QR45-1010H        QR45-1010K",
        "QR45-2020H        sin sustituto",
        "",
        "Fecha de última compra: 15 de marzo de 2027",
        "Fecha de último envío: 15 de septiembre de 2027",
      ].join("\n"),
      "Aviso de fin de vida",
    );
    expect(got.map((n) => [n.mpn, n.status, n.ltb, n.lts, n.repl])).toEqual([
      ["QR45-1010H", "ltb", "2027-03-15", "2027-09-15", "QR45-1010K"],
      ["QR45-2020H", "ltb", "2027-03-15", "2027-09-15", null],
    ]);
  });

  it("reads a Portuguese discontinuation and its dates", () => {
    const got = read(
      [
        "Prezado cliente,",
        "",
        "Informamos a descontinuação dos produtos abaixo.",
        "",
        "Código do produto    Substituto",
        "PTX-220-B            PTX-230-B",
        "",
        "Data do último pedido: 30 de abril de 2027",
        "Última entrega: 31 de outubro de 2027",
      ].join("\n"),
      "Aviso de fim de vida PTX-2027-01",
    );
    expect(got).toEqual([
      {
        mpn: "PTX-220-B",
        status: "ltb",
        type: "discontinuance",
        ltb: "2027-04-30",
        lts: "2027-10-31",
        repl: "PTX-230-B",
        pcn: "PTX-2027-01",
      },
    ]);
  });

  it("reads a Chinese EOL table (型号 / 替代型号, 无) and its notice number", () => {
    const got = read(
      [
        "尊敬的客户：",
        "我司决定对以下产品实施停产。通知编号：7XY-PDN-2027-03。",
        "",
        "型号            替代型号",
        "XY6201A-SR      XY6201B-SR",
        "XY3302-VR       无",
        "",
        "最后下单日期：2027年2月26日",
        "最后出货日期：2027年8月27日",
      ].join("\n"),
      "产品停产通知",
    );
    expect(got).toEqual([
      {
        mpn: "XY6201A-SR",
        status: "ltb",
        type: "discontinuance",
        ltb: "2027-02-26",
        lts: "2027-08-27",
        repl: "XY6201B-SR",
        pcn: "7XY-PDN-2027-03",
      },
      {
        mpn: "XY3302-VR",
        status: "ltb",
        type: "discontinuance",
        ltb: "2027-02-26",
        lts: "2027-08-27",
        repl: null,
        pcn: "7XY-PDN-2027-03",
      },
    ]);
  });

  it("reads a Korean discontinuance (단종, 품번, 대체 품번, 년월일 dates)", () => {
    const got = read(
      [
        "고객님께,",
        "아래 제품이 단종됩니다.",
        "",
        "품번              대체 품번",
        "KD2207-33T        KD2208-33T",
        "",
        "최종 주문일: 2027년 3월 31일",
        "최종 출하일: 2027년 9월 30일",
      ].join("\n"),
      "제품 단종 안내 KD-EOL-2027-01",
    );
    expect(got.map((n) => [n.mpn, n.status, n.ltb, n.lts, n.repl, n.pcn])).toEqual([
      ["KD2207-33T", "ltb", "2027-03-31", "2027-09-30", "KD2208-33T", "KD-EOL-2027-01"],
    ]);
  });

  it("reads full-width Japanese text: ideographic spaces as column gaps, full-width digits in dates", () => {
    expect(compatibilityText("最終受注日：２０２７年３月３１日")).toBe("最終受注日:2027年3月31日");
    const got = read(
      [
        "下記製品の生産を終了いたします。",
        "",
        "形名　　　　　　後継形名",
        "ＱＭ５０ＤＹ－１２Ａ　　ＱＭ５０ＤＹ－１２Ｂ",
        "",
        "最終受注日：２０２７年３月３１日",
      ].join("\n"),
      "生産終了のご案内",
    );
    expect(got.map((n) => [n.mpn, n.status, n.ltb, n.repl])).toEqual([
      ["QM50DY-12A", "ltb", "2027-03-31", "QM50DY-12B"],
    ]);
  });

  it("finds dates written with Italian, Spanish, Portuguese and Dutch month names", () => {
    for (const [text, iso] of [
      ["30 aprile 2027", "2027-04-30"],
      ["15 de marzo de 2027", "2027-03-15"],
      ["15 de março de 2027", "2027-03-15"],
      ["12 mei 2027", "2027-05-12"],
      ["15-ago-2027", "2027-08-15"],
    ] as const)
      expect(
        findDates(text).map((d) => d.iso),
        text,
      ).toEqual([iso]);
  });
});

describe("ordering codes written with spaces", () => {
  it("keeps a part column's whole cell when its words make one code", () => {
    expect(mpnsInCell("1N4148W RHG")).toEqual(["1N4148W RHG"]);
    expect(mpnsInCell("RV-3029-C2 TA QC")).toEqual(["RV-3029-C2 TA QC"]);
    expect(mpnsInCell("SK 104 25,4 STS")).toEqual(["SK 104 25,4 STS"]);
    expect(mpnsInCell("09 33 000 6104")).toEqual(["09 33 000 6104"]);
    expect(mpnsInCell("SFH 4550")).toEqual(["SFH 4550"]);
  });

  it("does not glue a status, a package, a quantity or a second part onto a part", () => {
    expect(mpnsInCell("TPS54331D NRND")).toEqual(["TPS54331D"]);
    expect(mpnsInCell("LM317T TO-220")).toEqual(["LM317T"]);
    expect(spacedCode(["10", "000"], "column")).toBeNull();
    expect(spacedCode(["BAT54A", "BAT54C"], "column")).toBeNull();
    expect(spacedCode(["LM358", "DUAL", "OPAMP"], "list")).toBeNull();
  });

  it("reads an aligned list's first column as one code when a packing code follows the part", () => {
    const got = read(
      [
        "The products below get an additional assembly site. No last time buy applies.",
        "",
        "Affected products:",
        "  2N7002K RFG        SOT-23     3K / 7in reel",
        "  BZX84C5V1 RHG      SOT-23     3K / 7in reel",
      ].join("\n"),
      "PCN-2027-011 additional assembly site",
    );
    expect(got.map((n) => [n.mpn, n.type])).toEqual([
      ["2N7002K RFG", "product_change"],
      ["BZX84C5V1 RHG", "product_change"],
    ]);
  });
});

describe("digests and labels", () => {
  it("reads a digest's Change column of status transitions as each row's status", () => {
    const got = read(
      [
        "Weekly lifecycle digest",
        "",
        "Part Number      Change              LTB",
        "RC0603FR-071KL   Active → EOL        2027-03-31",
        "ZX4410-T         Active → NRND       -",
        "QM22-1P          EOL → Obsolete      -",
      ].join("\n"),
      "Weekly lifecycle digest: 3 changes",
      "alerts@lifecycle-platform.example",
    );
    expect(got.map((n) => [n.mpn, n.status])).toEqual([
      ["RC0603FR-071KL", "ltb"],
      ["ZX4410-T", "nrnd"],
      ["QM22-1P", "obsolete"],
    ]);
  });

  it("reads 'Last Product Discontinuance Order Date' as the last-time-buy date", () => {
    const got = read(
      [
        "Product Discontinuance",
        "",
        "Last Product Discontinuance Order Date:     March 12, 2027",
        "Last Product Discontinuance Shipment Date:  September 10, 2027",
        "",
        "Product Code    Replacement Product Code",
        "QXC210AB        QXC210AT",
      ].join("\n"),
      "PCN 118001-00, Product Discontinuance",
    );
    expect(got.map((n) => [n.mpn, n.status, n.ltb, n.lts])).toEqual([
      ["QXC210AB", "ltb", "2027-03-12", "2027-09-10"],
    ]);
  });

  it("does not take a retailer's clearance sale of discontinued stock for a notice", () => {
    const got = read(
      [
        "Auslaufartikel & Restposten – nur solange der Vorrat reicht",
        "Sichern Sie sich jetzt die letzten Stücke zu Sonderpreisen.",
        "",
        "Best.-Nr.   Hersteller-Teilenummer   Preis",
        "4411230     ZL44-12T                 1,19 €",
      ].join("\n"),
      "Nur diese Woche: Auslaufartikel bis -50 %",
      "newsletter@shop.example",
    );
    expect(got).toEqual([]);
  });
});

describe("relays laid out as records", () => {
  it("reads one label per line where a line lays several side by side", () => {
    expect(splitLabelCells("Manufacturer: Qorvex    Part: QX1102NL     (our code 20671)")).toEqual([
      "Manufacturer: Qorvex",
      "Part: QX1102NL  (our code 20671)",
    ]);
    expect(splitLabelCells("Type of change:  additional test site")).toEqual([
      "Type of change:  additional test site",
    ]);
  });

  it("gives each relayed record its own maker, kind, notice and wrapped dates and replacement", () => {
    const got = readText(
      [
        "Dear customer,",
        "",
        "manufacturers have informed us about changes to products you purchased from us.",
        "",
        "1) PCN - Product Change Notification",
        "   Manufacturer: Qorvex        Part: QX1102NL       (our code 20671)",
        "   Notice QX-PCN-2701: new plating supplier.",
        "",
        "2) EOL - End of Life",
        "   Manufacturer: Zentrion      Part: ZS-410A        (our code 11852)",
        "   PDN ZS-27-004: last time buy 2027-05-14, last shipment 2027-11-12,",
        "   replacement ZS-410B.",
      ].join("\n"),
      "PCN / EOL information for products you purchased",
      "pcn@distributor.example",
    ).notices.map((n) => [
      n.mpn,
      n.manufacturer,
      n.lifecycle_status,
      n.pcn_id,
      n.ltb_date,
      n.last_ship_date,
      n.replacement_mpn,
    ]);
    expect(got).toEqual([
      ["QX1102NL", "Qorvex", "active", "QX-PCN-2701", null, null, null],
      ["ZS-410A", "Zentrion", "ltb", "ZS-27-004", "2027-05-14", "2027-11-12", "ZS-410B"],
    ]);
  });
});

describe("notices written in prose", () => {
  it("does not take a part named after 'notification' in the subject for the notice ID", () => {
    const got = read(
      "Zentrion will stop production of its ZM800C and ZM800L modules (EOL notice ZM-EOL-2027-03). The last order date is December 18, 2026. For new and existing designs we recommend migrating to the ZM7080G.",
      "EOL notification: ZM800C and ZM800L modules",
    );
    expect(got.map((n) => [n.mpn, n.pcn, n.repl])).toEqual([
      ["ZM800C", "ZM-EOL-2027-03", "ZM7080G"],
      ["ZM800L", "ZM-EOL-2027-03", "ZM7080G"],
    ]);
  });

  it("pairs 'X is the recommended replacement for Y' and reads 'ship them until' as the last-ship date", () => {
    const got = read(
      "We announce the discontinuation of the QB2303HXA and the QB2303XA. We will accept last orders for both until December 31, 2026 and ship them until June 30, 2027. The QB2303GT is the recommended replacement for the QB2303HXA, and the QB2303GS for the QB2303XA.",
      "Product discontinuation QB-PDN-2027-002",
    );
    expect(got.map((n) => [n.mpn, n.ltb, n.lts, n.repl])).toEqual([
      ["QB2303HXA", "2026-12-31", "2027-06-30", "QB2303GT"],
      ["QB2303XA", "2026-12-31", "2027-06-30", "QB2303GS"],
    ]);
  });

  it("names the brand, not its group or division, from a signature", () => {
    const maker = (signature: string) =>
      readText(
        `The parts below reach end of life.\n\nPart Number   Last Time Buy\nQX-410A       2026-12-09\n\n${signature}`,
        "End-of-life notice QX-EOL-2027-3",
        "pcn@example.org",
      ).notices[0]?.manufacturer;
    expect(maker("Quintor Controls S.p.A., Via Roma 8, Belluno")).toBe("Quintor");
  });
});
