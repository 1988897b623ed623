/**
 * Classes of notice the second round of issue 19 generalised to, each on a small message of its own
 * (never the held-out texts): makers the table does not know, denied discontinuations whose
 * sections name one, parts written across words, notice numbers beside parts.
 */
import { describe, expect, it } from "vitest";
import { extractFromText } from "./extract.ts";

const now = new Date("2026-06-01T00:00:00Z");
const read = (text: string, subject: string, from = "pcn@example-maker.com") =>
  extractFromText(text, { now, subject, from }).notices.map((n) => ({
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
