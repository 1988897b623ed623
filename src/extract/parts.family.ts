/**
 * Parts written as a family and its ordering suffixes: "MLX90614 in the versions ESF-BAA-000-TU,
 * ESF-BCC-000-TU and ESF-DCI-000-TU", "for the EP4CE6: E22C8N, E22I7N and F17C8N",
 * "ESP32-WROOM-32D, ordering codes -N4, -N8 and -N16", "ESP32-WROOM-32U-N4 and -N8". Each suffix is
 * joined to the family (a suffix that starts with a dash replaces the last dash-group of a full part
 * it follows). What follows an arrow or a word of replacement names replacements, not parts.
 */
import { foldMpn } from "../parts/mpn.normalize.ts";
import type { Candidate } from "./candidate.ts";
import { cleanToken, judgeMpn } from "./mpn.shape.ts";
import type { PosSentence } from "./parts.prose.ts";

/** A family, the words that introduce its suffixes, and the suffixes (at least two, or dash-led). */
const FAMILY_LIST =
  /(?<family>[A-Z][A-Z0-9]*\d[A-Z0-9-]*)\s*(?:,\s*|\s+)?(?::|in the (?:versions?|variants?|options?)|(?:ordering )?(?:codes?|suffix(?:es)?|versions?|variants?|options?))\s*:?\s*(?<list>-?[A-Z0-9][A-Z0-9-]*(?:\s*(?:,|\band\b|\bor\b|\/)\s*(?:and\s+)?-?[A-Z0-9][A-Z0-9-]*)+)/g;
/** A full part followed by dash-led suffixes: "ESP32-WROOM-32U-N4 and -N8". */
const DASH_TAIL =
  /(?<full>[A-Z][A-Z0-9]*\d[A-Z0-9]*(?:-[A-Z0-9]+)+)(?<list>(?:\s*(?:,|\band\b|\bor\b|\/)\s*-[A-Z0-9]+)+)/g;
const REPLACEMENT_CUE =
  /(?:->|→|=>|\breplac\w*|\bsuccessor|\brecommend\w*|\buse the\b|\bmigrat\w*|\binstead\b)/i;
const SEPARATOR = /\s*(?:,|\band\b|\bor\b|\/)\s*/;

function suffixesOf(list: string): string[] {
  return list
    .split(SEPARATOR)
    .map((s) => s.replace(/^and\s+/, "").trim())
    .filter(Boolean);
}

/** The family and the suffix written together, as the maker's ordering code reads. */
function compose(family: string, suffix: string): string {
  return `${family}${suffix}`;
}

export interface FamilyParts {
  candidates: Candidate[];
  /** Folded families and bare suffixes: they name no orderable part by themselves. */
  pieces: Set<string>;
}

/** Composed parts in sentences (and list items) of a message; only text before any replacement cue. */
export function readFamilyLists(sentences: readonly PosSentence[]): FamilyParts {
  const candidates: Candidate[] = [];
  const pieces = new Set<string>();
  const push = (mpn: string, s: PosSentence) => {
    const t = cleanToken(mpn);
    if (!judgeMpn(t, "list").ok) return;
    candidates.push({ mpn: t, pos: s.pos, part: s.part, layout: "list", line: s.line, strength: 1 });
  };
  for (const s of sentences) {
    const cue = REPLACEMENT_CUE.exec(s.text);
    const text = cue ? s.text.slice(0, cue.index) : s.text;
    for (const m of text.matchAll(FAMILY_LIST)) {
      const family = m.groups!.family!;
      // The list of suffixes ends at a whole part of the same line ("…, and MLX90615SSG-DAG-000-TU"),
      // which is read as itself.
      const all = suffixesOf(m.groups!.list!);
      const whole = all.findIndex((x) => x.slice(0, 3) === family.slice(0, 3));
      const suffixes = whole < 0 ? all : all.slice(0, whole);
      // A list of whole parts after a label ("Devices: A1, A2") is not a family list.
      if (suffixes.length === 0 || suffixes.some((x) => x.length > family.length + 6)) continue;
      if (suffixes.length < 2 && !suffixes[0]?.startsWith("-")) continue;
      pieces.add(foldMpn(family));
      for (const x of suffixes) {
        pieces.add(foldMpn(x));
        push(compose(family, x), s);
      }
      if (whole >= 0) for (const x of all.slice(whole)) push(x, s);
    }
    for (const m of text.matchAll(DASH_TAIL)) {
      const full = m.groups!.full!;
      const stem = full.slice(0, full.lastIndexOf("-"));
      push(full, s);
      for (const x of suffixesOf(m.groups!.list!)) push(`${stem}${x}`, s);
    }
  }
  return { candidates, pieces };
}
