import type { TimeView } from "./impact.timeline.ts";

/**
 * The §6b fields whose change on re-assessment is material (DESIGN §6b, issue 15): a case that
 * becomes more or less severe, or must be decided on another day, is news for the people on it.
 * Pure.
 */
export const MATERIAL_TIME_FIELDS = ["severity", "decision_by"] as const;
export type MaterialTimeField = (typeof MATERIAL_TIME_FIELDS)[number];

export interface TimeChange {
  field: MaterialTimeField;
  from: string | null;
  to: string | null;
}

/**
 * What changed between two reports of a case. A report made before §6b has no time view: nothing
 * is said about it rather than a change from "nothing" (which would read as news that is not).
 */
export function timeChanges(before: Partial<TimeView> | null, after: TimeView): TimeChange[] {
  if (!before) return [];
  const out: TimeChange[] = [];
  for (const field of MATERIAL_TIME_FIELDS) {
    const from = before[field];
    if (from === undefined) continue;
    if (from !== after[field]) out.push({ field, from, to: after[field] });
  }
  return out;
}
