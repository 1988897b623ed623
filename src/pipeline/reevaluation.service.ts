import { randomUUID } from "node:crypto";
import { type BomSources, type ChangedPart, type ImportOutcome, importBom } from "../bom/bom.import.ts";
import { bomWrites } from "../bom/bom.repository.ts";
import { manufacturerKey, normalizeMpn } from "../bom/part-key.ts";
import { inboxRepository, type NewInboxRow } from "../inbox/inbox.repository.ts";
import type { SqlDriver } from "../store/driver.ts";
import { type CandidateNotice, candidateNotices } from "./reevaluation.query.ts";
import {
  REEVALUATE_ROUTE,
  type ReevaluationCause,
  type ReevaluationRef,
  reevaluationKey,
} from "./reevaluation.ts";
import { reevaluationsRepository } from "./reevaluations.repository.ts";

/**
 * Plans re-evaluations (docs/adr/0016-reevaluation.md): finds the notices of the window whose parts
 * the BOM version changed (or all of them, on demand) and commits one re-evaluation inbox row each,
 * keyed by (notice, BOM version) so asking again adds nothing. The caller wakes the queue with the
 * trace ids returned; the embedded poll and the BullMQ sweeper find them anyway.
 */

export interface ReevaluationRequest {
  bomVersion: number;
  /** The parts the BOM version added or changed; `all` re-evaluates every notice of the window. */
  changed: readonly ChangedPart[] | "all";
  /** Notices received at or after this instant. */
  since: Date;
  now: Date;
  cause: ReevaluationCause;
}

export interface ReevaluationPlan {
  bom_version: number;
  cause: ReevaluationCause;
  since: string;
  /** Notices of the window whose extraction was examined. */
  examined: number;
  /** Those that name a part the BOM version changed (all, on demand). */
  matched: number;
  /** The re-evaluations this request created: one trace id each, visible at /v1/notices/{id}. */
  queued: string[];
  /** Matched notices already re-evaluated for this BOM version (nothing new to do). */
  already: number;
}

const PAGE = 1_000;

export async function planReevaluation(db: SqlDriver, req: ReevaluationRequest): Promise<ReevaluationPlan> {
  const plan: ReevaluationPlan = {
    bom_version: req.bomVersion,
    cause: req.cause,
    since: req.since.toISOString(),
    examined: 0,
    matched: 0,
    queued: [],
    already: 0,
  };
  if (req.changed !== "all" && req.changed.length === 0) return plan;
  const names = req.changed === "all" ? null : matchKeys(req.changed);
  let after: { receivedAt: Date; traceId: string } | null = null;
  for (;;) {
    const page = await candidateNotices(db, req.since, after, PAGE);
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    after = { receivedAt: last.received_at, traceId: last.trace_id };
    plan.examined += page.length;
    const hits = page.filter((n) => n.parts.length > 0 && (names === null || namesChanged(n, names)));
    plan.matched += hits.length;
    const rows = hits.map((n) => inboxRow(n, req));
    const created = await db.transaction(async (tx) => {
      const keys = await inboxRepository.insertMany(tx, rows);
      const made = rows.filter((r) => keys.get(r.idempotencyKey)?.created === true);
      await reevaluationsRepository.insert(
        tx,
        made.map((r) => {
          const ref = JSON.parse(r.raw.toString("utf8")) as ReevaluationRef;
          return {
            traceId: r.traceId,
            noticeTraceId: ref.notice_trace_id,
            bomVersion: req.bomVersion,
            cause: req.cause,
            requestedAt: req.now,
          };
        }),
      );
      return made.map((r) => r.traceId);
    });
    plan.queued.push(...created);
    plan.already += rows.length - created.length;
    if (page.length < PAGE) break;
  }
  return plan;
}

/** The start of the window: notices received in the last `days` days (REEVALUATE_DAYS). */
export function reevaluationSince(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** The current BOM version, for an on-demand re-evaluation. */
export function currentBomVersion(db: SqlDriver): Promise<number> {
  return bomWrites.currentVersion(db);
}

/**
 * A BOM import, then the re-evaluation of the window's notices whose parts it changed: what the CLI,
 * the HTTP route and the demo run. The import commits first; a failure planning re-evaluations
 * leaves the import in place (the operator can run `eolgate reevaluate`).
 */
export async function importAndReevaluate(
  db: SqlDriver,
  sources: BomSources,
  opts: { source: string; since: Date; now: Date; maxErrors?: number },
): Promise<{ outcome: ImportOutcome; reevaluation: ReevaluationPlan | null }> {
  const outcome = await importBom(db, sources, {
    source: opts.source,
    ...(opts.maxErrors !== undefined ? { maxErrors: opts.maxErrors } : {}),
  });
  if (outcome.kind !== "imported") return { outcome, reevaluation: null };
  const reevaluation = await planReevaluation(db, {
    bomVersion: outcome.version,
    changed: outcome.changed,
    since: opts.since,
    now: opts.now,
    cause: "bom_import",
  });
  return { outcome, reevaluation };
}

interface MatchKeys {
  /** Normalised MPNs changed for a maker: `maker key \0 mpn_norm`. */
  byMaker: Set<string>;
  /** Normalised MPNs changed for any maker (a notice that names no maker matches by MPN alone). */
  any: Set<string>;
}

function matchKeys(changed: readonly ChangedPart[]): MatchKeys {
  const byMaker = new Set<string>();
  const any = new Set<string>();
  for (const p of changed) {
    byMaker.add(`${p.manufacturerKey}\u0000${p.mpnNorm}`);
    any.add(p.mpnNorm);
  }
  return { byMaker, any };
}

/**
 * Whether a notice names a changed part the way matching does (DESIGN §7: canonical maker and
 * normalised MPN, or the MPN alone when the notice names no maker). The exact-fold match the
 * matcher tries first is covered: equal folds have equal normalised keys.
 */
function namesChanged(n: CandidateNotice, keys: MatchKeys): boolean {
  return n.parts.some((p) => {
    if (typeof p.mpn !== "string" || !p.mpn.trim()) return false;
    const norm = normalizeMpn(p.mpn);
    if (!p.manufacturer?.trim()) return keys.any.has(norm);
    return keys.byMaker.has(`${manufacturerKey(p.manufacturer)}\u0000${norm}`);
  });
}

function inboxRow(n: CandidateNotice, req: ReevaluationRequest): NewInboxRow {
  const ref: ReevaluationRef = {
    notice_trace_id: n.trace_id,
    bom_version: req.bomVersion,
    cause: req.cause,
    notice_received_at: n.received_at.toISOString(),
  };
  return {
    traceId: randomUUID(),
    route: REEVALUATE_ROUTE,
    source: req.cause === "bom_import" ? "bom-import" : "on-demand",
    provider: null,
    idempotencyKey: reevaluationKey(n.trace_id, req.bomVersion),
    receivedAt: req.now,
    contentType: "application/json",
    raw: Buffer.from(JSON.stringify(ref)),
    lane: "replay",
  };
}
