import { describe, expect, it } from "vitest";
import { bigNoticeMpn, makeBigNotice } from "../../bench/fixtures/big-notice.ts";
import { readAttachment } from "../../src/extract/attachments/read-attachment.ts";
import { parseMime } from "../../src/mail/mime.ts";

describe("bench fixture: big notice", () => {
  it("is a valid MIME message of the requested size with a parts spreadsheet and a filler archive", async () => {
    const raw = await makeBigNotice({ rows: 40, targetBytes: 300_000 });
    expect(raw.byteLength).toBeLessThanOrEqual(300_000);
    expect(raw.byteLength).toBeGreaterThan(299_000);
    const email = await parseMime(raw, "json");
    expect(email.subject).toMatch(/Product Discontinuance Notice/);
    expect(email.attachments.map((a) => a.filename)).toEqual(["PDN-20261128001.xlsx", "datasheets.zip"]);
    const [sheet, filler] = await Promise.all(email.attachments.map((a) => readAttachment(a)));
    expect(filler).toMatchObject({ kind: "skipped", reason: expect.stringMatching(/archive/) });
    expect(sheet?.kind).toBe("tables");
    if (sheet?.kind !== "tables") return;
    const rows = sheet.tables[0]!.rows;
    expect(rows).toHaveLength(41);
    expect(rows[0]![0]).toBe("Affected Part Number");
    expect(rows.slice(1).map((r) => r[0])).toEqual(Array.from({ length: 40 }, (_, i) => bigNoticeMpn(i)));
    expect(rows[1]!.slice(4, 7)).toEqual(["2027-06-30", "2027-12-31", "LIFEBUY"]);
  });

  it("has the same content every run (zip timestamps inside the XLSX aside)", async () => {
    const read = async () => {
      const email = await parseMime(await makeBigNotice({ rows: 5, targetBytes: 50_000 }), "json");
      return { sheet: await readAttachment(email.attachments[0]!), filler: email.attachments[1]!.content };
    };
    const [a, b] = await Promise.all([read(), read()]);
    expect(a.sheet).toEqual(b.sheet);
    expect(Buffer.from(a.filler).equals(Buffer.from(b.filler))).toBe(true);
  });
});
