import { assess, type ImpactResult } from "../impact/impact.model.ts";
import type { ImpactSettings } from "../impact/impact.settings.ts";
import type { LifecycleStatus } from "../parts/lifecycle.ts";
import type { Sql } from "../store/driver.ts";
import { loadPartGraph, matchParts, type StoredPart } from "./bom.repository.ts";
import { stemCandidates } from "./near-miss.query.ts";

/** The impact model (pure) over the stored graph (read here): what `eolgate assess` and cases run. */

export interface NoticeFacts {
  /** The part as the notice names it, for near misses (§6b.7); the stored part's own MPN when absent. */
  notice?: { manufacturer: string | null; mpn: string };
  /** The notice's status; null uses the part's stored status. */
  status: LifecycleStatus | null;
  ltbDate: string | null;
  asOf: Date;
  settings: ImpactSettings;
}

export async function assessStoredPart(
  db: Sql,
  part: StoredPart | null,
  facts: NoticeFacts,
): Promise<ImpactResult> {
  const { notice, ...rest } = facts;
  const named = notice ?? (part ? { manufacturer: part.manufacturer, mpn: part.mpn } : null);
  const near = named
    ? { noticeMpn: named.mpn, stemCandidates: await stemCandidates(db, named.manufacturer, named.mpn) }
    : {};
  if (!part)
    return assess({
      part: null,
      assemblies: new Map(),
      usages: [],
      holders: [],
      alternates: [],
      ...rest,
      ...near,
    });
  const graph = await loadPartGraph(db, part.id);
  return assess({ part, ...graph, ...rest, ...near });
}

export type AssessOutcome =
  | { kind: "assessed"; result: ImpactResult }
  /** The MPN names parts of several makers and no maker was given. */
  | { kind: "ambiguous"; candidates: { manufacturer: string; mpn: string }[] };

export async function assessPart(
  db: Sql,
  req: NoticeFacts & { manufacturer: string | null; mpn: string },
): Promise<AssessOutcome> {
  const parts = await matchParts(db, req.manufacturer, req.mpn);
  if (parts.length > 1) {
    return {
      kind: "ambiguous",
      candidates: parts.map((p) => ({ manufacturer: p.manufacturer, mpn: p.mpn })),
    };
  }
  return {
    kind: "assessed",
    result: await assessStoredPart(db, parts[0] ?? null, {
      ...req,
      notice: { manufacturer: req.manufacturer, mpn: req.mpn },
    }),
  };
}
