/** The maker a name, a label value or the message as a whole stands for (canonical names, DESIGN §7). */
import {
  canonicalManufacturer,
  findManufacturerMentions,
  manufacturerFromDomain,
} from "../parts/manufacturers.ts";
import type { Doc } from "./document.ts";

/** The canonical maker a text names: the whole text as a name, else the first maker it mentions. */
export function canonicalMaker(text: string | null | undefined): string | null {
  if (!text?.trim()) return null;
  return canonicalManufacturer(text) ?? findManufacturerMentions(text)[0]?.name ?? null;
}

/** The maker of the notice as a whole: the forwarded sender, the sender, else the maker named most. */
export function noticeMaker(
  doc: Doc,
  from: string | null | undefined,
  texts: readonly string[],
): string | null {
  for (const addr of [...doc.quotedSenders].reverse()) {
    const m = manufacturerFromDomain(addr);
    if (m) return m;
  }
  const own = from ? manufacturerFromDomain(from) : null;
  if (own) return own;
  const counts = new Map<string, number>();
  for (const m of findManufacturerMentions(texts.join("\n")))
    counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  let best: string | null = null;
  for (const [name, n] of counts) if (best === null || n > counts.get(best)!) best = name;
  return best;
}
