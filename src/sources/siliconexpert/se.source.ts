import { z } from "zod";
import { mapLifecycleStatus } from "../../parts/lifecycle.vocabulary.ts";
import type {
  BomPart,
  LifecyclePlatform,
  LookupResult,
  PlatformPartStatus,
  WatchResult,
} from "../lifecycle-platform.ts";
import { addDays, usDate, utcDay } from "../platform-dates.ts";
import type { PollContext, PolledSource, PollResult, SourceAlert, SourceCheckpoint } from "../source.ts";
import {
  chunks,
  MAX_PARTS_PER_CALL,
  pickCandidate,
  readAclParts,
  readListPartSearch,
  readPartDetail,
  type SeCandidate,
} from "./se.parts.ts";
import type { SeSession } from "./se.session.ts";
import { readUpdates, SOURCE_PLATFORM } from "./se.updates.ts";

/**
 * SiliconExpert as a polled source and as a lifecycle platform, over one session client.
 *
 * Polling: the checkpoint is the last day read through. The steady state reads "updates of the
 * day" (`alert/getUpdatesOfTheDay`); after a gap (a restart, an outage) the missing days are read
 * with `alert/getUpdates` from the checkpoint's day to today, paged. The platform serves at most 30
 * days back: a longer gap is read as far as it allows and says what could not be read (a BOM scan
 * recovers the statuses, not the lost notices). Days are re-read inclusively, so the day of the
 * checkpoint is read again; the alerts' keys make that add nothing.
 */

export const SE_SOURCE = "siliconexpert";
/** The platform's documented lookback of the date-range endpoint. */
export const MAX_LOOKBACK_DAYS = 30;
const MAX_PAGES = 500;
const ACL_PAGE_SIZE = 500;

const Checkpoint = z.object({ through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), read_at: z.string() });

export interface SeSourceOptions {
  client: SeSession;
  /** Days read on the very first poll (1 = today only, up to 30). */
  backfillDays: number;
  /** `alertTypes` asked for (comma-separated), e.g. `lifecycle,pcn`. */
  alertTypes: string;
}

/** The first day the date-range endpoint still serves, for a poll on `today`. */
export function earliestReadable(today: string): string {
  return addDays(today, -(MAX_LOOKBACK_DAYS - 1));
}

export function createSiliconExpertSource(opts: SeSourceOptions): PolledSource {
  return {
    name: SE_SOURCE,
    async poll(checkpoint: SourceCheckpoint | null, now: Date, ctx: PollContext): Promise<PollResult> {
      const today = utcDay(now);
      const cp = Checkpoint.safeParse(checkpoint);
      const notes: string[] = [];
      let from: string;
      let to = today;
      if (ctx.window) {
        ({ from, to } = ctx.window);
        if (to > today) to = today;
        if (from < earliestReadable(today) || from > to)
          return {
            kind: "failed",
            alerts: [],
            failure: {
              kind: "rejected",
              retryable: false,
              reason: `replay ${ctx.window.from}..${ctx.window.to}: SiliconExpert serves days from ${earliestReadable(today)} to ${today}`,
            },
          };
      } else if (cp.success) {
        from = cp.data.through;
      } else {
        from = addDays(today, -(Math.max(1, Math.min(MAX_LOOKBACK_DAYS, opts.backfillDays)) - 1));
      }
      if (from < earliestReadable(today)) {
        notes.push(
          `gap: updates from ${from} to ${addDays(earliestReadable(today), -1)} are past SiliconExpert's ${MAX_LOOKBACK_DAYS}-day lookback and were not read; run \`eolgate scan\` to catch up statuses`,
        );
        from = earliestReadable(today);
      }
      const daily = !ctx.window && from === today;
      const params: Record<string, string> = daily
        ? { date: today }
        : { fromDate: usDate(from), toDate: usDate(to) };
      if (opts.alertTypes) params.alertTypes = opts.alertTypes;
      const endpoint = daily ? "alert/getUpdatesOfTheDay" : "alert/getUpdates";

      const alerts: SourceAlert[] = [];
      let records = 0;
      for (let page = 1; ; page++) {
        if (page > MAX_PAGES)
          return {
            kind: "failed",
            alerts,
            failure: {
              kind: "protocol",
              retryable: true,
              reason: `${endpoint}: more than ${MAX_PAGES} pages`,
            },
          };
        const r = await opts.client.call(endpoint, { ...params, pageNo: String(page) }, ctx.signal);
        if (r.kind === "failed") return { kind: "failed", alerts, failure: r.failure };
        if (r.kind === "no_results") break;
        const read = readUpdates(r.body);
        if (read.records === 0) break;
        records += read.records;
        alerts.push(...read.alerts);
        notes.push(...read.skipped);
      }
      return {
        kind: "ok",
        alerts,
        // Ignored for a replay: the scheduler never moves the checkpoint for one.
        next: { through: to, read_at: now.toISOString() },
        notes,
        report: { endpoint, from, to, records, alerts: alerts.length },
      };
    },
  };
}

/** Whether a part's search-result status is worth a (quota-counted) detail call for its dates. */
function needsDetail(c: SeCandidate): boolean {
  const s = mapLifecycleStatus(c.lifecycle).status;
  return s !== "active" && s !== "preliminary";
}

export function createSiliconExpertPlatform(client: SeSession): LifecyclePlatform {
  return {
    name: SE_SOURCE,
    platform: SOURCE_PLATFORM,
    /**
     * Every part's status from `listPartSearch` (≤ 50 parts a call, not quota-counted); then, only
     * for parts that are not plainly active, `partDetail` (≤ 50 ComIDs a call, counted) for the LTB
     * and last-ship dates and the status's own as-of date. When the quota runs out the rest keep
     * the search status without dates, and the result says so.
     */
    async lookup(parts: readonly BomPart[], signal: AbortSignal): Promise<LookupResult> {
      const matched: { part: BomPart; candidate: SeCandidate }[] = [];
      const unmatched: BomPart[] = [];
      const notes: string[] = [];
      for (const batch of chunks(parts, MAX_PARTS_PER_CALL)) {
        const query = JSON.stringify(batch.map((p) => ({ partNumber: p.mpn, manufacturer: p.manufacturer })));
        const r = await client.call("listPartSearch", { partNumber: query, mode: "exact" }, signal);
        if (r.kind === "failed") return r;
        const answers = r.kind === "ok" ? readListPartSearch(r.body) : [];
        for (const [i, part] of batch.entries()) {
          // Answers come in request order; the requested part number confirms the pairing.
          const byOrder = answers[i];
          const answer =
            byOrder && byOrder.requestedPart.toLowerCase() === part.mpn.toLowerCase()
              ? byOrder
              : answers.find((a) => a.requestedPart.toLowerCase() === part.mpn.toLowerCase());
          const candidate = answer ? pickCandidate(part, answer.candidates) : null;
          if (candidate) matched.push({ part, candidate });
          else unmatched.push(part);
        }
      }
      const found = new Map<number, PlatformPartStatus>();
      for (const { part, candidate } of matched)
        found.set(part.id, {
          part,
          ref: candidate.comId,
          rawStatus: candidate.lifecycle || "Unknown",
          ltbDate: null,
          lastShipDate: null,
          asOf: null,
          noticeId: null,
        });
      const detailWanted = matched.filter((m) => needsDetail(m.candidate));
      const byComId = new Map<string, number[]>();
      for (const m of detailWanted)
        byComId.set(m.candidate.comId, [...(byComId.get(m.candidate.comId) ?? []), m.part.id]);
      const comIds = [...byComId.keys()];
      let detailed = 0;
      for (const batch of chunks(comIds, MAX_PARTS_PER_CALL)) {
        const r = await client.call("partDetail", { comIds: batch.join(","), getLifeCycleData: "1" }, signal);
        if (r.kind === "failed") {
          if (r.failure.kind !== "quota") return r;
          notes.push(
            `partDetail quota exhausted: ${comIds.length - detailed} part(s) keep their search status without LTB or last-ship dates`,
          );
          break;
        }
        detailed += batch.length;
        if (r.kind === "no_results") continue;
        for (const d of readPartDetail(r.body)) {
          for (const id of byComId.get(d.comId) ?? []) {
            const s = found.get(id);
            if (!s) continue;
            found.set(id, {
              ...s,
              rawStatus: d.status,
              ltbDate: d.ltbDate,
              lastShipDate: d.lastShipDate,
              asOf: d.asOf,
              noticeId: d.eolNumber,
            });
          }
        }
      }
      return { kind: "ok", found: [...found.values()], unmatched, notes };
    },

    /** Lists the watch list (`alert/listParts`, paged) and adds what is missing (`alert/addPart`). */
    async watch(refs: readonly string[], signal: AbortSignal): Promise<WatchResult> {
      const onList = new Set<string>();
      for (let page = 1; page <= MAX_PAGES; page++) {
        const r = await client.call(
          "alert/listParts",
          { pageNo: String(page), perPage: String(ACL_PAGE_SIZE) },
          signal,
        );
        if (r.kind === "failed") return r;
        if (r.kind === "no_results") break;
        const listed = readAclParts(r.body);
        for (const p of listed) onList.add(p.comId);
        if (listed.length < ACL_PAGE_SIZE) break;
      }
      const missing = [...new Set(refs)].filter((id) => !onList.has(id));
      for (const batch of chunks(missing, MAX_PARTS_PER_CALL)) {
        const r = await client.call("alert/addPart", { comIds: batch.join(",") }, signal);
        if (r.kind === "failed") return r;
      }
      return { kind: "ok", watched: onList.size + missing.length, added: missing.length };
    },
  };
}
