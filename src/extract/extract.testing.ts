/**
 * What the extraction class tests share: one receipt time and a reader of a plain-text message
 * with a subject and a sender (a maker's domain unless a test says otherwise).
 */
import { extractFromText } from "./extract.ts";
import type { ExtractionResult } from "./notice.ts";

export const NOW = new Date("2026-06-01T00:00:00Z");

export function readText(text: string, subject: string, from = "pcn@example-maker.com"): ExtractionResult {
  return extractFromText(text, { now: NOW, subject, from });
}
