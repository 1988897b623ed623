/**
 * How sure the extractor is of one notice, and why. Each signal that agreed (or was missing) adds or
 * takes a fixed weight and names itself in `reasons`, so a reviewer sees what the number rests on.
 * The weights are ordered judgements, not fitted probabilities: a part under a part-number header
 * whose row states its own status and dates is surer than one read out of a sentence.
 */
import type { MpnMatch } from "../parts/mpn.automaton.ts";
import type { Layout } from "./candidate.ts";

export interface NoticeSignals {
  layout: Layout;
  /** 2: found under an unmistakable part-number header or label. */
  strength: number;
  /** Where its kind came from: its own row or heading, the message, the nearest section of a mixed message. */
  kind: "own" | "message" | "section";
  maker: "stated" | "message" | "bom" | null;
  pcn: "stated" | "message" | null;
  /** Dates stated beside the part itself. */
  ownDates: boolean;
  /** The part is a BOM part (how the message wrote it), when a BOM was given. */
  bom: MpnMatch | null;
}

const BASE: Record<Layout, number> = { table: 0.8, record: 0.78, list: 0.7, prose: 0.5, bom_scan: 0.4 };

/** Below this a notice needs a person's review (EXTRACT_REVIEW_THRESHOLD overrides it). */
export const DEFAULT_REVIEW_THRESHOLD = 0.6;

export function confidenceOf(s: NoticeSignals): { confidence: number; reasons: string[] } {
  const reasons: string[] = [`layout:${s.layout}`];
  let c = BASE[s.layout];
  const add = (weight: number, reason: string) => {
    c += weight;
    reasons.push(reason);
  };
  if (s.strength === 2) add(0.08, "part_number_header");
  if (s.kind === "own") add(0.06, "status_stated_beside_part");
  else if (s.kind === "section") add(-0.1, "status_from_nearest_section");
  else add(0.02, "status_from_message");
  if (s.maker === "stated") add(0.04, "maker_stated_beside_part");
  else if (s.maker === "message") add(0.02, "maker_from_message");
  else if (s.maker === "bom") add(0, "maker_from_bom");
  else add(-0.15, "maker_unknown");
  if (s.pcn === "stated") add(0.03, "notice_id_stated");
  else if (s.pcn === "message") add(0.02, "notice_id_from_message");
  else add(-0.05, "notice_id_missing");
  if (s.ownDates) add(0.03, "dates_stated_beside_part");
  if (s.bom === "exact" || s.bom === "suffix") add(0.1, `bom_part_${s.bom}`);
  else if (s.bom === "loose") add(0.05, "bom_part_loose");
  return { confidence: Math.round(Math.min(0.99, Math.max(0.05, c)) * 100) / 100, reasons };
}
