/**
 * Writes small, valid PDF 1.4 files with a real text layer (Helvetica, WinAnsi), for tests and
 * benchmarks of the PDF reader. Each text run is placed at an absolute position, so a table can be
 * laid out the way report generators do it: one run per cell.
 */
export interface PdfTextRun {
  x: number;
  /** From the bottom of an A4 page (842 pt high). */
  y: number;
  text: string;
  size?: number;
}

function escapePdfString(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

/** One page per entry; runs in any order. */
export function makeTextPdf(pages: PdfTextRun[][]): Uint8Array {
  const objects: string[] = [];
  // 1: catalog, 2: pages, 3: font; then per page a content stream and a page object.
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  pages.forEach((runs, i) => {
    const content = runs
      .map((r) => `BT /F1 ${r.size ?? 10} Tf ${r.x} ${r.y} Td (${escapePdfString(r.text)}) Tj ET`)
      .join("\n");
    objects[4 + i * 2] =
      `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`;
    objects[5 + i * 2] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${4 + i * 2} 0 R >>`;
  });
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, "latin1");
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

/** A notice-like table laid out one run per cell, the way PDF report generators write it. */
export function makeTablePdf(title: string, rows: string[][], columnX: number[]): Uint8Array {
  const runs: PdfTextRun[] = [{ x: 50, y: 800, text: title, size: 12 }];
  rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (cell) runs.push({ x: columnX[c] ?? 50 + c * 120, y: 770 - r * 14, text: cell });
    });
  });
  return makeTextPdf([runs]);
}
