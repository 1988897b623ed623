import { randomBytes } from "node:crypto";
import PostalMime, { type Email } from "postal-mime";

/**
 * Wire formats the provider stand-ins share: form encoders, and reading an .eml the way a provider's
 * own parser would (postal-mime plays that part). Independent of src/email on purpose.
 */
export interface ProviderRequest {
  body: Buffer;
  headers: Record<string, string>;
  /** Query string to append to the route (SendGrid's URL key). */
  query?: string;
}

// ---------- multipart / urlencoded encoding ----------

export type FormPart =
  | { name: string; value: string | Buffer }
  | { name: string; filename: string | null; contentType: string; content: Uint8Array };

export function multipart(parts: FormPart[], boundary = `----eolgate${randomBytes(8).toString("hex")}`) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if ("content" in p) {
      // An empty filename still marks the part as a file, as providers do for unnamed attachments.
      head += `; filename="${(p.filename ?? "").replace(/"/g, "%22")}"\r\nContent-Type: ${p.contentType}`;
      chunks.push(Buffer.from(`${head}\r\n\r\n`, "utf8"), Buffer.from(p.content), Buffer.from("\r\n"));
    } else {
      chunks.push(Buffer.from(`${head}\r\n\r\n`, "utf8"), Buffer.from(p.value), Buffer.from("\r\n"));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function urlencoded(fields: [string, string][]): { body: Buffer; contentType: string } {
  return {
    body: Buffer.from(new URLSearchParams(fields).toString(), "utf8"),
    contentType: "application/x-www-form-urlencoded",
  };
}

// ---------- reading the .eml as a provider would ----------

/** Header lines of the message, unfolded, as [name, value] in order. */
export function headerPairs(eml: Buffer): [string, string][] {
  const text = eml.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n(?=[ \t])/g, "");
  return block
    .split(/\r?\n/)
    .filter((l) => l.includes(":"))
    .map((l) => {
      const i = l.indexOf(":");
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()] as [string, string];
    });
}

export function headerBlock(eml: Buffer): Buffer {
  const end = eml.indexOf("\r\n\r\n");
  return end >= 0 ? eml.subarray(0, end) : eml;
}

export async function parse(eml: Buffer): Promise<Email> {
  return PostalMime.parse(eml, { attachmentEncoding: "arraybuffer" });
}

export const addr = (a: Email["from"]) => (a && "address" in a ? (a.address ?? "") : "");
export const addrList = (l: Email["to"]) =>
  (l ?? []).flatMap((a) => ("address" in a && a.address ? [a] : "group" in a ? (a.group ?? []) : []));
export const bytes = (c: ArrayBuffer | Uint8Array | string) =>
  typeof c === "string"
    ? Buffer.from(c, "utf8")
    : Buffer.from(c instanceof Uint8Array ? c : new Uint8Array(c));

export function pairValue(eml: Buffer, name: string): string {
  return headerPairs(eml).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? "";
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A message the corpus lacks: ISO-2022-JP text and RFC 2047 subject, a quoted-printable UTF-8 HTML
 * part inside nested multiparts, and a notice forwarded as a `message/rfc822` attachment that itself
 * carries a CSV attachment.
 */
export function forwardedIso2022jpEml(): Buffer {
  const jis = (s: string) => Buffer.from(s, "latin1");
  return Buffer.concat([
    Buffer.from(
      [
        "From: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?= PCN <pcn@renesas.example>",
        "To: Components <components@maker.example>",
        "Subject: =?ISO-2022-JP?B?GyRCRnxLXBsoQg==?= FW: PDN forwarded",
        "Date: Tue, 03 Nov 2026 09:15:00 +0900",
        "Message-ID: <fwd-iso2022jp-1@renesas.example>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="outer"',
        "",
        "--outer",
        'Content-Type: multipart/alternative; boundary="alt"',
        "",
        "--alt",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        "Content-Transfer-Encoding: 7bit",
        "",
        "",
      ].join("\r\n"),
    ),
    jis("\x1b$BF|K\\\x1b(B: see the attached notice.\r\n"),
    Buffer.from(
      [
        "--alt",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "<p>Gr=C3=BC=C3=9Fe, see the attached notice.</p>",
        "--alt--",
        "--outer",
        "Content-Type: message/rfc822",
        'Content-Disposition: attachment; filename="PDN-2026-0419.eml"',
        "",
        "From: Renesas PCN <pcn@renesas.example>",
        "Subject: PDN-2026-0419 discontinuation of R5F10",
        "Date: Mon, 02 Nov 2026 10:00:00 +0900",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="inner"',
        "",
        "--inner",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "R5F100LEAFB last time buy 2027-05-31.",
        "--inner",
        "Content-Type: text/csv; name=parts.csv",
        'Content-Disposition: attachment; filename="parts.csv"',
        "Content-Transfer-Encoding: base64",
        "",
        Buffer.from("mpn,ltb\r\nR5F100LEAFB,2027-05-31\r\n").toString("base64"),
        "--inner--",
        "--outer--",
        "",
      ].join("\r\n"),
    ),
  ]);
}
