/**
 * Notice extraction without a language model (issue 5). Pure: no I/O, the clock is an argument.
 *
 * A message is read into a Doc (text.doc.ts, html.doc.ts), then (message.read.ts):
 * 1. parts come from tables, records and lists, prose only when none of these names a part
 *    (candidates.collect.ts);
 * 2. message facts (notice ID, LTB and last-ship dates, maker) come from "label: value" lines,
 *    then from sentences, the subject and the sender; a part takes the facts nearest above it;
 * 3. what its own row or record says about a part wins over the message facts (notice.resolve.ts);
 * 4. the status follows from the notice's words (signals.ts) and whether a buy window is known.
 */
import { foldMpn, normalizeMpn } from "../parts/mpn.normalize.ts";
import { isAutoReply } from "./auto-reply.ts";
import { type BomScanner, bomCandidates, bomMatchOf, scanMessage } from "./bom.scan.ts";
import { collectCandidates } from "./candidates.collect.ts";
import { compatibilityText, type Doc, normalizeDoc } from "./document.ts";
import { noticeIdInText } from "./facts.ts";
import { isAdvisory, isInvitation, isSurveyOrPriceLetter } from "./invitation.ts";
import { ownIds } from "./message.ids.ts";
import { isMixed, noticeKind, undoes, undoneIds } from "./message.kind.ts";
import { noticeMaker } from "./message.maker.ts";
import { readMessage } from "./message.read.ts";
import { noticeResolver, type RankedNotice } from "./notice.resolve.ts";
import type { ExtractionResult } from "./notice.ts";
import { kindCounts, kindsDeniedInSentence, type NoticeKind } from "./signals.ts";
import { textToDoc } from "./text.doc.ts";

export interface ExtractContext {
  /** Receipt time of the message (relative and two-digit-year dates are read against it). */
  now: Date;
  subject?: string;
  from?: string | null;
  /** The BOM's MPN automaton: every BOM part the message names is reported, by the rules or the scan. */
  bom?: BomScanner | null;
  /** Confidence below which a notice needs review (EXTRACT_REVIEW_THRESHOLD). */
  reviewThreshold?: number;
}

const NOT_A_NOTICE: ExtractionResult = { is_lifecycle_notice: false, notices: [] };

/** Lines of the message's opening that an auto-reply's wording is looked for in. */
const HEAD_LINES = 40;

export function extractFromDoc(written: Doc, ctx: ExtractContext): ExtractionResult {
  const doc = normalizeDoc(written);
  const subject = compatibilityText(ctx.subject ?? "");
  const msg = readMessage(doc);
  const head = msg.lines
    .slice(0, HEAD_LINES)
    .map((l) => l.text)
    .join(" ");
  const text = msg.lines.map((l) => l.text).join(" ");
  const hasPartsTable = msg.flat.some((f) => f.kind === "parts");
  if (
    isAutoReply(subject, head, hasPartsTable) ||
    isInvitation(subject, hasPartsTable, !!noticeIdInText(subject), text)
  )
    return NOT_A_NOTICE;

  const bodyKinds = kindCounts(msg.sentences.map((s) => s.kinds));
  const asserts = ["discontinuance", "obsolete", "nrnd"].some((k) => bodyKinds.has(k as NoticeKind));
  if (isSurveyOrPriceLetter(subject, hasPartsTable, !!noticeIdInText(subject), asserts)) return NOT_A_NOTICE;
  const subjects = [subject, ...doc.quotedSubjects].filter(Boolean);
  const denied = new Set(msg.sentences.flatMap((s) => [...kindsDeniedInSentence(s.text)]));
  if (isAdvisory(subject, text, denied.has("discontinuance"))) return NOT_A_NOTICE;
  const endDates = msg.facts.some((f) => (f.kind === "ltb" || f.kind === "lts") && f.value);
  const kind = noticeKind(subjects, bodyKinds, { denied, endDates });
  // A message that is no discontinuance and denies one ("NO products are discontinued by this
  // notice") has no section that is one either: its "discontinuation of final test" is a change.
  if (denied.has("discontinuance") && kind !== "discontinuance" && kind !== "obsolete")
    bodyKinds.delete("discontinuance");
  else denied.clear();
  const { candidates, notParts } = collectCandidates(msg);
  // "We confirm that none of these parts is scheduled for end of life" over a table whose every row
  // says Active answers a status request; it announces nothing.
  if (denied.has("discontinuance") && candidates.length > 0 && candidates.every((c) => c.activeOnly))
    return NOT_A_NOTICE;
  const undone = undoes(kind)
    ? undoneIds([...subjects, ...msg.sentences.map((s) => s.text)])
    : new Set<string>();
  const ids = ownIds(msg.facts, subjects, msg.sentences, candidates, undone);
  const resolve = noticeResolver({
    kind,
    undoing: undoes(kind),
    mixed: isMixed(bodyKinds.keys()),
    denied,
    facts: ids.facts,
    sentences: msg.sentences,
    headings: msg.headings,
    maker: noticeMaker(
      doc,
      ctx.from,
      subjects,
      msg.lines.map((l) => l.text),
    ),
    subjectId: ids.subjectId,
    proseId: ids.proseId,
    records: candidates.filter((c) => c.layout === "record").length,
    reviewThreshold: ctx.reviewThreshold,
  });

  const mentions = ctx.bom ? scanMessage(ctx.bom, msg, subjects) : [];
  const onBom = bomMatchOf(mentions);
  for (const c of candidates) c.bom = onBom.get(normalizeMpn(c.mpn))?.hit.match ?? null;

  // One notice per part: when a part is found twice, the more trusted layout wins.
  const best = new Map<string, RankedNotice>();
  const keep = (notice: RankedNotice | null, key: string) => {
    if (!notice) return;
    const prev = best.get(key);
    if (!prev || notice.rank < prev.rank) best.set(key, notice);
  };
  for (const c of candidates) keep(resolve(c), foldMpn(c.mpn));
  const reported = new Set([...best.values()].map((n) => normalizeMpn(n.mpn)));
  for (const c of bomCandidates(mentions, reported, notParts)) keep(resolve(c), foldMpn(c.mpn));
  const notices = [...best.values()].map(({ rank: _rank, ...n }) => n);
  return { is_lifecycle_notice: notices.length > 0, notices };
}

/** Extraction from a plain text (a pasted notice, an email-forward body, a PDF's text). */
export function extractFromText(text: string, ctx: ExtractContext): ExtractionResult {
  return extractFromDoc(textToDoc(text), ctx);
}
