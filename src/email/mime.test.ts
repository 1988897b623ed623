import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
});
