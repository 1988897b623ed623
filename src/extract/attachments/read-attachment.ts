import { parseMime } from "../../mail/mime.ts";
import type { EmailAttachment, EmailProvider } from "../../mail/normalized-email.ts";
import {
  type AttachmentContent,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ROWS,
  type ReadLimits,
} from "./attachment.content.ts";
import { type AttachmentFormat, attachmentFormat } from "./attachment.kind.ts";
import { readDelimited, sniffDelimiter } from "./csv.reader.ts";
import { readPdfText } from "./pdf.reader.ts";
import { charsetOf, decodeText } from "./text.decode.ts";
import { readXlsx } from "./xlsx.reader.ts";

export type { AttachmentContent, ReadLimits, Table } from "./attachment.content.ts";

export interface ReadOptions extends ReadLimits {
  /** Recorded as the provider of a forwarded (message/rfc822) attachment; default "json". */
  provider?: EmailProvider;
}

/** Formats not read by design, with the reason given to people checking a result. */
const NOT_READ: Partial<Record<AttachmentFormat, string>> = {
  xls: "legacy Excel 97-2003 workbook (.xls): no maintained pure-JS reader; ask the sender for .xlsx or CSV",
  image: "image: no text to read without OCR",
  archive: "archive: archives are not unpacked",
  office: "office document other than .xlsx: not read",
  unknown: "unknown format",
};

/** A `.txt` attachment is a table only when it is clearly tab- or semicolon-delimited; commas are prose. */
function txtLooksTabular(text: string): string | null {
  const guess = sniffDelimiter(text);
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).length;
  return lines >= 2 &&
    guess.perLine > 0 &&
    guess.consistency >= 0.8 &&
    (guess.delimiter === "\t" || guess.delimiter === ";")
    ? guess.delimiter
    : null;
}

function metaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tableName(att: EmailAttachment, fallback: string): string {
  return att.filename?.trim() || fallback;
}

/**
 * Reads one attachment into tables, text, HTML or a nested e-mail. Never throws for a bad file:
 * unreadable-by-design formats are `skipped`, damaged files `failed`, each with a reason.
 */
export async function readAttachment(
  att: EmailAttachment,
  limits: ReadOptions = {},
): Promise<AttachmentContent> {
  const maxRows = limits.maxRows ?? DEFAULT_MAX_ROWS;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (att.unreadable) return { kind: "failed", reason: att.unreadable };
  const bytes = att.content;
  if (bytes.byteLength === 0) return { kind: "skipped", reason: "empty attachment" };
  if (bytes.byteLength > maxBytes) {
    return {
      kind: "skipped",
      reason: `attachment is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`,
    };
  }
  const format = attachmentFormat(att.filename, att.contentType, bytes);
  const notRead = NOT_READ[format];
  if (notRead) return { kind: "skipped", reason: notRead };
  const charset = charsetOf(att.contentType);
  try {
    switch (format) {
      case "csv":
      case "tsv": {
        const text = decodeText(bytes, charset);
        const { table } = readDelimited(
          text,
          tableName(att, format),
          maxRows,
          format === "tsv" ? "\t" : undefined,
        );
        return { kind: "tables", tables: [table] };
      }
      case "txt": {
        const text = decodeText(bytes, charset);
        const delimiter = txtLooksTabular(text);
        if (!delimiter) return { kind: "text", text };
        return {
          kind: "tables",
          tables: [readDelimited(text, tableName(att, "txt"), maxRows, delimiter).table],
        };
      }
      case "xlsx":
        return { kind: "tables", tables: await readXlsx(bytes, maxRows) };
      case "pdf": {
        const text = await readPdfText(bytes);
        return text.trim()
          ? { kind: "text", text }
          : { kind: "skipped", reason: "PDF has no text layer (a scan?); OCR is not done" };
      }
      case "html":
        return { kind: "html", html: decodeText(bytes, charset ?? metaCharset(bytes)) };
      case "text":
        return { kind: "text", text: decodeText(bytes, charset) };
      case "email":
        return { kind: "email", email: await parseMime(bytes, limits.provider ?? "json") };
      default:
        return { kind: "skipped", reason: `unknown format ${format}` };
    }
  } catch (error) {
    return { kind: "failed", reason: `${format}: ${describe(error)}` };
  }
}
