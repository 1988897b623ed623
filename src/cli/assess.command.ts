import { parseArgs } from "node:util";
import { assessPart } from "../bom/bom.assess.ts";
import { isCalendarDate } from "../bom/bom.rows.ts";
import { loadConfig } from "../config.ts";
import { formatImpact } from "../impact/impact.format.ts";
import type { ImpactResult } from "../impact/impact.model.ts";
import { impactSettingsFromConfig } from "../impact/impact.settings.ts";
import { LIFECYCLE_STATUSES, LifecycleStatus } from "../parts/lifecycle.ts";
import { CommandError } from "./gateway.api.ts";
import { wantsHelp } from "./help.ts";
import { accessStore, closeAccess } from "./store.access.ts";

const USAGE =
  "usage: eolgate assess --mpn X [--manufacturer M] [--status S] [--ltb-date YYYY-MM-DD] [--as-of YYYY-MM-DD] [--json]\n" +
  `  status: ${LIFECYCLE_STATUSES.join(", ")} (default: the part's stored status)\n` +
  "  settings: ATTRITION_RATE, HOLDING_COST_RATE, ALTERNATE_NRE, SUBSTITUTE_NRE, REDESIGN_NRE, BROKER_PREMIUM,\n" +
  "            ALTERNATE_LEAD_MONTHS, SUBSTITUTE_LEAD_MONTHS, REDESIGN_LEAD_MONTHS, DEMAND_STRESS_GROWTH, CURRENCY\n" +
  "  store: DATA_DIR (default data/ in the eolgate folder) or DATABASE_URL; while `eolgate serve` holds the\n" +
  "  embedded store, the same assessment comes from its API (GET /v1/parts/{mpn}/assessment)\n";

/** `eolgate assess`: the impact model (DESIGN §6) on the stored graph. Exit 0, 1 ambiguous part, 2 usage. */
export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  const usage = (msg: string) => {
    process.stderr.write(`eolgate assess: ${msg}\n${USAGE}`);
    return 2;
  };
  let values: {
    mpn?: string;
    manufacturer?: string;
    status?: string;
    "ltb-date"?: string;
    "as-of"?: string;
    json?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        mpn: { type: "string" },
        manufacturer: { type: "string" },
        status: { type: "string" },
        "ltb-date": { type: "string" },
        "as-of": { type: "string" },
        json: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (!values.mpn?.trim()) return usage("--mpn is required");
  const status =
    values.status === undefined ? null : LifecycleStatus.safeParse(values.status.trim().toLowerCase());
  if (status && !status.success)
    return usage(`--status ${JSON.stringify(values.status)} is not a lifecycle status`);
  for (const flag of ["ltb-date", "as-of"] as const) {
    const v = values[flag];
    if (v !== undefined && !isCalendarDate(v))
      return usage(`--${flag} ${JSON.stringify(v)} is not a date (YYYY-MM-DD)`);
  }
  const config = loadConfig();
  const access = await accessStore(config, "assess", { create: false });
  try {
    let out:
      | { kind: "assessed"; result: ImpactResult }
      | { kind: "ambiguous"; candidates: { manufacturer: string }[] };
    if (access.kind === "store") {
      out = await assessPart(access.db, {
        manufacturer: values.manufacturer ?? null,
        mpn: values.mpn,
        status: status ? status.data : null,
        ltbDate: values["ltb-date"] ?? null,
        asOf: values["as-of"] ? new Date(`${values["as-of"]}T00:00:00Z`) : new Date(),
        settings: impactSettingsFromConfig(config.impact),
      });
    } else {
      const q = new URLSearchParams();
      if (values.manufacturer) q.set("manufacturer", values.manufacturer);
      if (status) q.set("status", status.data);
      if (values["ltb-date"]) q.set("ltb_date", values["ltb-date"]);
      if (values["as-of"]) q.set("as_of", values["as-of"]);
      const r = await access.api.request(
        "GET",
        `/v1/parts/${encodeURIComponent(values.mpn.trim())}/assessment${q.size ? `?${q}` : ""}`,
      );
      if (r.status === 409)
        out = { kind: "ambiguous", candidates: r.body.candidates as { manufacturer: string }[] };
      else if (r.status === 200) out = { kind: "assessed", result: r.body as unknown as ImpactResult };
      else
        throw new CommandError(`the gateway answered ${r.status}: ${String(r.body.message ?? r.body.error)}`);
    }
    if (out.kind === "ambiguous") {
      process.stderr.write(
        `eolgate assess: ${values.mpn} names several parts; give --manufacturer (one of: ${out.candidates
          .map((c) => c.manufacturer)
          .join(", ")})\n`,
      );
      return 1;
    }
    process.stdout.write(values.json ? `${JSON.stringify(out.result)}\n` : formatImpact(out.result));
    return 0;
  } finally {
    await closeAccess(access);
  }
}
