import { z } from "zod";
import type { LifecycleStatus } from "../../parts/lifecycle.ts";
import type { SqlDriver } from "../../store/driver.ts";
import type { LifecyclePlatform } from "../lifecycle-platform.ts";
import type { PollContext, PolledSource, PollResult, SourceCheckpoint } from "../source.ts";
import { bomFingerprint, bomParts } from "./bom-parts.query.ts";
import { partLifecycleHistory } from "./part-lifecycle.repository.ts";
import { scanFindings } from "./scan.findings.ts";

/**
 * The BOM lifecycle scan as a polled source (DESIGN §13): it asks the platform for the status of
 * every BOM part, records each part's status history, and raises alerts for the parts already
 * discontinued, which open cases through the inbox like any alert. It runs when the BOM changed
 * since the last scan (every import moves the fingerprint), when the last full scan is older than
 * `rescanAfterMs`, or when forced (`eolgate scan`). Being a source, it gets the scheduler's lease,
 * backoff and breaker for free, so a scan runs once however many processes see the new BOM.
 */

export interface ScanReport {
  total: number;
  matched: number;
  /** matched / total (1 for an empty BOM). */
  coverage: number;
  unmatched: { manufacturer: string; mpn: string }[];
  by_status: Partial<Record<LifecycleStatus, number>>;
  /** Parts found already LTB, EOL or obsolete (each raises an alert; repeats are duplicates). */
  discontinued: number;
  history_added: number;
  watch: { watched: number; added: number } | { error: string } | null;
  notes: string[];
}

const Checkpoint = z.object({ bom: z.string(), scanned_at: z.string() }).loose();

const UNMATCHED_KEPT = 50;

export interface BomScanOptions {
  db: SqlDriver;
  platform: LifecyclePlatform;
  /** Keep matched parts on the platform's watch list so its alerts cover them. */
  watch: boolean;
  /** A full rescan after this long even if the BOM did not change (0: only on change). */
  rescanAfterMs: number;
}

export function scanSourceName(platform: string): string {
  return `scan:${platform}`;
}

export function createBomScanSource(opts: BomScanOptions): PolledSource {
  const { db, platform } = opts;
  return {
    name: scanSourceName(platform.name),
    async poll(checkpoint: SourceCheckpoint | null, now: Date, ctx: PollContext): Promise<PollResult> {
      const fingerprint = await bomFingerprint(db);
      const cp = Checkpoint.safeParse(checkpoint);
      const stale =
        opts.rescanAfterMs > 0 &&
        cp.success &&
        now.getTime() - Date.parse(cp.data.scanned_at) >= opts.rescanAfterMs;
      // A replay of the scan (no days to re-read) is a rescan.
      if (!ctx.force && !ctx.window && cp.success && cp.data.bom === fingerprint && !stale)
        return {
          kind: "ok",
          alerts: [],
          next: cp.data,
          report: { skipped: "BOM unchanged since the last scan" },
        };

      const parts = await bomParts(db);
      const lookup = parts.length > 0 ? await platform.lookup(parts, ctx.signal) : null;
      if (lookup?.kind === "failed") return { kind: "failed", failure: lookup.failure, alerts: [] };
      const found = lookup?.found ?? [];
      const findings = scanFindings(found, platform, now);
      const historyAdded = await partLifecycleHistory.record(db, findings.observations);
      const notes = [...(lookup?.notes ?? [])];
      let watch: ScanReport["watch"] = null;
      if (opts.watch && found.length > 0) {
        const w = await platform.watch(
          found.map((f) => f.ref),
          ctx.signal,
        );
        watch = w.kind === "ok" ? { watched: w.watched, added: w.added } : { error: w.failure.reason };
        if (w.kind === "failed") notes.push(`watch list not updated: ${w.failure.reason}`);
      }
      const unmatched = (lookup?.unmatched ?? []).map((p) => ({ manufacturer: p.manufacturer, mpn: p.mpn }));
      const report: ScanReport = {
        total: parts.length,
        matched: found.length,
        coverage: parts.length === 0 ? 1 : found.length / parts.length,
        unmatched,
        by_status: findings.byStatus,
        discontinued: findings.alerts.length,
        history_added: historyAdded,
        watch,
        notes,
      };
      return {
        kind: "ok",
        alerts: findings.alerts,
        notes,
        report: report as unknown as Record<string, unknown>,
        next: {
          bom: fingerprint,
          scanned_at: now.toISOString(),
          total: report.total,
          matched: report.matched,
          unmatched: unmatched.slice(0, UNMATCHED_KEPT),
        },
      };
    },
  };
}
