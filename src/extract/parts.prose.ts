/**
 * Parts named only in sentences ("Please be advised that the TPS7A4700RGWR will be discontinued"),
 * read when no table, list or record names any part. Only sentences that assert a lifecycle event
 * count, and a token there must look unmistakably like a part (see mpn.shape.ts, context "prose").
 * Sentences that say a part is not affected name parts to leave out, whatever layout found them.
 */

import { foldMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import { expandSlashFamily, leadingPart } from "./mpn.cell.ts";
import { judgeMpn } from "./mpn.shape.ts";
import { decideKind, type NoticeKind } from "./signals.ts";

export interface PosSentence {
  text: string;
  pos: number;
  part: string;
  line: number;
  /** The kinds the sentence asserts (kindsInSentence), computed once per sentence. */
  kinds: ReadonlySet<NoticeKind>;
}

const NOT_AFFECTED =
  /\b(?:not (?:be )?(?:affected|impacted|included|covered|part of)|unaffected|excluded|out of scope|are not listed)\b/i;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9\-_/.,#+]*[A-Za-z0-9#+]/g;

function tokensOf(sentence: string): { token: string; preceding: string }[] {
  return [...sentence.matchAll(TOKEN)].map((m) => ({
    token: m[0].replace(/,$/, ""),
    preceding: sentence.slice(Math.max(0, m.index - 40), m.index),
  }));
}

/** Parts that sentences say are not affected by the notice. */
export function notAffected(sentences: readonly PosSentence[]): Set<string> {
  const out = new Set<string>();
  for (const s of sentences) {
    if (!NOT_AFFECTED.test(s.text)) continue;
    for (const { token } of tokensOf(s.text)) if (judgeMpn(token, "list").ok) out.add(foldMpn(token));
  }
  return out;
}

/** Parts in sentences that assert a lifecycle event. `ignore` holds tokens known to be other things (notice IDs). */
export function readProse(sentences: readonly PosSentence[], ignore: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  for (const s of sentences) {
    if (s.kinds.size === 0 || NOT_AFFECTED.test(s.text)) continue;
    for (const mpn of partsInSentence(s.text))
      if (!ignore.has(foldMpn(mpn)))
        out.push({
          mpn,
          pos: s.pos,
          part: s.part,
          layout: "prose",
          line: s.line,
          strength: 0,
          sentenceKind: decideKind(s.kinds),
        });
  }
  return out;
}

/**
 * The parts a sentence names, in order: each token judged in prose, a series and its model joined
 * ("TMR 3-2411"), a lead-free word kept ("KSC221J LFS"), a slash family spread ("NV6113/15/17").
 */
export function partsInSentence(text: string): string[] {
  const out: string[] = [];
  const tokens = [...text.matchAll(TOKEN)];
  for (let i = 0; i < tokens.length; i++) {
    const m = tokens[i]!;
    const next = tokens[i + 1];
    // The next word counts only when a single space separates it from this one.
    const adjacent = next && next.index === m.index + m[0].length + 1 && text[m.index + m[0].length] === " ";
    const words = adjacent ? [m[0], next[0]] : [m[0]];
    const found = leadingPart(words, "prose", text.slice(Math.max(0, m.index - 40), m.index));
    if (!found) continue;
    out.push(...expandSlashFamily(found.mpn));
    i += found.words - 1;
  }
  return out;
}
