import type { ExtractedNotice } from "../extract/notice.ts";
import { dateAppears, identifierAppears } from "./evidence.ts";

/**
 * The hallucination guard for model-extracted notices. Every MPN, PCN id and date the model returns
 * must be written in the message; what is not is dropped and reported by field. A notice whose own
 * MPN is not in the message is dropped whole (its other fields describe a part that may not exist);
 * any other unsupported field is set to null and the notice kept. Pure: `now` only resolves dates
 * written without a year.
 */
export type GuardedField = "mpn" | "replacement_mpn" | "pcn_id" | "ltb_date" | "last_ship_date";

export interface Dropped {
  field: GuardedField;
  value: string;
  mpn: string;
}

export interface GuardResult {
  kept: ExtractedNotice[];
  dropped: Dropped[];
}

export function guardNotices(notices: readonly ExtractedNotice[], text: string, now: Date): GuardResult {
  const kept: ExtractedNotice[] = [];
  const dropped: Dropped[] = [];
  for (const n of notices) {
    if (!identifierAppears(text, n.mpn)) {
      dropped.push({ field: "mpn", value: n.mpn, mpn: n.mpn });
      continue;
    }
    const out = { ...n };
    const drop = (field: Exclude<GuardedField, "mpn">, value: string) => {
      dropped.push({ field, value, mpn: n.mpn });
      out[field] = null;
    };
    if (n.replacement_mpn !== null && !identifierAppears(text, n.replacement_mpn))
      drop("replacement_mpn", n.replacement_mpn);
    if (n.pcn_id !== null && !identifierAppears(text, n.pcn_id)) drop("pcn_id", n.pcn_id);
    if (n.ltb_date !== null && !dateAppears(text, n.ltb_date, now)) drop("ltb_date", n.ltb_date);
    if (n.last_ship_date !== null && !dateAppears(text, n.last_ship_date, now))
      drop("last_ship_date", n.last_ship_date);
    kept.push(out);
  }
  return { kept, dropped };
}
