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
  /\b(?:migrat\w*\s+to|(?:we|please)\s+(?:recommend|suggest)\s+(?:using\s+)?(?:the\s+)?|replac\w*\s+(?:by|with)|(?:(?:suggested|recommended|proposed)\s+)?(?:replacements?|successors?|alternatives?|substitutes?)(?:\s+(?:is|are)\b|\s*:)|(?:recommended|suggested)\s+for\s+new\s+designs?\s*:|for\s+new\s+designs?,?\s+(?:please\s+)?use\b|use\s+the\b|upgrade\s+to\b|move\s+to\b|(?:invited|encouraged|advised|asked)\s+to\s+(?:evaluate|consider|use|qualify|switch\s+to)(?:\s+the)?\b|(?:should|may)\s+(?:evaluate|consider|qualify)(?:\s+the)?\b)/i;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9\-_/.,#+]*[A-Za-z0-9#+]/g;

/** A cue after the parts it names: "The E-version GD25Q32ESIG and GD25Q64ESIG respectively are the recommended replacements". */
const CUE_AFTER =
  /\b(?:respectively\s+)?(?:is|are|serves? as|will serve as)\s+(?:the\s+)?(?:recommended\s+|suggested\s+|direct\s+|drop-in\s+)*(?:replacements?|successors?|alternatives?|substitutes?)\b/i;

function partsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0].replace(/[.,]+$/, "");
    if (/[A-Z]/i.test(t) && /\d/.test(t) && judgeMpn(t, "prose", text.slice(0, m.index)).ok) out.push(t);
  }
  return out;
}

/** Parts named after the first replacement cue of a sentence, else before a cue that follows them. */
function namedReplacements(s: PosSentence): string[] {
  const cue = CUE.exec(s.text);
  if (cue) return partsIn(s.text.slice(cue.index + cue[0].length));
  const after = CUE_AFTER.exec(s.text);
  return after ? partsIn(s.text.slice(0, after.index)) : [];
}

const REPLACEMENT_WORD =
  /\b(?:replac\w*|successors?|alternatives?|substitut\w*|ersatz\w*|nachfolge\w*|remplac\w*)\b/i;
const FOR_PAIR = new RegExp(
  `(${TOKEN.source}|none|no replacement|n\\/a)\\s+(?:is\\s+(?:the\\s+)?(?:(?:recommended|suggested|proposed|direct|drop-in)\\s+)*(?:replacement|successor|alternative|substitute)?\\s*)?for\\s+(?:the\\s+)?(${TOKEN.source})`,
  "gi",
);

/**
 * "Replacements: H1102FNL for H1102NL, J0011D21BNL for J0011D01BNL; none for PE-53112NL": in a
 * paragraph that speaks of replacements, "X for Y" gives part Y its replacement X (or none).
 */
function pairFor(sentences: readonly PosSentence[], open: readonly Candidate[], used: Set<string>): void {
  const paragraphs = new Map<number, string>();
  for (const s of sentences) paragraphs.set(s.pos, `${paragraphs.get(s.pos) ?? ""} ${s.text}`);
  const byKey = new Map(open.map((c) => [foldMpn(c.mpn), c]));
  for (const text of paragraphs.values()) {
    if (!REPLACEMENT_WORD.test(text) || !/\sfor\s/i.test(text)) continue;
    for (const m of text.matchAll(FOR_PAIR)) {
      const target = byKey.get(foldMpn(m[2]!.replace(/[.,]+$/, "")));
      if (!target || target.replacement !== undefined) continue;
      const x = m[1]!.replace(/[.,]+$/, "");
      const none = /^(?:none|no replacement|n\/a)$/i.test(x);
      if (!none && !judgeMpn(x, "prose").ok) continue;
      for (const c of open) if (foldMpn(c.mpn) === foldMpn(target.mpn)) c.replacement = none ? null : x;
      if (!none) used.add(foldMpn(x));
    }
  }
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
  pairFor(sentences, open, used);
  const affected = new Set(open.map((c) => foldMpn(c.mpn)));
  for (const s of sentences) {
    const named = [
      ...new Map(
        namedReplacements(s)
          .filter((t) => !affected.has(foldMpn(t)))
          .map((t) => [foldMpn(t), t]),
      ).values(),
    ];
    if (named.length === 0) continue;
    const unanswered = open.filter((c) => c.replacement === undefined && c.pos <= s.pos);
    // The parts the cue speaks of, nearest first: those its own sentence names ("For the X we
    // recommend the Y"); else every part still waiting; else, when the counts differ, those of
    // its paragraph ("2) The discontinuance of SS49E stands … Suggested alternative: SS39ET.").
    const scopes = [
      open.filter((c) => c.replacement === undefined && s.text.includes(c.mpn)),
      unanswered,
      unanswered.filter((c) => c.pos === s.pos),
    ];
    let waiting: Candidate[] = [];
    let unique: Candidate[] = [];
    for (const scope of scopes) {
      waiting = scope;
      unique = [...new Map(scope.map((c) => [foldMpn(c.mpn), c])).values()];
      if (unique.length === named.length) break;
    }
    // One replacement recommended for the notice as a whole ("For new and existing designs we
    // recommend migrating to the SIM7080G") serves every part still waiting, when the sentence names none.
    if (
      unique.length !== named.length &&
      named.length === 1 &&
      scopes[0]!.length === 0 &&
      unanswered.length > 0
    ) {
      waiting = unanswered;
      unique = [...new Map(unanswered.map((c) => [foldMpn(c.mpn), c])).values()];
      const one = named[0]!;
      named.splice(0, named.length, ...unique.map(() => one));
    }
    if (unique.length !== named.length) continue;
    unique.forEach((c, i) => {
      for (const same of waiting) if (foldMpn(same.mpn) === foldMpn(c.mpn)) same.replacement = named[i]!;
      used.add(foldMpn(named[i]!));
    });
  }
  return used;
}
