/**
 * Bytes → text for attachments whose senders rarely say their encoding right: a BOM wins, then a
 * declared charset, then UTF-8 if the bytes are valid UTF-8, else Windows-1252 (a superset of
 * Latin-1 for printable text, and what Excel on Windows writes for "CSV").
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function tryDecode(label: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    // RangeError: unknown label; TypeError: invalid bytes under `fatal`.
    return null;
  }
}

/** The `charset` parameter of a Content-Type value, lower case, or null. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m ? m[1]!.toLowerCase() : null;
}

/** Decodes text bytes; never throws. The BOM, if any, is not part of the result. */
export function decodeText(bytes: Uint8Array, declaredCharset?: string | null): string {
  if (startsWith(bytes, UTF8_BOM)) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const declared = declaredCharset?.toLowerCase();
  // A declared UTF-8 that is not valid UTF-8 is a mislabel (common with CSV exports); fall through.
  if (declared && declared !== "utf-8" && declared !== "utf8" && declared !== "us-ascii") {
    const text = tryDecode(declared, bytes, false);
    if (text !== null) return text;
  }
  return tryDecode("utf-8", bytes, true) ?? new TextDecoder("windows-1252").decode(bytes);
}
