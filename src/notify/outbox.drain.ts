import { DEFAULT_LIMITS, type Dispatch, type RunStats } from "./outbox.options.ts";
import { claimOne, countDueCases, formDigests, killDestination } from "./outbox.repository.ts";
import { sendRow } from "./outbox.send.ts";

/**
 * One destination's turn in a dispatcher pass: dead-letter its rows when it is no longer configured;
 * skip it while its circuit is open or a Retry-After pause runs; merge a backlog it cannot take within
 * the digest window into digests; then, one token at a time, claim (record-first), send, record.
 */
export async function drainDestination(d: Dispatch, key: string, stats: RunStats): Promise<void> {
  const { o } = d;
  const dest = o.channels.destinations.get(key);
  if (!dest) {
    const rows = await killDestination(o.db, key, new Date(o.now()), "destination no longer configured");
    stats.dead += rows.length;
    for (const r of rows) await d.dead(r, "destination no longer configured");
    return;
  }
  if (!o.breakers.get(`notify:${key}`).allows()) return;
  if ((await o.buckets.pausedFor(key)) > 0) return;
  const limit = o.limits?.[dest.channel] ?? DEFAULT_LIMITS[dest.channel];
  const capacity = Math.max(1, Math.floor(limit.burst + limit.ratePerSec * o.digestWindowSeconds));
  if ((await countDueCases(o.db, key, new Date(o.now()))) > capacity) {
    const formed = await formDigests(o.db, key, new Date(o.now()), d.maxPerDigest);
    if (formed.digests) {
      stats.digests += formed.digests;
      d.digests.inc({ channel: dest.channel }, formed.digests);
      o.logger.info({ destination: key, ...formed }, "backlog merged into digests");
    }
  }
  // Bounded so one busy destination cannot hold the pass forever; tokens bound it anyway.
  for (let i = 0; i < 100; i++) {
    const t = await o.buckets.take(key, limit);
    if (t.kind === "wait") return;
    const now = o.now();
    const row = await claimOne(o.db, key, new Date(now), new Date(now + d.leaseMs), d.workerId);
    if (!row) return;
    if (!(await sendRow(d, row, dest, stats))) return;
  }
}
