/** The maker a name, a label value or the message as a whole stands for (canonical names, DESIGN §7). */
import {
  makerNamedAsRelayed,
  makerNamedByDomain,
  makerNamedBySubject,
  makerNamedInText,
  makerOfDomainLabel,
  ownerLabel,
  RELAY_CUE,
} from "../parts/manufacturer.infer.ts";
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

/** The most-mentioned known maker of a text, the first one on a tie. */
function mostMentioned(text: string): string | null {
  const counts = new Map<string, number>();
  for (const m of findManufacturerMentions(text)) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  let best: string | null = null;
  for (const [name, n] of counts) if (best === null || n > counts.get(best)!) best = name;
  return best;
}

/**
 * The maker of the notice as a whole, most trusted first: a known maker's domain (the forwarded
 * sender's, then the sender's); the maker a relaying message names ("our supplier X"); the one
 * known maker the subject names; the sender's own name as the message spells it, or as it opens
 * the subject (a maker the table does not know, unless the message relays another's notice); the
 * known maker named most; a company that announces or signs with a legal form.
 */
export function noticeMaker(
  doc: Doc,
  from: string | null | undefined,
  subjects: readonly string[],
  texts: readonly string[],
): string | null {
  const quoted = [...doc.quotedSenders].reverse();
  for (const addr of [...quoted, ...(from ? [from] : [])]) {
    const m = manufacturerFromDomain(addr);
    if (m) return m;
  }
  const all = [...subjects, ...texts].join("\n");
  const relayedMaker = makerNamedAsRelayed(all);
  if (relayedMaker) return relayedMaker;
  const inSubject = new Set(subjects.flatMap((s) => findManufacturerMentions(s).map((m) => m.name)));
  if (inSubject.size === 1) return [...inSubject][0]!;
  const known = mostMentioned(all);
  const relayed = RELAY_CUE.test(all);
  // A forward is read for its original sender only: the person forwarding, or a company that
  // relays another's notice, is not the maker.
  const senders = quoted.length ? quoted : from && !relayed ? [from] : [];
  for (const addr of senders) {
    const m = makerNamedByDomain(addr, all);
    if (m) return m;
  }
  if (!relayed) {
    const lead = subjects.map((s) => makerNamedBySubject(s, senders[0], all)).find((m) => m !== null);
    if (lead) return lead;
  }
  if (known) return known;
  const relayer = relayed && from ? ownerLabel(from) : null;
  const named = makerNamedInText(all, new Set(relayer ? [relayer] : []));
  if (named || !isEastAsian(all)) return named;
  return senders.map(makerOfDomainLabel).find((m) => m !== null) ?? null;
}

const EAST_ASIAN = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LETTER = /\p{L}/gu;

/** Whether most of a text's letters are Chinese, Japanese or Korean. */
function isEastAsian(text: string): boolean {
  const cjk = text.match(EAST_ASIAN)?.length ?? 0;
  return cjk > 0 && cjk / (text.match(LETTER)?.length ?? 1) > 0.3;
}
