/**
 * Notice extraction without a language model (issue 5). Pure: no I/O, the clock is an argument.
 *
 * A message is read into a Doc (text.doc.ts, html.doc.ts), then:
 * 1. parts come from tables, records and lists (prose only when none of these names a part);
 * 2. message facts (notice ID, LTB and last-ship dates, maker) come from "label: value" lines,
 *    then from sentences, the subject and the sender; a part takes the facts nearest above it;
 * 3. what its own row or record says about a part wins over the message facts;
 * 4. the status follows from the notice's words (signals.ts) and whether a buy window is known.
 */
import {
  canonicalManufacturer,
  findManufacturerMentions,
  manufacturerFromDomain,
} from "../parts/manufacturers.ts";
import { type Candidate, LAYOUT_RANK, type StatedDate } from "./candidate.ts";
import type { Doc } from "./document.ts";
import {
  type Fact,
  factAt,
  factsOfLabel,
  leadingNoticeId,
  noticeIdsInText,
  proseDateFacts,
  titleNoticeId,
} from "./facts.ts";
import type { ExtractionResult, ScoredNotice } from "./notice.ts";
import { type PosLine, posLine, readInlineLists, readLists, readRecords } from "./parts.lists.ts";
import { notAffected, type PosSentence, readProse } from "./parts.prose.ts";
import { findPartsTable, type PartsTable, readPartsTable, tableAsLines } from "./parts.table.ts";
import {
  decideKind,
  kindCounts,
  kindsInSentence,
  type NoticeKind,
  PATTERNS as PATTERNS_UNDO,
  sentencesOf,
  statusOf,
} from "./signals.ts";
import { textToDoc } from "./text.doc.ts";

export interface ExtractContext {
  /** Receipt time of the message; relative dates are never turned into days, but callers pass it for provenance. */
  now: Date;
  subject?: string;
  from?: string | null;
}

const NOT_A_NOTICE: ExtractionResult = { is_lifecycle_notice: false, notices: [] };

const AUTO_REPLY_SUBJECT =
  /^\s*(?:auto(?:matic)?[- ]?(?:reply|response|antwort)|automatische antwort|abwesenheitsnotiz|out of (?:the )?office|ooo\b|réponse automatique|respuesta automática|risposta automatica|absence)/i;
const AUTO_REPLY_BODY =
  /\b(?:out of (?:the )?office|i am (?:currently )?(?:away|out|on leave|on vacation)|nicht im büro|limited access to (?:my )?e-?mail)\b/i;

/** A numbered or lettered section heading of a digest ("2) Bourns – End of Life", "B. Toshiba"). */
const HEADING = /^\s*(?:\d{1,2}[.)]|[A-Z][.)]|#{1,3}|\[\d{1,2}\])\s+\S.{0,78}$/;

type Flat =
  | { kind: "line"; text: string; part: string; line: number }
  | { kind: "parts"; rows: string[][]; table: PartsTable; part: string; line: number };

/** Parts tables stay tables; every other table becomes "label: value" lines. */
function flatten(doc: Doc): Flat[] {
  const out: Flat[] = [];
  for (const b of doc.blocks) {
    if (b.kind === "line") {
      out.push(b);
      continue;
    }
    const table = findPartsTable(b.rows);
    if (table) out.push({ kind: "parts", rows: b.rows, table, part: b.part, line: b.line });
    else {
      for (const text of tableAsLines(b.rows)) out.push({ kind: "line", text, part: b.part, line: b.line });
      out.push({ kind: "line", text: "", part: b.part, line: b.line });
    }
  }
  return out;
}

/** Runs of lines between parts tables, each line with its position. */
function lineRuns(flat: readonly Flat[]): PosLine[][] {
  const runs: PosLine[][] = [[]];
  flat.forEach((f, pos) => {
    if (f.kind === "parts") runs.push([]);
    else runs[runs.length - 1]!.push(posLine(f.text, pos, f.part, f.line));
  });
  return runs.filter((r) => r.length > 0);
}

function sentencesOfRuns(runs: readonly PosLine[][]): PosSentence[] {
  const out: PosSentence[] = [];
  for (const run of runs) {
    let para: PosLine[] = [];
    const flush = () => {
      if (para.length === 0) return;
      const first = para[0]!;
      for (const text of sentencesOf(para.map((l) => l.text)))
        out.push({ text, pos: first.pos, part: first.part, line: first.line, kinds: kindsInSentence(text) });
      para = [];
    };
    for (const l of run) {
      if (!l.text.trim()) flush();
      else para.push(l);
    }
    flush();
  }
  return out;
}

function canonicalMaker(text: string | null | undefined): string | null {
  if (!text?.trim()) return null;
  return canonicalManufacturer(text) ?? findManufacturerMentions(text)[0]?.name ?? null;
}

/** The maker of the notice as a whole: the forwarded sender, the sender, else the maker named most. */
function noticeMaker(doc: Doc, from: string | null | undefined, texts: readonly string[]): string | null {
  for (const addr of [...doc.quotedSenders].reverse()) {
    const m = manufacturerFromDomain(addr);
    if (m) return m;
  }
  const own = from ? manufacturerFromDomain(from) : null;
  if (own) return own;
  const counts = new Map<string, number>();
  for (const m of findManufacturerMentions(texts.join("\n")))
    counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  let best: string | null = null;
  for (const [name, n] of counts) if (best === null || n > counts.get(best)!) best = name;
  return best;
}

/** The kind of the notice as a whole: the subject names it, unless the body cancels, reactivates or obsoletes. */
function noticeKind(subjects: readonly string[], body: Map<NoticeKind, number>): NoticeKind | null {
  for (const k of ["cancellation", "reactivation"] as const) if (body.has(k)) return k;
  const fromSubject = decideKind(subjects.flatMap((s) => [...kindsInSentence(s)]));
  if (fromSubject === "discontinuance" && body.has("obsolete")) return "obsolete";
  return fromSubject ?? decideKind(body.keys());
}

const FAMILIES: Record<NoticeKind, string> = {
  cancellation: "a",
  reactivation: "a",
  obsolete: "d",
  discontinuance: "d",
  nrnd: "n",
  change: "c",
};

function isMixed(kinds: Iterable<NoticeKind>): boolean {
  return new Set([...kinds].map((k) => FAMILIES[k])).size > 1;
}

const UNDO = new RegExp(
  `${PATTERNS_UNDO.cancellation.source}|${PATTERNS_UNDO.reactivation.source}|\\b(?:cancels|supersedes|replaces)\\b`,
  "gi",
);

/** "Cancellation Notice #…", "Reactivation Notice RN-…": the title of the notice itself. */
const OWN_TITLE = /^\s*(?:notice|notification)\s*(?:no\.?|nr\.?|#)?\s*$/i;

/**
 * IDs named after a word of cancelling or reactivating ("retracts End-of-Life notice EOL-2026-02",
 * "cancels PDN #20251104003"), unless that word titles the notice itself ("Reactivation Notice RN-26-003").
 */
function undoneIds(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    const verbs = [...t.matchAll(UNDO)];
    if (verbs.length === 0) continue;
    for (const m of noticeIdsInText(t)) {
      const verb = verbs.filter((v) => v.index + v[0].length <= m.index).pop();
      if (verb && !OWN_TITLE.test(t.slice(verb.index + verb[0].length, m.index))) out.add(normKey(m.id));
    }
  }
  return out;
}

function normKey(mpn: string): string {
  return mpn.toUpperCase().replace(/\s+/g, "");
}

export function extractFromDoc(doc: Doc, ctx: ExtractContext): ExtractionResult {
  const subject = ctx.subject ?? "";
  const flat = flatten(doc);
  const runs = lineRuns(flat);
  const head = runs
    .flat()
    .slice(0, 40)
    .map((l) => l.text)
    .join(" ");
  if (
    AUTO_REPLY_SUBJECT.test(subject) ||
    (AUTO_REPLY_BODY.test(head) && !flat.some((f) => f.kind === "parts"))
  )
    return NOT_A_NOTICE;

  const facts: Fact[] = [];
  const headings: { pos: number; name: string }[] = [];
  const lines = runs.flat();
  for (const l of lines) {
    const kv = l.kv;
    const title = kv || l.text.length > 100 ? null : titleNoticeId(l.text);
    if (kv) facts.push(...factsOfLabel(kv.label, kv.value, l.pos));
    else if (title) {
      facts.push({ kind: "pcn", value: title, vague: null, pos: l.pos, rank: "label" });
    } else if (HEADING.test(l.text)) {
      const names = new Set(findManufacturerMentions(l.text).map((m) => m.name));
      if (names.size === 1) headings.push({ pos: l.pos, name: [...names][0]! });
    }
  }
  const sentences = sentencesOfRuns(runs);
  for (const s of sentences) facts.push(...proseDateFacts(s.text, s.pos));
  const bodyKinds = kindCounts(sentences.map((s) => s.kinds));
  const subjects = [subject, ...doc.quotedSubjects].filter(Boolean);
  const kind = noticeKind(subjects, bodyKinds);
  const mixed = isMixed(bodyKinds.keys());

  let candidates: Candidate[] = [];
  flat.forEach((f, pos) => {
    if (f.kind === "parts")
      candidates.push(...readPartsTable(f.rows, f.table, { pos, part: f.part, line: f.line }));
  });
  for (const run of runs) candidates.push(...readRecords(run), ...readLists(run), ...readInlineLists(run));
  const pcnIds = new Set(
    [...facts.filter((f) => f.kind === "pcn").map((f) => f.value), ...candidates.map((c) => c.pcn)]
      .filter((v): v is string => !!v)
      .map(normKey),
  );
  if (candidates.length === 0) candidates = readProse(sentences, pcnIds);
  const excluded = notAffected(sentences);
  const replacements = new Set(
    candidates.filter((c) => c.layout === "table" && c.replacement).map((c) => normKey(c.replacement!)),
  );
  const structured = candidates
    .filter((c) => c.layout === "table" || c.layout === "record")
    .map((c) => normKey(c.mpn));
  candidates = candidates.filter((c) => {
    const k = normKey(c.mpn);
    if (pcnIds.has(k)) return false;
    if (c.layout === "table" || c.layout === "record") return true;
    // A bare family or type name ("AD8606" beside "AD8606ARZ") is not an orderable part.
    if (structured.some((s) => s !== k && s.startsWith(k))) return false;
    return !excluded.has(k) && !replacements.has(k);
  });

  const maker = noticeMaker(doc, ctx.from, [subject, ...lines.map((l) => l.text)]);
  // A cancellation or reactivation names the notice it undoes; that ID is not its own.
  const undone =
    kind === "cancellation" || kind === "reactivation"
      ? undoneIds([...subjects, ...sentences.map((s) => s.text)])
      : new Set<string>();
  const own = (id: string | null | undefined): id is string => !!id && !undone.has(normKey(id));
  const ownFacts = undone.size ? facts.filter((f) => f.kind !== "pcn" || own(f.value)) : facts;
  const subjectId =
    subjects.flatMap((t) => noticeIdsInText(t).map((m) => m.id)).find(own) ??
    subjects
      .map(leadingNoticeId)
      .find((id) => own(id) && !candidates.some((c) => normKey(c.mpn) === normKey(id))) ??
    null;
  const proseId =
    sentences
      .flatMap((s) => (/\b(?:PDN|PCN)\b/.test(s.text) ? noticeIdsInText(s.text).map((m) => m.id) : []))
      .find(own) ?? null;
  const records = candidates.filter((c) => c.layout === "record").length;
  const localKinds = new Map<number, NoticeKind | null>();
  const severalHeadingMakers = new Set(headings.map((h) => h.name)).size > 1;

  const best = new Map<string, ScoredNotice & { rank: number }>();
  for (const c of candidates) {
    const notice = resolve(c);
    if (!notice) continue;
    const key = normKey(c.mpn);
    const prev = best.get(key);
    if (!prev || notice.rank < prev.rank) best.set(key, notice);
  }
  const notices = [...best.values()].map(({ rank: _rank, ...n }) => n);
  return { is_lifecycle_notice: notices.length > 0, notices };

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
    for (let i = sentences.length - 1; i >= 0 && !found; i--) {
      const s = sentences[i]!;
      if (s.pos > pos) continue;
      if (s.pos < pos - 12) break;
      const k = decideKind(s.kinds);
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
    for (const h of headings) if (h.pos <= pos) found = h.name;
    return found;
  }

  function resolve(c: Candidate): (ScoredNotice & { rank: number }) | null {
    const cancelled = kind === "cancellation" || kind === "reactivation";
    const own = c.kind ?? (cancelled ? null : c.headerKind) ?? null;
    const k = own ?? (mixed && !cancelled ? (localKind(c.pos) ?? kind) : kind);
    if (!k || (c.activeOnly && !kind)) return null;
    const selfContained = c.layout === "record" && records > 1;
    const dateOf = (stated: StatedDate | undefined, fk: "ltb" | "lts"): StatedDate => {
      if (stated) return stated;
      if (selfContained) return { iso: null, vague: null };
      const f = factAt(ownFacts, fk, c.pos);
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
    const labelled = selfContained ? null : canonicalMaker(factAt(ownFacts, "maker", c.pos)?.value);
    const makerName =
      canonicalMaker(c.maker) ??
      hinted ??
      (c.maker?.trim() || null) ??
      labelled ??
      (selfContained ? null : headingMaker(c.pos)) ??
      maker;
    const nearestId = selfContained ? null : (factAt(ownFacts, "pcn", c.pos)?.value ?? null);
    const pcn = c.pcn ?? nearestId ?? subjectId ?? proseId;
    let confidence = { table: 0.92, record: 0.88, list: 0.8, prose: 0.55 }[c.layout];
    if (c.strength === 2) confidence += 0.04;
    if (!makerName) confidence -= 0.15;
    if (!own && mixed) confidence -= 0.1;
    if (!pcn) confidence -= 0.05;
    const replacement = c.replacement && normKey(c.replacement) !== normKey(c.mpn) ? c.replacement : null;
    return {
      manufacturer: makerName,
      mpn: c.mpn,
      lifecycle_status: status,
      notice_type: type,
      pcn_id: pcn,
      ltb_date: dated ? ltb.iso : null,
      last_ship_date: dated ? lts.iso : null,
      replacement_mpn: replacement,
      confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
      source: { part: c.part, layout: c.layout, line: c.line },
      rank: LAYOUT_RANK[c.layout],
    };
  }
}

/** Extraction from a plain text (a pasted notice, an email-forward body, a PDF's text). */
export function extractFromText(
  text: string,
  ctx: { now: Date; subject?: string; from?: string | null },
): ExtractionResult {
  return extractFromDoc(textToDoc(text), ctx);
}
