import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { bomSourcesFromPaths } from "../bom/bom.files.ts";
import type { ImportCounts, ImportError } from "../bom/bom.import.ts";
import type { Config } from "../config.ts";
import { loadConfig } from "../config.ts";
import {
  importAndReevaluate,
  type ReevaluationPlan,
  reevaluationSince,
} from "../pipeline/reevaluation.service.ts";
import type { SqlDriver } from "../store/driver.ts";
import { wantsHelp } from "./help.ts";
import { runScan } from "./scan.command.ts";
import { openSourcesForCommand } from "./sources.support.ts";
import { accessStore, closeAccess } from "./store.access.ts";

const USAGE =
  "usage: eolgate import [--assemblies F] [--parts F] [--bom F] [--alternates F] [--json] [--no-scan]\n" +
  "  loads the BOM graph (DESIGN §7, formats in docs/bom-files.md) in one transaction; a bad row\n" +
  "  rejects the whole import and nothing is applied. Then the notices of the last REEVALUATE_DAYS\n" +
  "  (365) that name a part the import added or changed are matched and assessed again.\n" +
  "  store: DATA_DIR (default data/ in the eolgate folder) or DATABASE_URL; while `eolgate serve`\n" +
  "  holds the embedded store, the import goes through its API (POST /v1/bom/import).\n" +
  "  With a lifecycle platform configured, every part's status is then scanned (--no-scan: leave it\n" +
  "  to the gateway's scheduler, which scans a changed BOM itself)\n";

const FILES = ["assemblies", "parts", "bom", "alternates"] as const;

/** `eolgate import`: exit 0 imported, 1 rejected (errors on stderr, nothing applied), 2 usage. */
export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
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
  const access = await accessStore(config, "import", { create: true });
  try {
    let result: Result;
    if (access.kind === "store") {
      const now = new Date();
      const { outcome, reevaluation } = await importAndReevaluate(access.db, bomSourcesFromPaths(values), {
        source: "cli",
        since: reevaluationSince(now, config.pipeline.REEVALUATE_DAYS),
        now,
      });
      result =
        outcome.kind === "imported"
          ? {
              imported: true,
              counts: outcome.counts,
              bom_version: outcome.version,
              changed_parts: outcome.changedParts,
              reevaluation,
            }
          : { imported: false, errors: outcome.errors, truncated: outcome.truncated };
    } else {
      const form = new FormData();
      for (const f of FILES) {
        const path = values[f];
        if (path) form.append(f, new Blob([readFileSync(path)], { type: "text/csv" }), basename(path));
      }
      const r = await access.api.request("POST", "/v1/bom/import", { form });
      result = r.status === 200 ? (r.body as unknown as Result) : fromRefusal(r.body);
    }
    const runsLater =
      access.kind === "gateway"
        ? ""
        : access.location.kind === "pglite"
          ? "; they run when the gateway runs on this store (eolgate serve)"
          : "; the workers pick them up";
    const code = report(result, values.json === true, runsLater);
    // Through the gateway's API the gateway scans the changed BOM itself.
    if (code === 0 && access.kind === "store" && !values["no-scan"])
      await scanAfterImport(config, access.db, values.json === true);
    return code;
  } finally {
    await closeAccess(access);
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

type Result =
  | {
      imported: true;
      counts: ImportCounts;
      bom_version: number;
      changed_parts: number;
      reevaluation: ReevaluationPlan | null;
    }
  | { imported: false; errors: ImportError[]; truncated: boolean };

/** The API's 422 (issues with file and row) as the import's own errors. */
function fromRefusal(body: Record<string, unknown>): Result {
  const issues =
    (body.issues as { path: string; message: string; file?: string; row?: number | null }[]) ?? [];
  return {
    imported: false,
    errors: issues.length
      ? issues.map((i) => ({ file: i.file ?? i.path, row: i.row ?? null, reason: i.message }))
      : [{ file: "-", row: null, reason: String(body.message ?? body.error ?? "refused") }],
    truncated: body.truncated === true,
  };
}

function report(r: Result, json: boolean, runsLater: string): number {
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  if (!r.imported) {
    for (const e of r.errors)
      process.stderr.write(`${e.file}${e.row === null ? "" : `:${e.row}`}: ${e.reason}\n`);
    process.stderr.write(
      `eolgate import: rejected, nothing applied (${r.errors.length}${r.truncated ? "+" : ""} error(s))\n`,
    );
    return 1;
  }
  if (json) return 0;
  const c = r.counts;
  process.stdout.write(
    `imported: ${c.assemblies} assemblies, ${c.parts} parts, ${c.alternates} alternates, ${c.bom_lines} BOM lines ` +
      `(BOM version ${r.bom_version}, ${r.changed_parts} part(s) new or changed)\n`,
  );
  const plan = r.reevaluation;
  if (plan) {
    const n = plan.queued.length;
    process.stdout.write(
      n === 0
        ? `re-evaluation: no notice received since ${plan.since.slice(0, 10)} names a part this import changed\n`
        : `re-evaluation: ${n} notice(s) received since ${plan.since.slice(0, 10)} name a part this import changed; ` +
            `each is matched and assessed again as its own trace (GET /v1/notices/<trace_id>)` +
            `${runsLater}\n`,
    );
  }
  return 0;
}
