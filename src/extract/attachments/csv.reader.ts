import { parse } from "csv-parse/sync";
import type { Table } from "./attachment.content.ts";

/**
 * Delimited text (CSV, TSV, Excel's "CSV (semicolon)", pipe exports) → one Table. The delimiter is
 * the `sep=` hint Excel writes when present, else sniffed: the candidate that splits the most sample
 * lines into the same number of fields wins.
 */

/**
 * Candidates in tie-break order: a tab or a semicolon that splits every line alike is almost never
 * data, whereas commas also appear as decimal marks and in descriptions.
 */
export const DELIMITERS = ["\t", ";", ",", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const SAMPLE_LINES = 30;

/** Field separators per line, not counting those inside double quotes. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) n++;
  }
  return n;
}

export interface DelimiterGuess {
  delimiter: Delimiter;
  /** Share of sample lines that have the winning field count (0..1). */
  consistency: number;
  /** Separators per line in the winning count; 0 means the text is not delimited. */
  perLine: number;
}

/** Guesses the delimiter from the first lines. Ties go to the earlier candidate in DELIMITERS. */
export function sniffDelimiter(text: string): DelimiterGuess {
  const lines = text
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== "")
    .slice(0, SAMPLE_LINES);
  let best: DelimiterGuess = { delimiter: ",", consistency: 0, perLine: 0 };
  let found = false;
  for (const delimiter of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const c = countOutsideQuotes(line, delimiter);
      if (c > 0) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let perLine = 0;
    let agreeing = 0;
    for (const [count, seen] of counts) {
      if (seen > agreeing || (seen === agreeing && count > perLine)) {
        perLine = count;
        agreeing = seen;
      }
    }
    const consistency = lines.length ? agreeing / lines.length : 0;
    if (perLine > 0 && (!found || consistency > best.consistency)) {
      best = { delimiter, consistency, perLine };
      found = true;
    }
  }
  return best;
}

/** Excel's first-line hint, e.g. `sep=;`. */
const SEP_HINT = /^sep=(.)\r?\n/i;

export interface CsvReadResult {
  table: Table;
  delimiter: string;
}

/**
 * Parses decoded delimited text. Quoted fields may hold delimiters and line breaks; rows may have
 * different lengths; cells are trimmed; blank lines are dropped. Throws csv-parse's error on text it
 * cannot parse (e.g. a quote never closed), which the caller reports as `failed`.
 */
export function readDelimited(
  text: string,
  name: string,
  maxRows: number,
  delimiter?: string,
): CsvReadResult {
  let body = text.replace(/^\uFEFF/, "");
  let sep = delimiter;
  const hint = SEP_HINT.exec(body);
  if (hint) {
    sep ??= hint[1];
    body = body.slice(hint[0].length);
  }
  sep ??= sniffDelimiter(body).delimiter;
  const records = parse(body, {
    delimiter: sep,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    trim: true,
    to: maxRows + 1,
  }) as string[][];
  const truncated = records.length > maxRows;
  const rows = (truncated ? records.slice(0, maxRows) : records).map(trimTrailingEmpty);
  return { table: truncated ? { name, rows, truncated } : { name, rows }, delimiter: sep };
}

export function trimTrailingEmpty(row: string[]): string[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === "") end--;
  return end === row.length ? row : row.slice(0, end);
}
