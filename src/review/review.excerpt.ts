import { z } from "zod";

/**
 * The stretch of a message that names a part, for the person who reviews the notice: the first place
 * the message writes the MPN (case, spaces and hyphens aside), with some context on each side and
 * whitespace collapsed. Pure. The BOM scan gives its own evidence; this covers the notices the rules
 * and the model found.
 */
export const Excerpt = z.object({
  text: z.string(),
  /** Offsets of the part in `text` (end exclusive). */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
});
export type Excerpt = z.infer<typeof Excerpt>;

/** Characters of context on each side of the part. */
const CONTEXT = 80;

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function excerptOf(text: string, mpn: string): Excerpt | null {
  const chars = [...mpn.replace(/[\s\u00ad-]+/g, "")];
  if (chars.length === 0) return null;
  // A line wrap, a space or a hyphen may stand between any two characters of the MPN as written.
  const pattern = new RegExp(
    `(?<![A-Za-z0-9])${chars.map(literal).join("[\\s\\u00ad-]*")}(?![A-Za-z0-9])`,
    "i",
  );
  const m = pattern.exec(text) ?? new RegExp(chars.map(literal).join("[\\s\\u00ad-]*"), "i").exec(text);
  if (!m) return null;
  const before = text
    .slice(Math.max(0, m.index - CONTEXT), m.index)
    .replace(/\s+/g, " ")
    .trimStart();
  const part = m[0].replace(/\s+/g, " ");
  const after = text
    .slice(m.index + m[0].length, m.index + m[0].length + CONTEXT)
    .replace(/\s+/g, " ")
    .trimEnd();
  return { text: `${before}${part}${after}`, start: before.length, end: before.length + part.length };
}
