import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { EmailAttachment } from "../../mail/normalized-email.ts";
import { makeTablePdf, makeTextPdf } from "./pdf.fixture.ts";
import { readAttachment } from "./read-attachment.ts";
import { readXlsxInMemory, readXlsxStreaming } from "./xlsx.reader.ts";

function att(filename: string | null, contentType: string, content: Uint8Array | string): EmailAttachment {
  return {
    filename,
    contentType,
    content: typeof content === "string" ? new Uint8Array(Buffer.from(content, "utf8")) : content,
  };
}

async function tablesOf(a: EmailAttachment) {
  const r = await readAttachment(a);
  if (r.kind !== "tables") throw new Error(`expected tables, got ${JSON.stringify(r).slice(0, 200)}`);
  return r.tables;
}

describe("CSV and TSV", () => {
  it("reads a comma CSV with quotes, embedded delimiters, CRLF and a UTF-8 BOM", async () => {
    const csv =
      '\uFEFFMPN,Description,LTB Date\r\n"BAS16LT1G","Diode, switching",2027-06-30\r\n MMBT3904LT1G , "NPN ""general""" ,\r\n';
    const [t] = await tablesOf(att("pdn.csv", "text/csv", csv));
    expect(t).toEqual({
      name: "pdn.csv",
      rows: [
        ["MPN", "Description", "LTB Date"],
        ["BAS16LT1G", "Diode, switching", "2027-06-30"],
        ["MMBT3904LT1G", 'NPN "general"'],
      ],
    });
  });

  it("sniffs semicolons and decodes Windows-1252 (Latin-1) bytes", async () => {
    const text =
      "Teilenummer;Ersatz;Menge\r\nGRM188R71H104KA93D;GCM188R71H104KA57D;1,5\r\nMüller-Teil;—;2\r\n";
    const bytes = new Uint8Array(Buffer.from(text.replace("—", "-"), "latin1"));
    const [t] = await tablesOf(att("liste.csv", "application/vnd.ms-excel", bytes));
    expect(t!.rows).toEqual([
      ["Teilenummer", "Ersatz", "Menge"],
      ["GRM188R71H104KA93D", "GCM188R71H104KA57D", "1,5"],
      ["Müller-Teil", "-", "2"],
    ]);
  });

  it("prefers the semicolon when decimal commas split lines just as evenly", async () => {
    const [t] = await tablesOf(att("eu.csv", "text/csv", "MPN;Preis\nA1;1,50\nB2;0,75\n"));
    expect(t!.rows).toEqual([
      ["MPN", "Preis"],
      ["A1", "1,50"],
      ["B2", "0,75"],
    ]);
  });

  it("skips a title line above the table and ignores delimiters inside quotes when sniffing", async () => {
    const csv = 'Affected devices\nMPN,Note,Status\nX1,"a; b; c",EOL\nX2,"d; e",NRND\n';
    const [t] = await tablesOf(att("t.csv", "text/csv", csv));
    expect(t!.rows).toEqual([
      ["Affected devices"],
      ["MPN", "Note", "Status"],
      ["X1", "a; b; c", "EOL"],
      ["X2", "d; e", "NRND"],
    ]);
  });

  it("honours Excel's sep= hint line", async () => {
    const [t] = await tablesOf(att("x.csv", "text/csv", "sep=|\nA|B,C\n1|2,3\n"));
    expect(t!.rows).toEqual([
      ["A", "B,C"],
      ["1", "2,3"],
    ]);
  });

  it("reads TSV, pipe files and UTF-16 'Unicode text' exports", async () => {
    expect(
      (await tablesOf(att("a.tsv", "text/tab-separated-values", "MPN\tStatus\nX1\tEOL\n")))[0]!.rows,
    ).toEqual([
      ["MPN", "Status"],
      ["X1", "EOL"],
    ]);
    expect((await tablesOf(att("a.csv", "text/csv", "MPN|Status\nX1|EOL\nX2|NRND\n")))[0]!.rows[2]).toEqual([
      "X2",
      "NRND",
    ]);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("MPN\tÉtat\r\nX1\tObsolète\r\n", "utf16le"),
    ]);
    expect((await tablesOf(att("export.txt", "text/plain", new Uint8Array(utf16))))[0]!.rows).toEqual([
      ["MPN", "État"],
      ["X1", "Obsolète"],
    ]);
  });

  it("reads a CSV sent as application/octet-stream by its name, and an .xls that is really TSV", async () => {
    expect(
      (await tablesOf(att("parts.csv", "application/octet-stream", "a,b\n1,2\n")))[0]!.rows,
    ).toHaveLength(2);
    expect(
      (await tablesOf(att("export.xls", "application/vnd.ms-excel", "a\tb\n1\t2\n")))[0]!.rows[1],
    ).toEqual(["1", "2"]);
  });

  it("keeps prose .txt attachments as text", async () => {
    const r = await readAttachment(
      att("notice.txt", "text/plain", "Dear customer,\nthe parts below, listed here, are EOL.\n"),
    );
    expect(r).toEqual({ kind: "text", text: "Dear customer,\nthe parts below, listed here, are EOL.\n" });
  });

  it("truncates at maxRows and says so", async () => {
    const csv = ["MPN", ...Array.from({ length: 50 }, (_, i) => `P${i}`)].join("\n");
    const r = await readAttachment(att("big.csv", "text/csv", csv), { maxRows: 10 });
    expect(r).toMatchObject({ kind: "tables", tables: [{ truncated: true }] });
    if (r.kind === "tables") expect(r.tables[0]!.rows).toHaveLength(10);
  });

  it("fails with a reason on a CSV it cannot parse", async () => {
    const r = await readAttachment(att("bad.csv", "text/csv", 'a,b\n"unterminated,1\n'));
    expect(r.kind).toBe("failed");
    if (r.kind === "failed") expect(r.reason).toMatch(/^csv: /);
  });
});

async function buildWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Affected parts");
  ws.addRow(["Affected Part", "Replacement", "LTB Date", "Qty", "Molex PN", "Price"]);
  ws.addRow(["BAS16LT1G", "BAS16LT3G", new Date(Date.UTC(2027, 5, 30)), 3000, 430450600, 0.125]);
  ws.addRow([
    { richText: [{ text: "MMBT" }, { text: "3904LT1G" }] },
    null,
    "TBD",
    { formula: "D2*2", result: 6000 },
  ]);
  ws.getCell("E2").numFmt = "0000000000";
  ws.addRow([]);
  ws.addRow(["Family", "", "", "", "", ""]);
  ws.mergeCells("A5:C5");
  ws.getCell("A5").value = "SOT-23 family";
  ws.addRow([
    { text: "NTR4003NT1G", hyperlink: "https://example.com/ntr" },
    { formula: "1/0", result: { error: "#DIV/0!" } },
  ]);
  const second = wb.addWorksheet("Notes");
  second.addRow(["PCN", "PDN-2026-0419"]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("XLSX", () => {
  it("reads every sheet: dates, padded numbers, formulas, rich text, hyperlinks, merges", async () => {
    const xlsx = await buildWorkbook();
    const tables = await tablesOf(att("parts.xlsx", "application/octet-stream", xlsx));
    expect(tables.map((t) => t.name)).toEqual(["Affected parts", "Notes"]);
    expect(tables[0]!.rows).toEqual([
      ["Affected Part", "Replacement", "LTB Date", "Qty", "Molex PN", "Price"],
      ["BAS16LT1G", "BAS16LT3G", "2027-06-30", "3000", "0430450600", "0.125"],
      ["MMBT3904LT1G", "", "TBD", "6000"],
      ["SOT-23 family", "SOT-23 family", "SOT-23 family"],
      ["NTR4003NT1G", "#DIV/0!"],
    ]);
    expect(tables[1]!.rows).toEqual([["PCN", "PDN-2026-0419"]]);
  });

  it("reads the same cells through the streaming reader (merges stay in their first cell)", async () => {
    const xlsx = await buildWorkbook();
    const [streamed, inMemory] = await Promise.all([
      readXlsxStreaming(xlsx, 100),
      readXlsxInMemory(xlsx, 100),
    ]);
    expect(streamed.map((t) => t.name)).toEqual(["Affected parts", "Notes"]);
    expect(streamed[0]!.rows[1]).toEqual(inMemory[0]!.rows[1]);
    expect(streamed[0]!.rows[2]).toEqual(inMemory[0]!.rows[2]);
    expect(streamed[0]!.rows[3]).toEqual(["SOT-23 family"]);
    expect(streamed[1]!.rows).toEqual(inMemory[1]!.rows);
  });

  it("truncates sheets at maxRows in both readers", async () => {
    const xlsx = await buildWorkbook();
    for (const read of [readXlsxInMemory, readXlsxStreaming]) {
      const [t] = await read(xlsx, 2);
      expect(t).toMatchObject({ truncated: true });
      expect(t!.rows).toHaveLength(2);
    }
  });

  it("fails with a reason on a damaged workbook", async () => {
    const xlsx = await buildWorkbook();
    const r = await readAttachment(att("broken.xlsx", "application/octet-stream", xlsx.subarray(0, 200)));
    expect(r.kind).toBe("failed");
    if (r.kind === "failed") expect(r.reason).toMatch(/^xlsx: /);
  });

  it("recognises a workbook by its bytes whatever its name or label", async () => {
    const xlsx = await buildWorkbook();
    const tables = await tablesOf(att("parts.csv", "text/csv", xlsx));
    expect(tables[0]!.rows[1]![0]).toBe("BAS16LT1G");
  });

  it("reads an HTML table exported under an .xls name as HTML", async () => {
    const html = "<table><tr><td>MPN</td></tr><tr><td>X1</td></tr></table>";
    expect(await readAttachment(att("export.xls", "application/vnd.ms-excel", html))).toEqual({
      kind: "html",
      html,
    });
  });

  it("skips legacy .xls with a reason", async () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const r = await readAttachment(att("old.xls", "application/vnd.ms-excel", ole));
    expect(r).toMatchObject({ kind: "skipped", reason: expect.stringMatching(/legacy Excel/) });
  });
});

describe("PDF", () => {
  it("keeps a table's columns apart and aligned, empty cells included", async () => {
    const pdf = makeTablePdf(
      "Product Discontinuance Notice PDN-2026-0419",
      [
        ["Affected Part", "Replacement", "LTB Date"],
        ["LT1763CS8-3.3#PBF", "ADP7118ARDZ-3.3", "2027-03-05"],
        ["LT1763IS8-2.5#TRPBF", "", "2027-03-05"],
      ],
      [50, 220, 380],
    );
    const r = await readAttachment(att("pdn.pdf", "application/pdf", pdf));
    expect(r.kind).toBe("text");
    if (r.kind !== "text") return;
    const lines = r.text.split("\n");
    expect(lines[0]).toBe("Product Discontinuance Notice PDN-2026-0419");
    expect(lines.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      ["Affected Part", "Replacement", "LTB Date"],
      ["LT1763CS8-3.3#PBF", "ADP7118ARDZ-3.3", "2027-03-05"],
      ["LT1763IS8-2.5#TRPBF", "2027-03-05"],
    ]);
    // Same column, same character offset: fixed-width detection can rely on it.
    expect(lines[1]!.indexOf("LTB Date")).toBe(lines[2]!.indexOf("2027-03-05"));
    expect(lines[2]!.indexOf("2027-03-05")).toBe(lines[3]!.indexOf("2027-03-05"));
  });

  it("joins pages and keeps words of one run together", async () => {
    const pdf = makeTextPdf([
      [{ x: 72, y: 700, text: "Page one: the TPS54331D is discontinued." }],
      [{ x: 72, y: 700, text: "Page two (continued)." }],
    ]);
    const r = await readAttachment(att(null, "application/octet-stream", pdf));
    expect(r).toEqual({
      kind: "text",
      text: "Page one: the TPS54331D is discontinued.\n\nPage two (continued).",
    });
  });

  it("skips a PDF without text and fails on a damaged one", async () => {
    expect(await readAttachment(att("scan.pdf", "application/pdf", makeTextPdf([[]])))).toMatchObject({
      kind: "skipped",
      reason: expect.stringMatching(/no text layer/),
    });
    const r = await readAttachment(att("bad.pdf", "application/pdf", "%PDF-1.4\ngarbage without objects"));
    expect(r.kind).toBe("failed");
  });
});

describe("text, HTML, forwarded messages and everything else", () => {
  it("returns text/plain as text, honouring its charset", async () => {
    const bytes = new Uint8Array(Buffer.from("Statut : obsolète", "latin1"));
    expect(await readAttachment(att("note", "text/plain; charset=ISO-8859-1", bytes))).toEqual({
      kind: "text",
      text: "Statut : obsolète",
    });
  });

  it("returns HTML as HTML, decoded by its meta charset", async () => {
    const html =
      '<html><head><meta charset="windows-1252"></head><body><table><tr><td>Größe</td></tr></table></body></html>';
    const r = await readAttachment(
      att("table.htm", "text/html", new Uint8Array(Buffer.from(html, "latin1"))),
    );
    expect(r).toEqual({ kind: "html", html });
  });

  it("parses a forwarded message/rfc822 attachment into a NormalizedEmail", async () => {
    const eml = [
      "From: PCN Desk <pcn@ti.com>",
      "To: buyer@example.com",
      "Subject: PDN 20260101 TPS54331D",
      "Message-ID: <fwd-1@ti.com>",
      "Date: Tue, 03 Nov 2026 10:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "TPS54331D last time buy 2027-03-31.",
      "",
    ].join("\r\n");
    const r = await readAttachment(att("fwd.eml", "message/rfc822", eml), { provider: "mailgun" });
    expect(r.kind).toBe("email");
    if (r.kind !== "email") return;
    expect(r.email).toMatchObject({
      provider: "mailgun",
      from: "pcn@ti.com",
      subject: "PDN 20260101 TPS54331D",
      messageId: "<fwd-1@ti.com>",
    });
    expect(r.email.text).toContain("TPS54331D last time buy 2027-03-31.");
  });

  it.each([
    ["logo.png", "image/png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /image/],
    ["docs.zip", "application/zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), /archive/],
    ["report.docx", "application/octet-stream", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]), /office/],
    ["blob.bin", "application/octet-stream", new Uint8Array([1, 2, 3]), /unknown/],
    ["empty.csv", "text/csv", new Uint8Array(), /empty/],
  ])("skips %s with a reason", async (filename, type, bytes, reason) => {
    expect(await readAttachment(att(filename, type, bytes))).toMatchObject({
      kind: "skipped",
      reason: expect.stringMatching(reason),
    });
  });

  it("skips attachments over maxBytes unread", async () => {
    expect(await readAttachment(att("a.csv", "text/csv", "a,b\n1,2\n"), { maxBytes: 4 })).toEqual({
      kind: "skipped",
      reason: "attachment is 8 bytes, over the 4-byte limit",
    });
  });
});

describe("attachments of the e-mail corpus (real MIME)", () => {
  const corpus = new URL("../../../../shared/corpus/emails/", import.meta.url);

  it.each([
    [
      "008-onsemi-pdn-sot23-csv-attachment.eml",
      "PDN_26071_Affected_Devices.csv",
      ["PDN", "Device", "Customer Part Number"],
    ],
    [
      "027-adi-pcn-die-revision-plain-csv.eml",
      "PCN_26_0144_Affected_Models.csv",
      ["Model", "Generic", "Package"],
    ],
  ])("%s: %s reads as a table", async (file, name, header) => {
    const { readFileSync } = await import("node:fs");
    const { parseMime } = await import("../../mail/mime.ts");
    const email = await parseMime(readFileSync(new URL(file, corpus)), "json");
    const a = email.attachments.find((x) => x.filename === name);
    expect(a).toBeDefined();
    const [t] = await tablesOf(a!);
    expect(t!.name).toBe(name);
    expect(t!.rows[0]!.slice(0, 3)).toEqual(header);
    expect(t!.rows.length).toBeGreaterThan(3);
    expect(t!.rows.slice(1).every((r) => r.length >= 3)).toBe(true);
  });
});
