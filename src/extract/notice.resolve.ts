/**
 * One candidate part into one notice: what its own row or record states wins; the rest comes from
 * the message — the nearest facts above it, the kind of its section when the message mixes kinds,
 * the maker of its digest heading — and the status follows from the kind and whether a buy window
 * is known.
 */
import { brandName } from "../parts/manufacturer.infer.ts";
import { findManufacturerMentions } from "../parts/manufacturers.ts";
import { foldMpn } from "../parts/mpn.normalize.ts";
import { type Candidate, LAYOUT_RANK, type StatedDate } from "./candidate.ts";
import { type Fact, factAt } from "./facts.ts";
import { canonicalMaker } from "./message.maker.ts";
import type { Heading } from "./message.read.ts";
import { confidenceOf, DEFAULT_REVIEW_THRESHOLD } from "./notice.confidence.ts";
import type { ScoredNotice } from "./notice.ts";
import type { PosSentence } from "./parts.prose.ts";
import { decideKind, kindOfLabel, type NoticeKind, statusOf } from "./signals.ts";

/** What the message as a whole says, for the parts that do not say it themselves. */
export interface MessageView {
  kind: NoticeKind | null;
  /** The kind undoes another notice (a cancellation or reactivation). */
  undoing: boolean;
  mixed: boolean;
  /** Kinds the message denies: no section asserts them. */
  denied?: ReadonlySet<NoticeKind>;
  /** Facts of the message's own notice (undone IDs removed). */
  facts: readonly Fact[];
  sentences: readonly PosSentence[];
  headings: readonly Heading[];
  maker: string | null;
  subjectId: string | null;
  proseId: string | null;
  /** How many parts were found in records (several records are self-contained: no message facts). */
  records: number;
  /** Confidence below which a notice needs review (default DEFAULT_REVIEW_THRESHOLD). */
  reviewThreshold?: number;
}

export type RankedNotice = ScoredNotice & { rank: number };

/** A numbered or lettered section heading: "1. PRODUCT CHANGE", "[2] Discontinuation", "B) EOL". */
const SECTION_HEADING = /^\s*(?:\d{1,2}[.)]|[A-Z][.)]|\[\d{1,2}\])\s+[^.!?]{3,70}$/;

/** How far above a part (in Doc positions) the sentences that set its kind may stand. */
const KIND_REACH = 12;

export function noticeResolver(m: MessageView): (c: Candidate) => RankedNotice | null {
  const localKinds = new Map<number, NoticeKind | null>();
  const severalHeadingMakers = new Set(m.headings.map((h) => h.name)).size > 1;

  /**
   * The kind the nearest sentence above `pos` asserts (a digest's section heading, a paragraph).
   * Words of change ("remain active", "site") are weaker than a lifecycle event and only decide
   * when no event is asserted nearby.
   */
  function localKind(pos: number): NoticeKind | null {
    const memo = localKinds.get(pos);
    if (memo !== undefined) return memo;
    let weak: NoticeKind | null = null;
    let found: NoticeKind | null = null;
    // A numbered section that names its kind ("1. PRODUCT CHANGE (parts remain active)", "2. END OF
    // LIFE") decides for the parts under it, whatever its paragraphs mention in passing.
    for (let i = m.sentences.length - 1; i >= 0; i--) {
      const s = m.sentences[i]!;
      if (s.pos > pos) continue;
      if (s.pos < pos - KIND_REACH) break;
      const heading = SECTION_HEADING.test(s.text) ? kindOfLabel(s.text) : null;
      if (heading) {
        localKinds.set(pos, heading);
        return heading;
      }
    }
    for (let i = m.sentences.length - 1; i >= 0 && !found; i--) {
      const s = m.sentences[i]!;
      if (s.pos > pos) continue;
      if (s.pos < pos - KIND_REACH) break;
      const k = decideKind(m.denied?.size ? [...s.kinds].filter((x) => !m.denied!.has(x)) : s.kinds);
      if (k === "change") weak ??= k;
      else if (k) found = k;
    }
    localKinds.set(pos, found ?? weak);
    return found ?? weak;
  }

  /** In a digest of several makers, the maker named by the nearest section heading above `pos`. */
  function headingMaker(pos: number): string | null {
    if (!severalHeadingMakers) return null;
    let found: string | null = null;
    for (const h of m.headings) if (h.pos <= pos) found = h.name;
    return found;
  }

  return (c) => {
    const own =
      c.kind ?? (m.undoing ? null : c.headerKind) ?? (m.mixed || m.undoing ? c.sentenceKind : null) ?? null;
    const sectionKind = own ? null : m.mixed && !m.undoing ? localKind(c.pos) : null;
    const k = own ?? sectionKind ?? m.kind;
    // A message that speaks of no lifecycle event makes no notice, not even for a BOM part it names.
    if (!k || (c.activeOnly && !m.kind)) return null;
    const selfContained = c.layout === "record" && m.records > 1;
    const dateOf = (stated: StatedDate | undefined, fk: "ltb" | "lts"): StatedDate => {
      if (stated) return stated;
      if (selfContained) return { iso: null, vague: null };
      const f = factAt(m.facts, fk, c.pos);
      return { iso: f?.value ?? null, vague: f?.vague ?? null };
    };
    const ltb = dateOf(c.ltb, "ltb");
    const lts = dateOf(c.lts, "lts");
    const { status, type } = statusOf(k, {
      hasDate: !!(ltb.iso || lts.iso),
      window: ltb.vague === "window" || lts.vague === "window",
    });
    const dated = status === "ltb" || status === "obsolete";
    const hinted = c.makerHint ? (findManufacturerMentions(c.makerHint)[0]?.name ?? null) : null;
    const labelled = selfContained ? null : canonicalMaker(factAt(m.facts, "maker", c.pos)?.value);
    const statedMaker =
      canonicalMaker(c.maker) ?? hinted ?? (c.maker?.trim() ? brandName(c.maker) : null) ?? labelled;
    const messageMaker =
      (selfContained ? null : headingMaker(c.pos)) ??
      (m.maker ? (canonicalMaker(m.maker) ?? brandName(m.maker)) : null);
    const makerName = statedMaker ?? messageMaker ?? c.bomMaker ?? null;
    const nearestId = selfContained ? null : (factAt(m.facts, "pcn", c.pos)?.value ?? null);
    // A record of a digest or relay states its own notice or none; the message's ID is the digest's.
    const pcn = c.pcn ?? nearestId ?? (selfContained ? null : (m.subjectId ?? m.proseId));
    const { confidence, reasons } = confidenceOf({
      layout: c.layout,
      strength: c.strength,
      kind: own ? "own" : sectionKind ? "section" : "message",
      maker: statedMaker ? "stated" : messageMaker ? "message" : makerName ? "bom" : null,
      pcn: c.pcn || nearestId ? "stated" : pcn ? "message" : null,
      ownDates: !!(c.ltb?.iso || c.lts?.iso),
      bom: c.bom ?? c.evidence?.match ?? null,
    });
    const replacement = c.replacement && foldMpn(c.replacement) !== foldMpn(c.mpn) ? c.replacement : null;
    return {
      manufacturer: makerName,
      mpn: c.mpn,
      lifecycle_status: status,
      notice_type: type,
      pcn_id: pcn,
      ltb_date: dated ? ltb.iso : null,
      last_ship_date: dated ? lts.iso : null,
      replacement_mpn: replacement,
      confidence,
      reasons,
      needs_review: confidence < (m.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD),
      matched_by: c.layout === "bom_scan" ? "bom_scan" : "rules",
      evidence: c.evidence ?? null,
      source: { part: c.part, layout: c.layout, line: c.line },
      rank: LAYOUT_RANK[c.layout],
    };
  };
}
