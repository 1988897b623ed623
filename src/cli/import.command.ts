import { parseArgs } from "node:util";
import { bomSourcesFromPaths } from "../bom/bom.files.ts";
import { importBom } from "../bom/bom.import.ts";
import { loadConfig } from "../config.ts";
import { openConfiguredStore } from "../main.ts";

const USAGE =
  "usage: eolgate import [--assemblies F] [--parts F] [--bom F] [--alternates F] [--json]\n" +
  "  loads the BOM graph (DESIGN §7) in one transaction; a bad row rejects the whole import\n";

/** `eolgate import`: exit 0 imported, 1 rejected (errors on stderr, nothing applied), 2 usage. */
export async function run(args: string[]): Promise<number> {
  let values: { assemblies?: string; parts?: string; bom?: string; alternates?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        assemblies: { type: "string" },
        parts: { type: "string" },
        bom: { type: "string" },
        alternates: { type: "string" },
        json: { type: "boolean" },
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
  const db = await openConfiguredStore(loadConfig());
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
