/**
 * A part found somewhere in a message, with whatever its own row, item or record says about it.
 * Fields left undefined were not stated there; the message-level facts fill them later.
 */
import type { MpnMatch } from "../parts/mpn.automaton.ts";
import type { VagueDate } from "./dates.ts";
import type { NoticeEvidence } from "./notice.ts";
import type { NoticeKind } from "./signals.ts";

export type Layout = "table" | "record" | "list" | "prose" | "bom_scan";

export interface StatedDate {
  iso: string | null;
  vague: VagueDate | null;
}

export interface Candidate {
  mpn: string;
  /** Position of the block in the Doc (for message-level facts that apply to it). */
  pos: number;
  part: string;
  layout: Layout;
  line: number | null;
  replacement?: string | null;
  ltb?: StatedDate;
  lts?: StatedDate;
  /** The kind its own row or record states ("Obsolete", "EOL", a heading "… – Last Time Buy"). */
  kind?: NoticeKind | null;
  /**
   * Its row says only that it is active or in production: a lifecycle event only when the message
   * as a whole announces one (a quote or price list shows the same column).
   */
  activeOnly?: boolean;
  /**
   * The kind the sentence that names it asserts (prose): its own kind when the message mixes kinds
   * ("1) The discontinuance of A is cancelled. 2) The discontinuance of B stands").
   */
  sentenceKind?: NoticeKind | null;
  /** The kind the header of its part column names ("Discontinued product", "NRND product"). */
  headerKind?: NoticeKind | null;
  /** A maker name as its row or record writes it ("STMicro", "Microchip Technology"). */
  maker?: string | null;
  /** Text that may name its maker among other words (a record heading "1) Texas Instruments – LTB"). */
  makerHint?: string;
  pcn?: string | null;
  /** 2 when found under an unmistakable part-number header or label. */
  strength: number;
  /** Found by the BOM scan: the text that names it, and the BOM row's maker. */
  evidence?: NoticeEvidence;
  bomMaker?: string | null;
  /** The part is a BOM part, written this way (set for rule candidates too when a BOM is given). */
  bom?: MpnMatch | null;
}

/** Layouts in order of trust: when one part is found twice, the more trusted finding wins. */
export const LAYOUT_RANK: Record<Layout, number> = { table: 0, record: 1, list: 2, prose: 3, bom_scan: 4 };

const NO_REPLACEMENT =
  /^(?:none|nil|n\/?a|tbd|tba|-+|—|–|\*|no\b.*|not (?:provided|available|applicable|offered).*|contact .*|obsolete|discontinued|eol|kein\w*\b.*|aucun\w*\b.*|pas de .*|nessun\w*\b.*|sin\s.*|ning[úu]n\w*\b.*|nenhum\w*\b.*|geen(?:\s.*)?|brak\b.*|ingen\b.*|.*\byoktur\b.*|bez (?:zamiennika|n[áa]hrady).*|无.*|無.*|.*なし|없음|해당\s*없음)$/i;

/**
 * The replacement a cell or value names: null for "None", "-", "N/A", "No direct replacement",
 * "Not provided by manufacturer", an empty cell or words without a part number in them.
 */
export function replacementOf(value: string, mpnsIn: (text: string) => string[]): string | null {
  const v = value.trim();
  if (!v || NO_REPLACEMENT.test(v)) return null;
  return mpnsIn(v)[0] ?? null;
}
