/**
 * The notice ID a message gives its parts when no row, record or label near them states one: the
 * subject's ID, else one a sentence names beside "PDN", "PCN" or "notice". A cancellation or reactivation names
 * the notice it undoes; that ID is never its own.
 */
import { foldMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import { type Fact, leadingNoticeId, noticeIdsInText } from "./facts.ts";
import type { PosSentence } from "./parts.prose.ts";

/** Sentences that name a notice by its ID ("… our discontinuance notice HSPN-2026-117 of 15 June"). */
const PROSE_ID_WORD =
  /\b(?:PDN|PCN|notice|notification|bulletin|reference|Mitteilung|Abkündigung|avis|avviso|comunicazione|riferimento|aviso|comunicado|referencia|refer[êe]ncia|referenz|kennisgeving|powiadomienie|ozn[áa]men[íi]|bildirim\w*)\b|番号|编号|編號|번호/i;

export interface OwnIds {
  /** The message's facts less the undone IDs. */
  facts: Fact[];
  /** The ID the subjects name, else the one that opens a subject ("XCN26012 - …"). */
  subjectId: string | null;
  /** The first ID a sentence names beside PDN, PCN or a notice word. */
  proseId: string | null;
}

export function ownIds(
  facts: readonly Fact[],
  subjects: readonly string[],
  sentences: readonly PosSentence[],
  candidates: readonly Candidate[],
  undone: ReadonlySet<string>,
): OwnIds {
  const own = (id: string | null | undefined): id is string => !!id && !undone.has(foldMpn(id));
  const isPart = (id: string) => candidates.some((c) => foldMpn(c.mpn) === foldMpn(id));
  // "EOL notification: SIM800C and SIM800L" names parts after the notice word, not an ID.
  const subjectId =
    subjects.flatMap((t) => noticeIdsInText(t).map((m) => m.id)).find((id) => own(id) && !isPart(id)) ??
    subjects
      .map(leadingNoticeId)
      .find((id) => own(id) && !candidates.some((c) => foldMpn(c.mpn) === foldMpn(id))) ??
    null;
  const proseId =
    sentences
      .flatMap((s) => (PROSE_ID_WORD.test(s.text) ? noticeIdsInText(s.text).map((m) => m.id) : []))
      .find(own) ?? null;
  return {
    facts: undone.size ? facts.filter((f) => f.kind !== "pcn" || own(f.value)) : [...facts],
    subjectId,
    proseId,
  };
}
