/**
 * The kind of a message as a whole, whether it mixes kinds (then each part takes the kind of the
 * sentences nearest above it), and the IDs of the notices a cancellation or reactivation undoes.
 */
import { foldMpn } from "../parts/mpn.normalize.ts";
import { noticeIdsInText } from "./facts.ts";
import { decideKind, kindsInSentence, type NoticeKind, PATTERNS } from "./signals.ts";

/**
 * The kind of the notice as a whole: the subject names it, unless the body cancels, reactivates or
 * obsoletes — or denies it: a "Discontinuation Notice" whose text says the devices are not being
 * discontinued announces a change (the process used is not the event).
 */
export function noticeKind(
  subjects: readonly string[],
  body: Map<NoticeKind, number>,
  denial: { denied: ReadonlySet<NoticeKind>; endDates: boolean } = { denied: new Set(), endDates: false },
): NoticeKind | null {
  for (const k of ["cancellation", "reactivation"] as const) if (body.has(k)) return k;
  const fromSubject = decideKind(subjects.flatMap((s) => [...kindsInSentence(s)]));
  const ending = fromSubject === "discontinuance" || fromSubject === "obsolete";
  // Denied, and no last-order or last-ship date stated anywhere: nothing ends.
  if (ending && denial.denied.has("discontinuance") && !denial.endDates && !body.has("obsolete")) {
    const rest = new Map(body);
    rest.delete("discontinuance");
    return decideKind(rest.keys()) ?? "change";
  }
  if (fromSubject === "discontinuance" && body.has("obsolete")) return "obsolete";
  return fromSubject ?? decideKind(body.keys());
}

/** Kinds of one family do not make a message mixed (an obsolescence also speaks of discontinuance). */
const FAMILIES: Record<NoticeKind, string> = {
  cancellation: "a",
  reactivation: "a",
  obsolete: "d",
  discontinuance: "d",
  nrnd: "n",
  change: "c",
};

export function isMixed(kinds: Iterable<NoticeKind>): boolean {
  return new Set([...kinds].map((k) => FAMILIES[k])).size > 1;
}

export function undoes(kind: NoticeKind | null): boolean {
  return kind === "cancellation" || kind === "reactivation";
}

const UNDO = new RegExp(
  `${PATTERNS.cancellation.source}|${PATTERNS.reactivation.source}|\\b(?:cancels|supersedes|replaces)\\b`,
  "gi",
);

/** "Cancellation Notice #…", "Reactivation Notice RN-…": the title of the notice itself. */
const OWN_TITLE = /^\s*(?:notice|notification)\s*(?:no\.?|nr\.?|#)?\s*$/i;

/**
 * IDs (folded) named after a word of cancelling or reactivating ("retracts End-of-Life notice
 * EOL-2026-02", "cancels PDN #20251104003"), unless that word titles the notice itself
 * ("Reactivation Notice RN-26-003").
 */
export function undoneIds(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    const verbs = [...t.matchAll(UNDO)];
    if (verbs.length === 0) continue;
    for (const m of noticeIdsInText(t)) {
      const verb = verbs.filter((v) => v.index + v[0].length <= m.index).pop();
      if (verb && !OWN_TITLE.test(t.slice(verb.index + verb[0].length, m.index))) out.add(foldMpn(m.id));
    }
  }
  return out;
}
