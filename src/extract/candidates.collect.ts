/**
 * The parts a message names: every candidate from parts tables, records and lists (prose only when
 * none of these names a part), less what is known to be something else — the notice's own IDs, a
 * bare family name beside its orderable parts, parts said not to be affected, replacements.
 */
import { foldMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import type { Fact } from "./facts.ts";
import type { MessageText } from "./message.read.ts";
import { readCards } from "./parts.cards.ts";
import { readFamilyLists } from "./parts.family.ts";
import { readInlineLists, readLists, readRecords } from "./parts.lists.ts";
import { notAffected, type PosSentence, readProse } from "./parts.prose.ts";
import { readPartsTable } from "./parts.table.ts";
import { pairReplacementColumns } from "./replacements.column.ts";
import { pairProseReplacements } from "./replacements.prose.ts";
import { decideKind } from "./signals.ts";

/** How far above a table (in Doc positions) its intro sentence may start. */
const INTRO_REACH = 6;

/** The sentence that introduces what stands at `pos`: the last one above it, ending with a colon. */
function introSentence(msg: MessageText, pos: number): PosSentence | null {
  let last: PosSentence | null = null;
  for (const s of msg.sentences) if (s.pos < pos) last = s;
  return last && last.pos >= pos - INTRO_REACH && /:\s*$/.test(last.text) ? last : null;
}

/**
 * A table split in two ("Table 1 gives the devices; Table 2 the dates and the replacements"): the
 * same part in a later table completes what the first one left unstated, and is not a second part.
 */
function mergeSplitTables(candidates: readonly Candidate[]): Candidate[] {
  const first = new Map<string, Candidate>();
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (c.layout !== "table") {
      out.push(c);
      continue;
    }
    const k = foldMpn(c.mpn);
    const prev = first.get(k);
    if (!prev || prev.pos === c.pos) {
      if (!prev) first.set(k, c);
      out.push(c);
      continue;
    }
    prev.replacement ??= c.replacement;
    prev.ltb ??= c.ltb;
    prev.lts ??= c.lts;
    prev.kind ??= c.kind;
    prev.maker ??= c.maker;
    prev.pcn ??= c.pcn;
  }
  return out;
}

/** Folded notice IDs the message states (labels, titles, a table's notice column). */
function noticeIdKeys(facts: readonly Fact[], candidates: readonly Candidate[]): Set<string> {
  return new Set(
    [...facts.filter((f) => f.kind === "pcn").map((f) => f.value), ...candidates.map((c) => c.pcn)]
      .filter((v): v is string => !!v)
      .map(foldMpn),
  );
}

export interface Collected {
  candidates: Candidate[];
  /** Folded tokens known to be something other than an affected part: notice IDs, replacements, parts not affected. */
  notParts: Set<string>;
}

export function collectCandidates(msg: MessageText): Collected {
  let candidates: Candidate[] = [];
  msg.flat.forEach((f, pos) => {
    if (f.kind !== "parts") return;
    const rows = readPartsTable(f.rows, f.table, { pos, part: f.part, line: f.line });
    // "The discontinuance of the UVZ series items remains in effect:" over a table gives its rows a kind.
    const intro = introSentence(msg, pos);
    const introKind = intro ? decideKind(intro.kinds) : null;
    if (introKind) for (const c of rows) c.kind ??= introKind;
    candidates.push(...rows);
  });
  for (const run of msg.runs)
    candidates.push(...readCards(run), ...readRecords(run), ...readLists(run), ...readInlineLists(run));
  const families = readFamilyLists(msg.sentences);
  candidates = candidates.filter((c) => !families.pieces.has(foldMpn(c.mpn)));
  candidates.push(...families.candidates);
  const pcnIds = noticeIdKeys(msg.facts, candidates);
  if (candidates.length === 0) candidates = readProse(msg.sentences, pcnIds);
  const excluded = notAffected(msg.sentences);
  const replacements = new Set(
    candidates.filter((c) => c.layout === "table" && c.replacement).map((c) => foldMpn(c.replacement!)),
  );
  const structured = candidates
    .filter((c) => c.layout === "table" || c.layout === "record")
    .map((c) => foldMpn(c.mpn));
  pairReplacementColumns(candidates, msg.replacementColumns);
  const kept = mergeSplitTables(candidates).filter((c) => {
    const k = foldMpn(c.mpn);
    if (pcnIds.has(k) || families.pieces.has(k)) return false;
    if (c.layout === "table" || c.layout === "record") return true;
    // A bare family or type name ("AD8606" beside "AD8606ARZ") is not an orderable part.
    if (structured.some((s) => s !== k && s.startsWith(k))) return false;
    // A replacement in one section may be an affected part of another that states its own kind
    // ("(A) Part numbers affected by the change (remain active)").
    return !excluded.has(k) && (!replacements.has(k) || (c.layout === "list" && c.kind != null));
  });
  const paired = pairProseReplacements(kept, msg.sentences);
  const notParts = new Set([...pcnIds, ...excluded, ...replacements, ...paired]);
  for (const c of kept) if (c.replacement) notParts.add(foldMpn(c.replacement));
  return { candidates: kept.filter((c) => !paired.has(foldMpn(c.mpn))), notParts };
}
