import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { createInboxIngestor } from "../ingest/inbox.ingestor.ts";
import { openConfiguredStore } from "../main.ts";
import { createLogger } from "../observability/logger.ts";
import { newRegistry } from "../observability/metrics.ts";
import { parseColumnSpec } from "../sources/export/export.columns.ts";
import { importAlertExport } from "../sources/export/export.import.ts";
import { importColumnsOf } from "../sources/sources.wiring.ts";

const USAGE =
  "usage: eolgate import-alerts FILE [--source NAME] [--columns field=Header,...] [--json]\n" +
  "  reads an exported alert report (CSV or XLSX; Accuris column names by default), each row a\n" +
  "  component alert into the inbox; one bad row rejects the file with its row number, nothing imported\n" +
  "  --source   who exported it (default accuris)\n" +
  "  --columns  point fields at other headers, e.g. part_number=MPN,lifecycle_status=Status\n" +
  "             fields: part_number, manufacturer, lifecycle_status (required), ltb_date, last_ship_date,\n" +
  "             alert_id, pcn_id, replacement_part_number, notice_date, alert_type\n";

/** `eolgate import-alerts`: exit 0 imported, 1 rejected (nothing imported), 2 usage, 75 store unavailable. */
export async function run(args: string[]): Promise<number> {
  let values: { source?: string; columns?: string; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { source: { type: "string" }, columns: { type: "string" }, json: { type: "boolean" } },
    }));
  } catch (err) {
    process.stderr.write(`eolgate import-alerts: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const usage = (msg: string) => {
    process.stderr.write(`eolgate import-alerts: ${msg}\n${USAGE}`);
    return 2;
  };
  if (positionals.length !== 1) return usage("give exactly one FILE");
  const source = (values.source ?? "accuris").trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(source))
    return usage(`--source ${JSON.stringify(values.source)} is not a source name`);
  const config = loadConfig();
  let columns = importColumnsOf(config.sources);
  if (values.columns) {
    const spec = parseColumnSpec(values.columns);
    if (spec.kind === "invalid") return usage(`--columns: ${spec.reason}`);
    columns = { ...columns, ...spec.columns };
  }
  const file = positionals[0]!;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    process.stderr.write(`eolgate import-alerts: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const db = await openConfiguredStore(config);
  const ingestor = createInboxIngestor({
    db,
    metrics: newRegistry(),
    logger: createLogger({ LOG_LEVEL: "warn" }),
    now: () => new Date(),
    options: { windowMs: 0, maxBatch: config.ingest.INGEST_BATCH_MAX },
  });
  try {
    const out = await importAlertExport(ingestor, {
      source,
      bytes,
      filename: basename(file),
      contentType: "application/octet-stream",
      columns,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    switch (out.kind) {
      case "imported":
        if (!values.json)
          process.stdout.write(
            `imported ${out.rows} alert row(s) from ${file} (sheet ${out.sheet}, header on row ${out.header_row}): ${out.accepted} new, ${out.duplicates} already in\n`,
          );
        return 0;
      case "rejected":
        for (const e of out.errors)
          process.stderr.write(`${file}${e.row === null ? "" : `:${e.row}`}: ${e.reason}\n`);
        process.stderr.write(
          `eolgate import-alerts: rejected, nothing imported (${out.errors.length}${out.truncated ? "+" : ""} bad row(s))\n`,
        );
        return 1;
      case "store_unavailable":
        for (const e of out.unstored)
          process.stderr.write(`${file}${e.row === null ? "" : `:${e.row}`}: not stored: ${e.reason}\n`);
        process.stderr.write(
          `eolgate import-alerts: the store took ${out.stored} row(s) but not ${out.unstored.length}; run the same command again (nothing is doubled)\n`,
        );
        return 75;
    }
  } finally {
    await ingestor.flush();
    await db.close();
  }
}
