import type { LifecycleStatus } from "../parts/lifecycle.ts";
import { mapLifecycleStatus } from "../parts/lifecycle.vocabulary.ts";
import { canonicalManufacturer } from "../parts/manufacturers.ts";
import { foldMpn, normalizeMpn } from "../parts/mpn.normalize.ts";

/**
 * The keys under which parts are stored and matched (DESIGN §7), in one place so the import, the
 * where-used lookup and case identity agree:
 * - identity: (manufacturerKey, mpnFold): a part and its packaging variant stay two parts;
 * - notice matching: mpnNorm (packaging/RoHS suffixes stripped), tried after an exact fold.
 * Keys are computed at import; after a change to the alias table or the suffix rules, re-import
 * the parts file to refresh them.
 */

/** A maker's key: its canonical name (acquisitions resolved), else the name as written; case-folded. */
export function manufacturerKey(name: string): string {
  return (canonicalManufacturer(name) ?? name.trim().replace(/\s+/g, " ")).toLowerCase();
}

export { foldMpn, normalizeMpn };

/** A stored lifecycle status (parts.csv), through the shared vocabulary; unrecognised → `unknown`. */
export function lifecycleStatusOf(raw: string): LifecycleStatus {
  return mapLifecycleStatus(raw, "bom-import").status;
}
