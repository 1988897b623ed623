import { LIFECYCLE_STATUSES } from "../../parts/lifecycle.ts";
import type { ScanReport } from "./bom-scan.source.ts";

/** A scan report for people (`eolgate scan`, `eolgate import`). Pure. */
export function formatScanReport(
  r: ScanReport,
  platform: string,
  cases: { accepted: number; duplicates: number },
): string {
  const pct = r.total === 0 ? "100.0" : ((r.matched / r.total) * 100).toFixed(1);
  const lines = [
    `lifecycle scan at ${platform}: ${r.matched} of ${r.total} BOM part(s) matched (${pct}% coverage), ${r.unmatched.length} unmatched`,
  ];
  const statuses = LIFECYCLE_STATUSES.filter((s) => (r.by_status[s] ?? 0) > 0).map(
    (s) => `${s} ${r.by_status[s]}`,
  );
  if (statuses.length > 0) lines.push(`  statuses: ${statuses.join(", ")}`);
  lines.push(
    `  already LTB, EOL or obsolete: ${r.discontinued} (new alerts into the inbox: ${cases.accepted}, already there: ${cases.duplicates})`,
  );
  lines.push(`  status history: ${r.history_added} change(s) recorded`);
  if (r.watch && "watched" in r.watch)
    lines.push(`  watch list: ${r.watch.watched} part(s) watched, ${r.watch.added} added now`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  if (r.unmatched.length > 0) {
    lines.push("  unmatched (not found at the platform; check the maker name and MPN):");
    for (const u of r.unmatched) lines.push(`    ${u.manufacturer}\t${u.mpn}`);
  }
  return `${lines.join("\n")}\n`;
}
