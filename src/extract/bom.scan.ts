/**
 * The BOM scan of a message (issue 19): every BOM part (or alternate) the message names anywhere —
 * lines, parts tables, attachments, the subject — found by the BOM's MPN automaton
 * (src/parts/mpn.automaton.ts), each with where it stands and an excerpt for the person who checks
 * it. A BOM part the rules did not report becomes a candidate of layout `bom_scan`.
 */
import { MpnAutomaton as Automaton, type MpnAutomaton, type MpnHit } from "../parts/mpn.automaton.ts";
import { foldMpn, normalizeMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import type { MessageText } from "./message.read.ts";
import type { NoticeEvidence } from "./notice.ts";

/** One BOM row the scan looks for: a part of the graph or an alternate of one. */
export interface BomRef {
  mpn: string;
  manufacturer: string | null;
  role: "part" | "alternate";
}

export type BomScanner = MpnAutomaton<BomRef>;

export function buildBomScanner(refs: Iterable<BomRef>): BomScanner {
  return Automaton.build([...refs].map((r) => ({ mpn: r.mpn, data: r })));
}

export interface BomMention {
  ref: BomRef;
  hit: MpnHit<BomRef>;
  /** Doc position (MessageText.flat index; −1 for the subject), part and line of the message. */
  pos: number;
  part: string;
  line: number | null;
  evidence: NoticeEvidence;
}

interface Segment {
  start: number;
  pos: number;
  part: string;
  line: number | null;
}

/** Characters of context on each side of a part in its excerpt. */
const CONTEXT = 60;

/** The message as one text, each stretch remembering where in the message it came from. */
function scanText(msg: MessageText, subjects: readonly string[]): { text: string; segments: Segment[] } {
  const pieces: string[] = [];
  const segments: Segment[] = [];
  let at = 0;
  const push = (text: string, seg: Omit<Segment, "start">, sep: string) => {
    segments.push({ ...seg, start: at });
    pieces.push(text, sep);
    at += text.length + sep.length;
  };
  for (const s of subjects) push(s, { pos: -1, part: "subject", line: null }, "\n\n");
  msg.flat.forEach((f, pos) => {
    if (f.kind === "line") push(f.text, { pos, part: f.part, line: f.line }, "\n");
    // A cell border is a hard break: a part never runs from one cell into the next.
    else
      for (const [r, row] of f.rows.entries())
        push(`| ${row.join(" | ")} |`, { pos, part: f.part, line: f.line + r }, "\n");
  });
  return { text: pieces.join(""), segments };
}

function segmentAt(segments: readonly Segment[], offset: number): Segment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo]!;
}

function evidenceOf(text: string, hit: MpnHit<BomRef>): NoticeEvidence {
  const before = text.slice(Math.max(0, hit.start - CONTEXT), hit.start).replace(/\s+/g, " ");
  const part = hit.written.replace(/\s+/g, " ");
  const after = text.slice(hit.end, hit.end + CONTEXT).replace(/\s+/g, " ");
  const lead = before.trimStart();
  return {
    bom_mpn: hit.entry.data.mpn,
    match: hit.match,
    written: hit.written,
    excerpt: `${lead}${part}${after.trimEnd()}`,
    start: lead.length,
    end: lead.length + part.length,
  };
}

/** Every BOM part the message names, in message order. */
export function scanMessage(
  scanner: BomScanner,
  msg: MessageText,
  subjects: readonly string[],
): BomMention[] {
  const { text, segments } = scanText(msg, subjects);
  return scanner.scan(text).map((hit) => {
    const seg = segmentAt(segments, hit.start);
    return {
      ref: hit.entry.data,
      hit,
      pos: Math.max(0, seg.pos),
      part: seg.part,
      line: seg.line,
      evidence: evidenceOf(text, hit),
    };
  });
}

/**
 * Candidates for the BOM parts the rules did not report, once each (its first mention). `reported`
 * holds the match keys the rules reported; `notParts` the folded tokens the rules know to be
 * something else (replacements, parts said not to be affected, notice IDs).
 */
export function bomCandidates(
  mentions: readonly BomMention[],
  reported: ReadonlySet<string>,
  notParts: ReadonlySet<string>,
): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const m of mentions) {
    const written = foldMpn(m.hit.written.replace(/-\s*\n\s*/g, ""));
    const key = normalizeMpn(m.ref.mpn);
    if (reported.has(key) || seen.has(key) || notParts.has(written) || notParts.has(foldMpn(m.ref.mpn)))
      continue;
    seen.add(key);
    out.push({
      mpn: m.hit.match === "loose" ? m.ref.mpn : written,
      pos: m.pos,
      part: m.part,
      layout: "bom_scan",
      line: m.line,
      strength: 0,
      evidence: m.evidence,
      bomMaker: m.ref.manufacturer,
    });
  }
  return out;
}

/** How each reported part is written in the BOM scan (for the confidence of rule notices). */
export function bomMatchOf(mentions: readonly BomMention[]): Map<string, BomMention> {
  const out = new Map<string, BomMention>();
  for (const m of mentions) {
    const k = normalizeMpn(m.hit.written);
    if (!out.has(k)) out.set(k, m);
  }
  return out;
}
