import type { LifecycleStatus } from "../../parts/lifecycle.ts";
import { mapLifecycleStatus } from "../../parts/lifecycle.vocabulary.ts";
import { foldMpn } from "../../parts/mpn.normalize.ts";
import type { PlatformPartStatus } from "../lifecycle-platform.ts";
import { utcDay } from "../platform-dates.ts";
import type { SourceAlert } from "../source.ts";
import type { LifecycleObservation } from "./part-lifecycle.repository.ts";

/**
 * What a BOM lifecycle scan concludes from the platform's answers. Pure: the clock is an argument.
 * - Every matched part gets an observation for its status history (DESIGN §8: canonical status,
 *   raw word, source, as-of date; as-of is the platform's own date for the status when it gives one,
 *   else the day of the scan).
 * - A part already `ltb`, `eol` or `obsolete` gets a component alert for the BOM's own part (so the
 *   case lands on exactly the part that was asked about), keyed by the platform's part id, the part
 *   and the status: a rescan that finds the same status raises nothing new; a change (LTB → obsolete,
 *   a new LTB date) raises the next alert, which updates the case.
 * - `eol` with an LTB date on or after the scan day is an open buy window, so `ltb` (as the
 *   component-alert normalisation does for pushed alerts).
 */

export const DISCONTINUED: ReadonlySet<LifecycleStatus> = new Set(["ltb", "eol", "obsolete"]);

export interface ScanFindings {
  observations: LifecycleObservation[];
  alerts: SourceAlert[];
  byStatus: Partial<Record<LifecycleStatus, number>>;
}

export function scanFindings(
  found: readonly PlatformPartStatus[],
  platform: { name: string; platform: string },
  now: Date,
): ScanFindings {
  const today = utcDay(now);
  const out: ScanFindings = { observations: [], alerts: [], byStatus: {} };
  for (const f of found) {
    let status = mapLifecycleStatus(f.rawStatus, platform.name).status;
    if (status === "eol" && f.ltbDate && f.ltbDate >= today) status = "ltb";
    out.byStatus[status] = (out.byStatus[status] ?? 0) + 1;
    out.observations.push({
      partId: f.part.id,
      source: platform.name,
      status,
      rawStatus: f.rawStatus,
      asOf: f.asOf ?? today,
      observedAt: now,
      ltbDate: f.ltbDate,
      lastShipDate: f.lastShipDate,
      platformRef: f.ref,
      detail: f.noticeId ? { notice: f.noticeId } : {},
    });
    if (!DISCONTINUED.has(status)) continue;
    out.alerts.push({
      key: `${platform.name}:status:${f.ref}:${foldMpn(f.part.mpn)}:${status}:${f.ltbDate ?? "-"}`,
      alert: {
        source_platform: platform.platform,
        manufacturer_code: f.part.manufacturer,
        part_number: f.part.mpn,
        lifecycle_status: f.rawStatus,
        ltb_date: f.ltbDate,
        last_ship_date: f.lastShipDate,
        pcn_id: f.noticeId,
        notice_date: f.asOf,
        raw_context: `BOM lifecycle scan: ${platform.platform} reports "${f.rawStatus}" for ${f.part.mpn} (${f.part.manufacturer}), platform id ${f.ref}${f.ltbDate ? `, last time buy ${f.ltbDate}` : ""}${f.lastShipDate ? `, last ship ${f.lastShipDate}` : ""}.`,
      },
    });
  }
  return out;
}
