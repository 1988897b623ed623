/**
 * Parts in cards, as lifecycle platforms lay out their alerts (Octopart, Q-Star, SiliconExpert
 * digests in HTML): one card per part, a line with the maker, a line with the part alone, a line
 * with its status or status change ("Production → NRND"), then "label: value" lines of its own
 * (notice, last-time-buy, last-ship, alternate). Each card is a record of its own: nothing of one
 * card applies to the next.
 */
import { type Candidate, replacementOf } from "./candidate.ts";
import { cleanNoticeId, dateOfValue, factsOfLabel, splitLabel } from "./facts.ts";
import { roleOfHeader } from "./headers.ts";
import { mpnsInCell } from "./mpn.cell.ts";
import { cleanToken, judgeMpn } from "./mpn.shape.ts";
import type { PosLine } from "./parts.lists.ts";
import { kindOfLabel } from "./signals.ts";

/** The longest status line of a card ("Active → Active (PCN)", "EOL - Last Time Buy"). */
const STATUS_LINE_MAX = 40;
const BULLET = /^\s*(?:[-*•·▪]\s+)/;

/** The part a line holds alone, by its shape: letters and digits, or a long catalogue number. */
function partAlone(text: string): string | null {
  const t = text.trim();
  if (!t || /\s/.test(t)) return null;
  const token = cleanToken(t);
  if (!judgeMpn(token, "list").ok) return null;
  const digits = token.replace(/\D/g, "").length;
  return /[A-Z]/i.test(token) || digits >= 8 ? token : null;
}

/** A card's status line: short, and it names a lifecycle state or a change of one. */
function statusOf(text: string): ReturnType<typeof kindOfLabel> {
  const t = text.trim();
  if (!t || t.length > STATUS_LINE_MAX || splitLabel(t)) return null;
  return kindOfLabel(t);
}

/** The maker line above a card's part: a short name without digits or a colon. */
function makerLine(text: string | undefined): string | null {
  const t = text?.trim() ?? "";
  if (!t || t.length > 40 || /\d|:/.test(t) || t.split(/\s+/).length > 4) return null;
  return t;
}

/** Where a card starts: its part line, with its status on the next line. */
function isCardStart(lines: readonly PosLine[], i: number): boolean {
  return partAlone(lines[i]!.text) !== null && statusOf(lines[i + 1]?.text ?? "") !== null;
}

export function readCards(lines: readonly PosLine[]): Candidate[] {
  const starts = lines.flatMap((_, i) => (isCardStart(lines, i) ? [i] : []));
  // One part on its own line over a status is a heading, not a layout: cards come in numbers.
  if (starts.length < 2) return [];
  return starts.map((i, n) => {
    const head = lines[i]!;
    const c: Candidate = {
      mpn: partAlone(head.text)!,
      pos: head.pos,
      part: head.part,
      layout: "record",
      line: head.line,
      strength: 2,
      kind: statusOf(lines[i + 1]!.text),
    };
    const maker = makerLine(lines[i - 1]?.text);
    if (maker) c.maker = maker;
    const next = starts[n + 1];
    const end = next === undefined ? lines.length : next - (makerLine(lines[next - 1]?.text) ? 1 : 0);
    for (let k = i + 2; k < end; k++) {
      const text = lines[k]!.text.replace(BULLET, "");
      if (!text.trim()) break;
      const kv = splitLabel(text);
      if (!kv) continue;
      const role = roleOfHeader(kv.label).role;
      if (role === "replacement") c.replacement = replacementOf(kv.value, (v) => mpnsInCell(v));
      else if (role === "notice") c.pcn ??= cleanNoticeId(kv.value);
      else if (role === "ltb") c.ltb = dateOfValue(kv.value);
      else if (role === "lts") c.lts = dateOfValue(kv.value);
      for (const f of factsOfLabel(kv.label, kv.value, head.pos)) {
        if (f.kind === "pcn") c.pcn ??= f.value;
        else if (f.kind === "ltb") c.ltb ??= { iso: f.value, vague: f.vague };
        else if (f.kind === "lts") c.lts ??= { iso: f.value, vague: f.vague };
      }
    }
    // A card says all it has: without an alternate line it names none (no sentence elsewhere gives it one).
    c.replacement ??= null;
    return c;
  });
}
