import type { LifecycleStatus } from "../parts/lifecycle.ts";
import { orderableStem } from "./orderable.stem.ts";

/**
 * Near misses (DESIGN §6b.7): parts of the BOM with the notice part's orderable stem (same die and
 * family, another package, grade, temperature range or packing) that the notice does not match. A
 * person should check whether the notice covers them too; they never count in exposure. Pure.
 */

/** A BOM part that may be a near miss (the store pre-selects parts whose match key starts with the stem). */
export interface StemCandidate {
  manufacturer: string;
  mpn: string;
  status: LifecycleStatus;
  /** Assemblies that hold it on their own BOM. */
  usedOn: readonly string[];
}

export interface NearMiss {
  manufacturer: string;
  mpn: string;
  lifecycle_status: LifecycleStatus;
  used_on: string[];
}

/** At most this many are listed: a review list, not an inventory. */
export const MAX_NEAR_MISSES = 25;

export function nearMisses(
  noticeMpn: string,
  /** The stored part the notice matched (a part's manufacturer and MPN as stored identify it). */
  matched: { manufacturer: string; mpn: string } | null,
  candidates: readonly StemCandidate[],
): NearMiss[] {
  const stem = orderableStem(noticeMpn);
  if (stem === null) return [];
  return candidates
    .filter(
      (c) =>
        !(matched && c.manufacturer === matched.manufacturer && c.mpn === matched.mpn) &&
        orderableStem(c.mpn) === stem,
    )
    .sort((a, b) => (a.mpn < b.mpn ? -1 : a.mpn > b.mpn ? 1 : a.manufacturer < b.manufacturer ? -1 : 1))
    .slice(0, MAX_NEAR_MISSES)
    .map((c) => ({
      manufacturer: c.manufacturer,
      mpn: c.mpn,
      lifecycle_status: c.status,
      used_on: [...c.usedOn],
    }));
}
