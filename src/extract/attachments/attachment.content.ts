import type { NormalizedEmail } from "../../mail/normalized-email.ts";

/**
 * What an attachment reader hands to the extractor. Tables are raw: trimmed cell strings, the first
 * row as in the file, no header interpretation (recognising headers by meaning is the extractor's job).
 */
export interface Table {
  /** Sheet name, or the file name for single-table formats. */
  name: string;
  rows: string[][];
  /** True when rows past `maxRows` were left out. */
  truncated?: boolean;
}

/**
 * Expected outcomes are values: `skipped` means "not a format we read, by design" (images, archives,
 * legacy .xls); `failed` means "a format we read, but this file is damaged or over a limit".
 */
export type AttachmentContent =
  | { kind: "tables"; tables: Table[] }
  | { kind: "text"; text: string }
  | { kind: "html"; html: string }
  | { kind: "email"; email: NormalizedEmail }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; reason: string };

export interface ReadLimits {
  /** Rows kept per table (default 50,000); the rest is dropped and the table marked truncated. */
  maxRows?: number;
  /** Attachments larger than this are skipped unread (default 32 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_ROWS = 50_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
