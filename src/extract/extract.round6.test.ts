/**
 * Classes of notice the sixth round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): Traditional Chinese, Czech, Swedish and Turkish notices; Minguo dates;
 * slash variant codes; spaced codes with commas and mixed case; "Type" columns of parts; help desks
 * that carry a notice; withdrawal types; LTB quantity columns; advisories that are not notices.
 */
import { describe, expect, it } from "vitest";
import { findDates } from "./dates.ts";
import { readText } from "./extract.testing.ts";
import { expandSlashFamily, mpnsInCell } from "./mpn.cell.ts";

const read = readText;
const brief = (text: string, subject: string, from?: string) =>
  read(text, subject, from).notices.map((n) => [
    n.mpn,
    n.lifecycle_status,
    n.ltb_date,
    n.last_ship_date,
    n.replacement_mpn,
    n.pcn_id,
  ]);

describe("more languages", () => {
  it("reads a Traditional Chinese notice with Minguo dates", () => {
    expect(findDates("中華民國116年6月30日").map((d) => d.iso)).toEqual(["2027-06-30"]);
    expect(
      brief(
        "本公司決定停產下列料號。\n\n通知編號：QK-PDN-116-004\n\n項次  停產料號          建議替代料號\n1     QTT052201DTP      QTF052201DTP\n2     QTT0349R9DTP      無\n\n最後訂購日：116年6月30日\n最後出貨日：116年12月31日",
        "【停產通知】QK-PDN-116-004",
      ),
    ).toEqual([
      ["QTT052201DTP", "ltb", "2027-06-30", "2027-12-31", "QTF052201DTP", "QK-PDN-116-004"],
      ["QTT0349R9DTP", "ltb", "2027-06-30", "2027-12-31", null, "QK-PDN-116-004"],
    ]);
  });

  it("reads Czech, Swedish and Turkish notices", () => {
    expect(
      brief(
        "Společnost ukončí výrobu níže uvedených relé.\n\nČíslo oznámení:  QUV-2027-04\n\nTyp            Náhradní typ\nQRM-91H/UNI    QRM-91HE/UNI\nQDR-2A/230V    bez náhrady\n\nObjednávky přijímáme do 30. 9. 2027. Poslední expedice proběhne nejpozději 17. 12. 2027.",
        "Oznámení o ukončení výroby",
      ),
    ).toEqual([
      ["QRM-91H/UNI", "ltb", "2027-09-30", "2027-12-17", "QRM-91HE/UNI", "QUV-2027-04"],
      ["QDR-2A/230V", "ltb", "2027-09-30", "2027-12-17", null, "QUV-2027-04"],
    ]);
    expect(
      brief(
        "Varianterna nedan utgår ur sortimentet.\n\n  Produktnummer       Ersättare\n  QMR4560002/011      QMR4560002/001\n  QKU4213DPI          ingen\n\nSista beställningsdag:  2027-09-30",
        "PCN QPM-27-0412: vissa varianter utgår",
      ).map((n) => n.slice(0, 5)),
    ).toEqual([
      ["QMR4560002/011", "ltb", "2027-09-30", null, "QMR4560002/001"],
      ["QKU4213DPI", "ltb", "2027-09-30", null, null],
    ]);
    expect(
      brief(
        "Aşağıdaki ürünlerin üretimi sonlandırılacaktır.\n\nÜrün Kodu\tMuadil Ürün Kodu\n304120\t304521\n306430\tmuadil ürün yoktur\n\nSon sipariş tarihi: 30.09.2027\nSon sevkiyat tarihi: 31.12.2027",
        "Ürün Sonlandırma Bildirimi QLM-US-2027/06",
      ).map((n) => n.slice(0, 5)),
    ).toEqual([
      ["304120", "ltb", "2027-09-30", "2027-12-31", "304521"],
      ["306430", "ltb", "2027-09-30", "2027-12-31", null],
    ]);
  });
});

describe("part shapes and columns", () => {
  it("keeps a slash variant code whole and still expands a slash family", () => {
    expect(expandSlashFamily("QMR4560002/001")).toEqual(["QMR4560002/001"]);
    expect(expandSlashFamily("NV6113/15/17")).toEqual(["NV6113", "NV6115", "NV6117"]);
  });

  it("reads spaced codes with commas, mixed case and two digit groups", () => {
    expect(mpnsInCell("Q 26,0-JXS32-12-10/20-T1-FU-WA-LF")).toEqual(["Q 26,0-JXS32-12-10/20-T1-FU-WA-LF"]);
    expect(mpnsInCell("LQi 778")).toEqual(["LQi 778"]);
    expect(mpnsInCell("8723 060500")).toEqual(["8723 060500"]);
    expect(mpnsInCell("10 000 000")).toEqual([]);
  });

  it("reads a 'Type' column of parts as the part column, and a digest's Type column as a status", () => {
    expect(
      brief(
        "The fans below are discontinued.\n\nType          Successor\n8412 N/2QH    8412 N/2QHP\n612 NN        612 NNL\n\nLast order date: 2027-11-30",
        "Product Discontinuation Notice PDN 2027-031",
      ).map((n) => n[0]),
    ).toEqual(["8412 N/2QH", "612 NN"]);
    expect(
      brief(
        "Part Number   Type   LTB\nQX1200-T      EOL    2027-03-31\nQX1300-T      NRND   -\n",
        "Weekly lifecycle digest",
      ).map((n) => [n[0], n[1]]),
    ).toEqual([
      ["QX1200-T", "ltb"],
      ["QX1300-T", "nrnd"],
    ]);
  });

  it("does not read an 'LTB quantity' column as the last-time-buy date", () => {
    expect(
      brief(
        "Part number              LTB quantity\nQ110-87-314-41-105101    500\n\nLast order date (LTB): 15.10.2027",
        "End of Life Notification QD-EOL-27/04",
      ).map((n) => n[2]),
    ).toEqual(["2027-10-15"]);
  });

  it("reads 'Full withdrawal' as a discontinuance, not a retraction", () => {
    expect(
      brief(
        "We are discontinuing the products listed below.\n\nOrderable part number  Discontinuation type  Replacement part number\nQT137-600E,127         Full withdrawal       QT137-800E,127\n\nLast Time Buy date:  26-Mar-2027",
        "Discontinuation Notification 202610011DN",
      ).map((n) => [n[0], n[1], n[2]]),
    ).toEqual([["QT137-600E,127", "ltb", "2027-03-26"]]);
  });
});

describe("who sends it, and what is not a notice", () => {
  it("never names a help desk as the maker", () => {
    const got = read(
      "Ticket #48213\n\nQuintor discontinues the sensors below.\n\nPart Number   Last Time Buy\nQAW3205DB     2027-03-31\n\nQuintor Imaging Inc.",
      "[Ticket #48213] FW: Quintor EOL notice QX-EOL-2027-01",
      "support@example-co.zendesk.com",
    ).notices;
    expect(got[0]?.manufacturer).not.toBe("Zendesk");
  });

  it("does not take a counterfeit warning or a drawing change for a notice", () => {
    expect(
      read(
        "Counterfeit product was found.\n\n  Part number    Marking\n  2N7002-TQ      7002\n\nAll products are active. We have not announced any end of life for these parts.",
        "Customer Advisory: counterfeit 2N7002-TQ",
      ).is_lifecycle_notice,
    ).toBe(false);
    expect(
      read(
        "THIS IS NOT A PRODUCT CHANGE: only the drawings are revised.\n\nPart number        Drawing rev.\nIC51-0484-1477     C -> D\nIC51-0644-807      E -> F\n",
        "Document Change Notice DCN-2027-044 - drawing revision",
      ).is_lifecycle_notice,
    ).toBe(false);
  });

  it("names a maker the message spells as a group by its brand", () => {
    const got = read(
      "Los productos de Grupo QUINTOR indicados a continuación dejarán de fabricarse.\n\nReferencia        Sustituto\nQDC11LP-0720J     QDC11LPS-0720J\n\nFecha de última compra: 15/03/2027\n\nGrupo QUINTOR, Parque Tecnológico, Málaga",
      "Aviso de fin de vida QRM-EOL-27-009",
      "calidad@grupoquintor.com",
    ).notices;
    expect(got[0]?.manufacturer).toBe("QUINTOR");
  });
});
