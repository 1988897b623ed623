import { parseArgs } from "node:util";
import { isCalendarDate } from "../bom/bom.rows.ts";
import { loadConfig } from "../config.ts";
import {
  currentBomVersion,
  planReevaluation,
  type ReevaluationPlan,
  reevaluationSince,
} from "../pipeline/reevaluation.service.ts";
import { CommandError } from "./gateway.api.ts";
import { wantsHelp } from "./help.ts";
import { accessStore, closeAccess } from "./store.access.ts";

const USAGE =
  "usage: eolgate reevaluate [--since YYYY-MM-DD] [--json]\n" +
  "  matches and assesses again, on the current BOM, every notice received since the day given\n" +
  "  (default: REEVALUATE_DAYS ago, 365), each at most once per BOM version; a BOM import already\n" +
  "  does this by itself for the notices whose parts it changed. Each re-evaluation is its own trace\n" +
  "  (GET /v1/notices/<trace_id>); the gateway's workers run them.\n";

/** `eolgate reevaluate`: exit 0 planned, 2 usage. */
export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let values: { since?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { since: { type: "string" }, json: { type: "boolean" } },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`eolgate reevaluate: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.since !== undefined && !isCalendarDate(values.since)) {
    process.stderr.write(`eolgate reevaluate: --since must be a date YYYY-MM-DD (got '${values.since}')\n`);
    return 2;
  }
  const config = loadConfig();
  const access = await accessStore(config, "reevaluate", { create: false });
  try {
    let plan: ReevaluationPlan;
    if (access.kind === "store") {
      const now = new Date();
      plan = await planReevaluation(access.db, {
        bomVersion: await currentBomVersion(access.db),
        changed: "all",
        since: values.since
          ? new Date(`${values.since}T00:00:00Z`)
          : reevaluationSince(now, config.pipeline.REEVALUATE_DAYS),
        now,
        cause: "on_demand",
      });
    } else {
      const r = await access.api.request("POST", "/v1/notices/reevaluate", {
        json: values.since ? { since: values.since } : {},
      });
      if (r.status !== 202)
        throw new CommandError(`the gateway answered ${r.status}: ${String(r.body.message ?? r.body.error)}`);
      plan = r.body as unknown as ReevaluationPlan;
    }
    if (values.json) process.stdout.write(`${JSON.stringify(plan)}\n`);
    else
      process.stdout.write(
        `re-evaluation on BOM version ${plan.bom_version}: ${plan.examined} notice(s) received since ` +
          `${plan.since.slice(0, 10)}, ${plan.queued.length} queued, ${plan.already} already re-evaluated on this version\n` +
          plan.queued.map((id) => `  ${id}\n`).join(""),
      );
    return 0;
  } finally {
    await closeAccess(access);
  }
}
