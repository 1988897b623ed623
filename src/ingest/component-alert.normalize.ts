import type { ExtractedNotice } from "../extract/notice.ts";
import type { LifecycleStatus, NoticeType } from "../parts/lifecycle.ts";
import { mapLifecycleStatus } from "../parts/lifecycle.vocabulary.ts";
import { canonicalManufacturer } from "../parts/manufacturers.ts";

/**
 * A structured alert from a lifecycle platform (DESIGN §4 component-alert) → the same ExtractedNotice
 * the e-mail path produces, through the same maker alias table and status vocabulary. Pure: no clock,
 * no I/O. Anything that cannot be read is dropped to null with a warning, never guessed.
 */

export interface ComponentAlertInput {
  source_platform: string;
  manufacturer_code: string;
  part_number: string;
  lifecycle_status: string;
  ltb_date?: string | null;
  last_ship_date?: string | null;
  replacement_part_number?: string | null;
  pcn_id?: string | null;
  notice_date?: string | null;
  raw_context?: string | null;
}

export interface NormalizedComponentAlert {
  notice: ExtractedNotice;
  /** The platform's status exactly as sent (DESIGN §8 keeps it beside the canonical one). */
  rawStatus: string;
  /** The platform's maker code exactly as sent. */
  manufacturerRaw: string;
  warnings: string[];
}

/**
 * Notice type follows the status:
 * - ltb, eol, obsolete → discontinuance;
 * - transferred → product_change: the part stays orderable, only its maker (and usually its site and
 *   marking) changes, which is what a PCN announces;
 * - nrnd, active, preliminary, unknown → status_update (an NRND, a reactivation or cancelled EOL, a
 *   plain status refresh).
 */
function noticeTypeOf(status: LifecycleStatus): NoticeType {
  switch (status) {
    case "ltb":
    case "eol":
    case "obsolete":
      return "discontinuance";
    case "transferred":
      return "product_change";
    default:
      return "status_update";
  }
}

/** Platforms send these for "no replacement"; they are not part numbers. */
const NO_REPLACEMENT =
  /^(?:none|n\/?a|-+|—|–|null|no(?: direct)? replacement.*|not (?:available|provided.*)|tbd)$/i;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

function isCalendarDay(day: string): boolean {
  const m = ISO_DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * `YYYY-MM-DD`, or a full ISO timestamp reduced to the calendar day AS WRITTEN (the issuer's local
 * day: "2027-03-31T23:00:00-05:00" is the 31st, not UTC's 1st). Empty → null silently; anything else
 * (quarters, "TBD", US forms) → null with a warning, since a platform field is meant to be ISO.
 */
function isoDay(field: string, value: string | null | undefined, warnings: string[]): string | null {
  const v = value?.trim();
  if (!v) return null;
  const day = ISO_DAY.test(v) ? v : ISO_TIMESTAMP.exec(v)?.[1];
  if (day && isCalendarDay(day)) return day;
  warnings.push(`${field}: ${JSON.stringify(v)} is not an ISO date (YYYY-MM-DD); dropped`);
  return null;
}

function optionalText(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/**
 * Normalises one alert. The caller's schema guarantees a part number; an empty one is a programming
 * error and throws.
 */
export function normalizeComponentAlert(alert: ComponentAlertInput): NormalizedComponentAlert {
  const mpn = alert.part_number.trim();
  if (!mpn) throw new Error("normalizeComponentAlert: part_number is empty");
  const warnings: string[] = [];

  const manufacturerRaw = alert.manufacturer_code;
  const code = manufacturerRaw.trim();
  let manufacturer = canonicalManufacturer(code);
  if (!manufacturer) {
    manufacturer = code || null;
    warnings.push(
      code
        ? `manufacturer_code: ${JSON.stringify(code)} is not a known maker; kept as sent`
        : "manufacturer_code: empty; the notice names no maker",
    );
  }

  const mapped = mapLifecycleStatus(alert.lifecycle_status, alert.source_platform);
  if (mapped.status === "unknown") {
    warnings.push(
      `lifecycle_status: ${JSON.stringify(alert.lifecycle_status)} is not a known status; unknown`,
    );
  }
  const ltb = isoDay("ltb_date", alert.ltb_date, warnings);
  const lastShip = isoDay("last_ship_date", alert.last_ship_date, warnings);
  const noticeDate = isoDay("notice_date", alert.notice_date, warnings);

  // DESIGN §8: eol is "no window known"; an LTB day on or after the notice proves the window, so the
  // alert is an ltb (the raw status stays beside it).
  let status = mapped.status;
  if (status === "eol" && ltb && (!noticeDate || ltb >= noticeDate)) status = "ltb";

  const replacement = optionalText(alert.replacement_part_number);
  return {
    notice: {
      manufacturer,
      mpn,
      lifecycle_status: status,
      notice_type: noticeTypeOf(status),
      pcn_id: optionalText(alert.pcn_id),
      ltb_date: ltb,
      last_ship_date: lastShip,
      replacement_mpn: replacement && !NO_REPLACEMENT.test(replacement) ? replacement : null,
    },
    rawStatus: alert.lifecycle_status,
    manufacturerRaw,
    warnings,
  };
}
