import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { type ScanReport, scanSourceName } from "../sources/scan/bom-scan.source.ts";
import { formatScanReport } from "../sources/scan/scan.format.ts";
import type { SourcesCommandContext } from "./sources.support.ts";
import { openSourcesForCommand } from "./sources.support.ts";

const USAGE =
  "usage: eolgate scan [--json]\n" +
  "  asks the configured lifecycle platform (SiliconExpert) for the status of every BOM part, records\n" +
  "  each part's status history, and opens cases for parts already LTB, EOL or obsolete\n";

/** `eolgate scan`: exit 0 scanned, 1 the platform failed, 2 usage, 75 another process is scanning, 78 no platform. */
export async function run(args: string[]): Promise<number> {
  let json = false;
  try {
    json = parseArgs({ args, options: { json: { type: "boolean" } }, strict: true }).values.json === true;
  } catch (err) {
    process.stderr.write(`eolgate scan: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const ctx = await openSourcesForCommand(loadConfig());
  try {
    return await runScan(ctx, json);
  } finally {
    await ctx.close();
  }
}

/** One forced scan under the scan source's lease; prints the report. Shared with `eolgate import`. */
export async function runScan(ctx: SourcesCommandContext, json: boolean): Promise<number> {
  const platform = ctx.setup.platform;
  if (!platform) {
    process.stderr.write(
      "eolgate scan: no lifecycle platform configured (set SILICONEXPERT_LOGIN and SILICONEXPERT_API_KEY)\n",
    );
    return 78;
  }
  const out = await ctx.scheduler.runOnce(scanSourceName(platform.name), { force: true });
  switch (out.kind) {
    case "ok": {
      const report = out.report as unknown as ScanReport;
      if (json) process.stdout.write(`${JSON.stringify({ ...report, alerts: out.ingest })}\n`);
      else process.stdout.write(formatScanReport(report, platform.platform, out.ingest));
      return 0;
    }
    case "busy":
      process.stderr.write(
        `eolgate scan: a scan is running in another process (${out.heldBy ?? "unknown"}); try again later\n`,
      );
      return 75;
    case "circuit_open":
      process.stderr.write(
        `eolgate scan: ${platform.platform} failed repeatedly; retry after ${new Date(out.retryAt).toISOString()}\n`,
      );
      return 1;
    case "lease_lost":
      process.stderr.write(
        "eolgate scan: the scan's lease was lost to another process; its result was dropped\n",
      );
      return 1;
    case "failed":
      process.stderr.write(
        `eolgate scan: ${platform.platform} failed (${out.failure.kind}): ${out.failure.reason}\n`,
      );
      return 1;
  }
}
