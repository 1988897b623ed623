/**
 * Extraction from a whole message: its HTML (or text) body and its attachments. Async only because
 * attachments are read (readAttachment: CSV, XLSX, PDF, nested messages); the rest is pure.
 */
import type { NormalizedEmail } from "../mail/normalized-email.ts";
import { type AttachmentContent, readAttachment } from "./attachments/read-attachment.ts";
import { concatDocs, type Doc } from "./document.ts";
import { type ExtractContext, extractFromDoc } from "./extract.ts";
import { htmlToDoc } from "./html.doc.ts";
import type { ExtractionResult } from "./notice.ts";
import { textToDoc } from "./text.doc.ts";

/** Limits on what one message may make the extractor read. */
export interface ExtractLimits {
  /** Rows read per attachment table (default 50,000). */
  maxRows?: number;
  /** Nesting of forwarded messages attached as message/rfc822 (default 3). */
  maxDepth?: number;
}

function bodyDoc(email: NormalizedEmail, prefer: "html" | "text"): Doc {
  if (prefer === "html" && email.html) return htmlToDoc(email.html, "html");
  if (email.text) return textToDoc(email.text, "text");
  if (email.html) return htmlToDoc(email.html, "html");
  return { blocks: [], quotedSenders: [], quotedSubjects: [] };
}

async function attachmentDocs(email: NormalizedEmail, limits: ExtractLimits, depth: number): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const [i, att] of email.attachments.entries()) {
    const name = `attachment:${att.filename ?? `#${i + 1}`}`;
    const content: AttachmentContent = await readAttachment(att, { maxRows: limits.maxRows ?? 50_000 });
    switch (content.kind) {
      case "tables":
        docs.push({
          blocks: content.tables.map((t) => ({
            kind: "table" as const,
            rows: t.rows,
            part: t.name && t.name !== att.filename ? `${name}#${t.name}` : name,
            line: 1,
            layout: "attachment-table",
          })),
          quotedSenders: [],
          quotedSubjects: [],
        });
        break;
      case "text":
        docs.push(textToDoc(content.text, name));
        break;
      case "html":
        docs.push(htmlToDoc(content.html, name));
        break;
      case "email":
        if (depth < (limits.maxDepth ?? 3)) {
          const inner = content.email;
          const doc = concatDocs([
            bodyDoc(inner, "html"),
            ...(await attachmentDocs(inner, limits, depth + 1)),
          ]);
          docs.push({
            ...doc,
            quotedSenders: [...(inner.from ? [inner.from] : []), ...doc.quotedSenders],
            quotedSubjects: [inner.subject, ...doc.quotedSubjects].filter(Boolean),
          });
        }
        break;
      case "skipped":
      case "failed":
        break;
    }
  }
  return docs;
}

/**
 * The notices of one message. The HTML body is read when there is one (its tables have real
 * cells); when it yields nothing and a text body exists, the text body is read instead.
 */
export async function extractFromEmail(
  email: NormalizedEmail,
  ctx: Pick<ExtractContext, "now" | "bom" | "reviewThreshold">,
  limits: ExtractLimits = {},
): Promise<ExtractionResult> {
  const attached = await attachmentDocs(email, limits, 0);
  const meta: ExtractContext = { ...ctx, subject: email.subject, from: email.from };
  const first = extractFromDoc(concatDocs([bodyDoc(email, "html"), ...attached]), meta);
  if (first.notices.length > 0 || !email.html || !email.text) return first;
  return extractFromDoc(concatDocs([bodyDoc(email, "text"), ...attached]), meta);
}
