import type { LifecycleStatus } from "./lifecycle.ts";

/**
 * Platform and maker lifecycle terms → the canonical statuses of DESIGN §8, keeping the raw value.
 *
 * Decisions that are not obvious:
 * - "Discontinued" / "Discontinued-Unconfirmed" (SiliconExpert, Accuris) → `eol`. Platforms use the
 *   word both for "discontinuance announced" and "no longer made"; the status alone says nothing of a
 *   buy window, which is exactly DESIGN's `eol` ("announced, no window known"). Choosing `obsolete`
 *   would silently drop the last-time-buy option of the impact model when the part may still be
 *   orderable; a date that proves the window (an LTB date) is the caller's to apply.
 * - TI "LIFEBUY" → `ltb` (TI's definition: discontinuance announced, lifetime-buy period in effect).
 * - NXP "End of life" / "Discontinuation notice" → `eol`: the notice is out, the status names no window.
 * - "Active-Unconfirmed" → `active` (the platform could not reconfirm; the raw value says so).
 * - "Contact Mfr", "Unknown", "Call factory" → `unknown`.
 * - "Transferred" → `transferred` (the line moved to another maker).
 * - A cancelled or retracted EOL, "Reactivated", "Restored" → `active`.
 * - "LTB closed" / "last time buy expired" → `obsolete`: the window is over, so it cannot be ordered.
 * - "Mature" (Microchip and others) → `active`: still produced and orderable; ADI's "Recommended for
 *   New Designs" → `active`.
 * - onsemi "Last Shipments" → `eol`: discontinued, and the status does not say whether orders are open.
 * - "Discontinued at Digi-Key" and the like → `unknown`: a distributor's stocking decision, not the maker's.
 */

export interface MappedLifecycleStatus {
  status: LifecycleStatus;
  /** The value exactly as received. */
  raw: string;
  source: string | null;
}

function termKey(raw: string): string {
  return raw
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Whole-value terms (after folding case and punctuation). Checked before the patterns below. */
const EXACT: ReadonlyMap<string, LifecycleStatus> = new Map<string, LifecycleStatus>([
  // preliminary
  ["preview", "preliminary"],
  ["preliminary", "preliminary"],
  ["pre release", "preliminary"],
  ["prerelease", "preliminary"],
  ["pre production", "preliminary"],
  ["new", "preliminary"],
  ["new product", "preliminary"],
  ["prototype", "preliminary"],
  ["sampling", "preliminary"],
  ["samples", "preliminary"],
  ["engineering samples", "preliminary"],
  ["advance information", "preliminary"],
  ["in development", "preliminary"],
  ["under development", "preliminary"],
  ["coming soon", "preliminary"],
  ["introduction", "preliminary"],
  ["announced", "preliminary"],
  // active
  ["active", "active"],
  ["active unconfirmed", "active"],
  ["production", "active"],
  ["in production", "active"],
  ["mass production", "active"],
  ["volume production", "active"],
  ["released", "active"],
  ["release", "active"],
  ["mature", "active"],
  ["available", "active"],
  ["reactivated", "active"],
  ["restored", "active"],
  ["reinstated", "active"],
  ["recommended for new designs", "active"],
  ["recommended for new design", "active"],
  ["active and preferred", "active"],
  ["factory special order", "active"],
  ["future product", "preliminary"],
  // nrnd
  ["nrnd", "nrnd"],
  ["nrfnd", "nrnd"],
  ["nfnd", "nrnd"],
  // ltb
  ["ltb", "ltb"],
  ["lifebuy", "ltb"],
  ["life buy", "ltb"],
  ["lifetime buy", "ltb"],
  ["last time buy", "ltb"],
  ["last buy", "ltb"],
  ["final buy", "ltb"],
  ["last order", "ltb"],
  // eol
  ["eol", "eol"],
  ["end of life", "eol"],
  ["discontinued", "eol"],
  ["discontinued unconfirmed", "eol"],
  ["discontinuation notice", "eol"],
  ["discontinuance", "eol"],
  ["pdn", "eol"],
  ["phase out", "eol"],
  ["phasing out", "eol"],
  ["pending discontinuation", "eol"],
  ["last shipments", "eol"],
  ["last shipment", "eol"],
  // obsolete
  ["obsolete", "obsolete"],
  ["obsoleted", "obsolete"],
  ["inactive", "obsolete"],
  ["retired", "obsolete"],
  ["no longer available", "obsolete"],
  ["not available", "obsolete"],
  ["ltb closed", "obsolete"],
  // transferred
  ["transferred", "transferred"],
  ["transfer", "transferred"],
  // unknown
  ["contact mfr", "unknown"],
  ["contact manufacturer", "unknown"],
  ["call factory", "unknown"],
  ["unknown", "unknown"],
  ["n a", "unknown"],
  ["non stocked", "unknown"],
]);

/**
 * Free wording ("EOL - LTB open until 2027-03-31", "Not recommended for new designs (NRND)").
 * Order matters: reversals before what they reverse, a closed window before an open one, NRND before
 * anything mentioning "new", obsolete before "discontinu…", LTB before EOL (an EOL with a window is LTB).
 */
const PATTERNS: readonly [RegExp, LifecycleStatus][] = [
  // A distributor dropping a line ("Discontinued at Digi-Key") says nothing about the maker.
  [
    /\b(?:discontinued|obsolete|not stocked)\s+(?:at|by)\s+(?:digi ?key|mouser|arrow|avnet|farnell|newark|rs|tti|future)\b/,
    "unknown",
  ],
  [
    /\b(?:cancel+ed|retracted|withdrawn|rescinded|revoked)\b.*\b(?:eol|end of life|discontinu\w*|pdn|ltb)\b/,
    "active",
  ],
  [
    /\b(?:eol|end of life|discontinu\w*|pdn|ltb)\b.*\b(?:cancel+ed|cancel+ation|retracted|withdrawn|rescinded|revoked)\b/,
    "active",
  ],
  [/\b(?:reactivat\w*|re activat\w*|reinstat\w*|restored)\b/, "active"],
  [/\b(?:ltb|last time buy|lifebuy|last buy)\b.*\b(?:closed|expired|passed|ended|over)\b/, "obsolete"],
  [/\b(?:not|no longer)\s+recommended\b|\bnrf?nd\b|\bnot for new designs?\b/, "nrnd"],
  [/\b(?:proposed|planned|pending|announced)\b.*\bobsolesc\w*/, "eol"],
  [/\bobsolet\w*\b|\bno longer (?:available|orderable|manufactured|produced)\b/, "obsolete"],
  [/\b(?:ltb|lifebuy|life\s?time buy|last time buy|last buy|final buy|last order)\b/, "ltb"],
  [/\b(?:eol|end of life|discontinu\w*|pdn|phase\s?out|phasing out)\b/, "eol"],
  [/\btransfer+ed\b/, "transferred"],
  [/\brecommended for new designs?\b/, "active"],
  [
    /\b(?:preview|preliminary|pre ?release|prototype|sampl\w*|advance information|development)\b/,
    "preliminary",
  ],
  [/\b(?:active|in production|production|released)\b/, "active"],
];

/** Maps a raw lifecycle value from a platform, a maker or a notice to DESIGN §8. Unknown wording → `unknown`. */
export function mapLifecycleStatus(raw: string, source?: string | null): MappedLifecycleStatus {
  const key = termKey(raw);
  const out = (status: LifecycleStatus): MappedLifecycleStatus => ({ status, raw, source: source ?? null });
  const exact = EXACT.get(key);
  if (exact) return out(exact);
  for (const [re, status] of PATTERNS) if (re.test(key)) return out(status);
  return out("unknown");
}

/** True when the vocabulary knows the term, even when it means `unknown` ("contact mfr", "N/A"). */
export function isKnownLifecycleTerm(raw: string): boolean {
  const key = termKey(raw);
  return EXACT.has(key) || PATTERNS.some(([re]) => re.test(key));
}
