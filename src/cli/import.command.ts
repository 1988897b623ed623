import { parseArgs } from "node:util";
import { bomSourcesFromPaths } from "../bom/bom.files.ts";
import { importBom } from "../bom/bom.import.ts";
import type { Config } from "../config.ts";
import { loadConfig } from "../config.ts";
import { openConfiguredStore } from "../main.ts";
import type { SqlDriver } from "../store/driver.ts";
import { runScan } from "./scan.command.ts";
import { openSourcesForCommand } from "./sources.support.ts";

const USAGE =
  "usage: eolgate import [--assemblies F] [--parts F] [--bom F] [--alternates F] [--json] [--no-scan]\n" +
  "  loads the BOM graph (DESIGN §7) in one transaction; a bad row rejects the whole import\n" +
  "  with a lifecycle platform configured, then scans every part's status (--no-scan: leave it to the gateway)\n";

/** `eolgate import`: exit 0 imported, 1 rejected (errors on stderr, nothing applied), 2 usage. */
export async function run(args: string[]): Promise<number> {
  let values: {
    assemblies?: string;
    parts?: string;
    bom?: string;
    alternates?: string;
    json?: boolean;
    "no-scan"?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        assemblies: { type: "string" },
        parts: { type: "string" },
        bom: { type: "string" },
        alternates: { type: "string" },
        json: { type: "boolean" },
        "no-scan": { type: "boolean" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`eolgate import: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.assemblies && !values.parts && !values.bom && !values.alternates) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = await openConfiguredStore(config);
  try {
    const out = await importBom(db, bomSourcesFromPaths(values));
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    if (out.kind === "imported") {
      if (!values.json) {
        const c = out.counts;
        process.stdout.write(
          `imported: ${c.assemblies} assemblies, ${c.parts} parts, ${c.alternates} alternates, ${c.bom_lines} BOM lines\n`,
        );
      }
      if (!values["no-scan"]) await scanAfterImport(config, db, values.json === true);
      return 0;
    }
    for (const e of out.errors) {
      process.stderr.write(`${e.file}${e.row === null ? "" : `:${e.row}`}: ${e.reason}\n`);
    }
    process.stderr.write(
      `eolgate import: rejected, nothing applied (${out.errors.length}${out.truncated ? "+" : ""} error(s))\n`,
    );
    return 1;
  } finally {
    await db.close();
  }
}

/**
 * DESIGN §13: with a platform configured, a BOM import is followed by a lifecycle scan, so parts
 * already discontinued get cases now. A failed scan does not undo the import: the gateway's
 * scheduler sees the BOM changed and scans again.
 */
async function scanAfterImport(config: Config, db: SqlDriver, json: boolean): Promise<void> {
  const ctx = await openSourcesForCommand(config, db);
  try {
    if (!ctx.setup.platform) return;
    const code = await runScan(ctx, json);
    if (code !== 0)
      process.stderr.write("eolgate import: the BOM is imported; the gateway will scan it again\n");
  } finally {
    await ctx.close();
  }
}
