import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { forwardedIso2022jpEml } from "../../test/support/email-providers.ts";
import { parseMime, senderDomain } from "./mime.ts";

const corpus = (f: string) => readFileSync(new URL(`../../../shared/corpus/emails/${f}`, import.meta.url));

describe("parseMime", () => {
  it("decodes a base64 CSV attachment and the headers", async () => {
    const e = await parseMime(corpus("008-onsemi-pdn-sot23-csv-attachment.eml"), "json");
    expect(e.subject.length).toBeGreaterThan(0);
    expect(e.messageId).toMatch(/@/);
    const csv = e.attachments.find((a) => /csv/i.test(a.contentType) || /\.csv$/i.test(a.filename ?? ""));
    expect(csv).toBeDefined();
    expect(new TextDecoder().decode(csv!.content)).toMatch(/,/);
  });

  it("rejects nothing on a plain message and finds the sender domain", async () => {
    const raw =
      "From: PCN Desk <pcn@ti.com>\r\nTo: a@b.example\r\nSubject: =?UTF-8?B?UERO?=\r\nMessage-ID: <x@y>\r\n\r\nhello\r\n";
    const e = await parseMime(raw, "json");
    expect(e.subject).toBe("PDN");
    expect(senderDomain(e.from)).toBe("ti.com");
    expect(e.text?.trim()).toBe("hello");
  });

  it("reads ISO-2022-JP, RFC 2047, nested multiparts, QP, and a notice forwarded as an attachment", async () => {
    const e = await parseMime(forwardedIso2022jpEml(), "json");
    expect(e.subject).toBe("日本 FW: PDN forwarded");
    expect(e.from).toBe("pcn@renesas.example");
    expect(e.text).toMatch(/^日本: see the attached notice\./);
    expect(e.html).toMatch(/Grüße/);
    // The forwarded notice is read as text, and its own CSV joins the attachments; the .eml is kept.
    expect(e.text).toMatch(
      /Forwarded message \(PDN-2026-0419\.eml\)[\s\S]*Subject: PDN-2026-0419[\s\S]*R5F100LEAFB last time buy/,
    );
    expect(e.attachments.map((a) => a.contentType)).toEqual(["message/rfc822", "text/csv"]);
    expect(new TextDecoder().decode(e.attachments[1]!.content)).toMatch(/R5F100LEAFB,2027-05-31/);
  });
});
