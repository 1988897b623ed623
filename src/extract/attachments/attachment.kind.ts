/**
 * Which reader an attachment needs. Mail clients label attachments badly (Outlook sends CSV as
 * `application/vnd.ms-excel`, gateways send everything as `application/octet-stream`, report tools
 * name HTML or TSV exports `.xls`), so the bytes decide first, then the file name, then the label.
 */
export type AttachmentFormat =
  | "csv"
  | "tsv"
  | "txt"
  | "xlsx"
  | "xls"
  | "pdf"
  | "html"
  | "text"
  | "email"
  | "image"
  | "archive"
  | "office"
  | "unknown";

function extensionOf(filename: string | null): string {
  const m = /\.([a-z0-9]{1,5})$/i.exec(filename?.trim() ?? "");
  return m ? m[1]!.toLowerCase() : "";
}

function has(bytes: Uint8Array, sig: number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

function magicFormat(bytes: Uint8Array, ext: string, type: string): AttachmentFormat | null {
  // pdf.js accepts a header anywhere in the first KiB; so do some senders (a BOM or junk first).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (has(bytes, PDF) || head.includes("%PDF-")) return "pdf";
  if (has(bytes, ZIP)) {
    if (["xlsx", "xlsm", "xltx", "xltm"].includes(ext) || type.includes("spreadsheetml")) return "xlsx";
    // An OOXML workbook whatever its name: the package lists its workbook part early.
    if (head.includes("[Content_Types].xml") && Buffer.from(bytes.subarray(0, 65536)).includes("xl/")) {
      return "xlsx";
    }
    if (["docx", "pptx", "odt", "ods", "odp", "xlsb"].includes(ext)) return "office";
    return "archive";
  }
  if (has(bytes, OLE)) return ext === "xls" || type.includes("ms-excel") ? "xls" : "office";
  if (has(bytes, [0x89, 0x50, 0x4e, 0x47]) || has(bytes, [0xff, 0xd8, 0xff]) || head.startsWith("GIF8"))
    return "image";
  if (has(bytes, [0x1f, 0x8b]) || head.startsWith("7z\xbc\xaf") || head.startsWith("Rar!")) return "archive";
  return null;
}

const BY_EXTENSION: Record<string, AttachmentFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  txt: "txt",
  xlsx: "xlsx",
  xlsm: "xlsx",
  pdf: "pdf",
  htm: "html",
  html: "html",
  eml: "email",
  msg: "office",
  png: "image",
  jpg: "image",
  jpeg: "image",
  gif: "image",
  bmp: "image",
  tif: "image",
  tiff: "image",
  svg: "image",
  zip: "archive",
  gz: "archive",
  "7z": "archive",
  rar: "archive",
  doc: "office",
  docx: "office",
  ppt: "office",
  pptx: "office",
  ods: "office",
  odt: "office",
  xlsb: "office",
};

function byContentType(type: string): AttachmentFormat {
  if (/^(?:text|application)\/(?:csv|x-csv|comma-separated-values)$/.test(type)) return "csv";
  if (type === "text/tab-separated-values") return "tsv";
  if (type.includes("spreadsheetml")) return "xlsx";
  if (type === "application/pdf" || type === "application/x-pdf") return "pdf";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "message/rfc822" || type === "message/global") return "email";
  if (type.startsWith("text/")) return "text";
  if (type.startsWith("image/")) return "image";
  if (/zip|compressed|x-tar|gzip|x-7z|x-rar/.test(type)) return "archive";
  if (type.includes("ms-excel")) return "xls";
  if (type.includes("officedocument") || type.includes("msword") || type.includes("opendocument"))
    return "office";
  return "unknown";
}

/** The reader to use for an attachment, from its bytes, file name and declared content type. */
export function attachmentFormat(
  filename: string | null,
  contentType: string,
  bytes: Uint8Array,
): AttachmentFormat {
  const ext = extensionOf(filename);
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  const magic = magicFormat(bytes, ext, type);
  if (magic) return magic;
  // Not a binary format by its bytes: an ".xls" or "ms-excel" file here is a text export (HTML or TSV).
  if (ext === "xls" || (type.includes("ms-excel") && !BY_EXTENSION[ext])) {
    const start = Buffer.from(bytes.subarray(0, 512)).toString("latin1").trimStart().toLowerCase();
    return start.startsWith("<") ? "html" : "csv";
  }
  const fromExt = BY_EXTENSION[ext];
  if (fromExt) return fromExt;
  return byContentType(type);
}
