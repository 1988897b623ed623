import { isKnownLifecycleTerm } from "../parts/lifecycle.vocabulary.ts";

/**
 * A `lifecycle_status` the vocabulary does not know (e.g. `dead`) is stored as `unknown`; it is also
 * schema drift of the value kind, counted under the field `lifecycle_status=<value>` so an operator
 * sees which platform started saying what. Terms that mean "unknown" on purpose are no drift.
 */
export function lifecycleStatusDrift(raw: string): string[] {
  return isKnownLifecycleTerm(raw) ? [] : [`lifecycle_status=${raw.trim().toLowerCase().slice(0, 40)}`];
}
