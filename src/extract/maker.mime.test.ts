/**
 * The maker of a notice the manufacturer table does not know, read from whole messages (real MIME
 * through parseMime, headers and encodings included): the sender's domain as the message spells
 * it, the name opening the subject, a maker a distributor relays — and never the distributor.
 * Every maker here is invented, so the table cannot know it.
 */
import { describe, expect, it } from "vitest";
import { parseMime } from "../mail/mime.ts";
import { extractFromEmail } from "./extract.email.ts";

const now = new Date("2026-06-01T00:00:00Z");

function mime(
  from: string,
  subject: string,
  body: string,
  encoding: "8bit" | "quoted-printable" = "8bit",
): string {
  return [
    `From: ${from}`,
    "To: purchasing@example.net",
    `Subject: ${subject}`,
    "Date: Mon, 01 Jun 2026 08:00:00 +0000",
    "Message-ID: <maker-test@example.net>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    `Content-Transfer-Encoding: ${encoding}`,
    "",
    body,
  ].join("\r\n");
}

async function makers(raw: string): Promise<(string | null)[]> {
  const email = await parseMime(raw, "json");
  const got = await extractFromEmail(email, { now });
  return got.notices.map((n) => n.manufacturer);
}

describe("maker inferred from a whole message", () => {
  it("spells the sender's domain as the message writes the name, abbreviated tail included", async () => {
    const raw = mime(
      '"Lumora PCN" <pcn@lumorasemi.com>',
      "Product Discontinuation Notice LS-PDN-2026-04",
      [
        "Dear customer,",
        "",
        "Lumora Semiconductor will discontinue the devices below.",
        "",
        "Part Number      Last Time Buy",
        "LM7705QFN-R      2026-11-30",
        "LM7706QFN-R      2026-11-30",
        "",
        "Regards,",
        "Lumora Semiconductor, Product Marketing",
      ].join("\r\n"),
    );
    expect(await makers(raw)).toEqual(["Lumora Semiconductor", "Lumora Semiconductor"]);
  });

  it("takes the name opening the subject when the sender's domain starts with it", async () => {
    const raw = mime(
      "lifecycle@brennix-power.de",
      "Brennix EOL Notice BX-EOL-26-07",
      [
        "The following converter modules reach end of life.",
        "Last order date: 30 September 2026.",
        "",
        "  BXR05-1205S",
        "  BXR05-1212S",
      ].join("\r\n"),
    );
    expect(await makers(raw)).toEqual(["Brennix", "Brennix"]);
  });

  it("names the maker a German distributor passes on, never the distributor that signs (umlaut spelt ae/ue in its domain)", async () => {
    const raw = mime(
      '"=?utf-8?Q?B=C3=BCrklin_Produktinfo?=" <produktinfo@buerklin.com>',
      "=?utf-8?Q?Produktabk=C3=BCndigung?=",
      [
        "B=C3=BCrklin GmbH & Co. KG",
        "",
        "Sehr geehrte Kundin, sehr geehrter Kunde,",
        "",
        "die Qorvex Devices Ltd. hat die Abk=C3=BCndigung der folgenden Artikel bekannt gegeben.",
        "Letzter Bestelltermin: 15.12.2026",
        "",
        "Artikel:",
        "  QX2210NL",
        "  QX2211NL",
        "",
        "Mit freundlichen Gr=C3=BC=C3=9Fen",
        "B=C3=BCrklin GmbH & Co. KG, Gr=C3=BCnwalder Weg 30",
      ].join("\r\n"),
      "quoted-printable",
    );
    expect(await makers(raw)).toEqual(["Qorvex Devices", "Qorvex Devices"]);
  });
});
