/**
 * Replacements named in sentences rather than beside each part: "Customers should migrate to the
 * AO3400A and AO3401A respectively", "Their successors are the BMP280 and the BMA253". The parts
 * named after a word of replacement are paired, in order, with the affected parts that have none,
 * when the counts agree; a single replacement goes to a single affected part. First, a part followed
 * in its own stretch of text by a cue and a part ("XT8-25.000MHZ-T  LTB …  Repl: XT8-25.000MHZ-1-T")
 * takes that one.
 */
import { foldMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import { judgeMpn } from "./mpn.shape.ts";
import type { PosSentence } from "./parts.prose.ts";

const CUE =
  /\b(?:migrat\w*\s+to|replac\w*\s+(?:by|with)|replacements?\s+(?:is|are)|successors?\s+(?:is|are)|successors?:|recommended replacements?\s+(?:is|are)|use\s+the|upgrade\s+to|move\s+to)\b/i;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9\-_/.,#+]*[A-Za-z0-9#+]/g;

/** Parts named after the first replacement cue of a sentence, in order. */
function namedAfterCue(s: PosSentence): string[] {
  const cue = CUE.exec(s.text);
  if (!cue) return [];
  const tail = s.text.slice(cue.index + cue[0].length);
  const out: string[] = [];
  for (const m of tail.matchAll(TOKEN)) {
    const t = m[0].replace(/[.,]+$/, "");
    if (/[A-Z]/i.test(t) && /\d/.test(t) && judgeMpn(t, "prose", tail.slice(0, m.index)).ok) out.push(t);
  }
  return out;
}

/** A cue right before a part makes it the replacement of the part before ("Repl:", "->", "replaced by"). */
const CUE_BEFORE =
  /(?:\brepl(?:acement)?\.?\s*:|\breplac\w*\s+(?:by|with)|\bsuccessor\s*:?|->|→|=>|\bmigrat\w*\s+to)\s*(?:the\s+)?$/i;
/** "Repl: none" in the stretch after a part: it has no replacement. */
const CUE_NONE = /(?:\brepl(?:acement)?\.?\s*:|->|→)\s*(?:none|n\/a|-|no successor)\b/i;

/**
 * Each part's own stretch of the sentence (up to the next part) may name its replacement. A part
 * found right after a cue is that replacement, not an affected part.
 */
function pairInline(s: PosSentence, open: readonly Candidate[], used: Set<string>): void {
  const text = s.text;
  const at = open
    .filter((c) => c.pos === s.pos)
    .map((c) => ({ c, index: text.indexOf(c.mpn) }))
    .filter((x) => x.index >= 0)
    .sort((a, b) => a.index - b.index);
  let last: Candidate | null = null;
  for (const [i, x] of at.entries()) {
    if (last && CUE_BEFORE.test(text.slice(0, x.index))) {
      if (last.replacement === undefined) last.replacement = x.c.mpn;
      used.add(foldMpn(x.c.mpn));
      continue;
    }
    last = x.c;
    const stretch = text.slice(x.index + x.c.mpn.length, at[i + 1]?.index ?? text.length);
    if (x.c.replacement === undefined && CUE_NONE.test(stretch)) x.c.replacement = null;
  }
}

/** Sets `replacement` on candidates that have none (mutates); returns the folded replacements used. */
export function pairProseReplacements(
  candidates: readonly Candidate[],
  sentences: readonly PosSentence[],
): Set<string> {
  const used = new Set<string>();
  const open = candidates.filter((c) => c.replacement === undefined && c.layout !== "table");
  if (open.length === 0) return used;
  for (const s of sentences) pairInline(s, open, used);
  const affected = new Set(open.map((c) => foldMpn(c.mpn)));
  for (const s of sentences) {
    const named = namedAfterCue(s).filter((t) => !affected.has(foldMpn(t)));
    if (named.length === 0) continue;
    const waiting = open.filter((c) => c.replacement === undefined && c.pos <= s.pos);
    const unique = [...new Map(waiting.map((c) => [foldMpn(c.mpn), c])).values()];
    if (unique.length !== named.length) continue;
    unique.forEach((c, i) => {
      for (const same of waiting) if (foldMpn(same.mpn) === foldMpn(c.mpn)) same.replacement = named[i]!;
      used.add(foldMpn(named[i]!));
    });
  }
  return used;
}
