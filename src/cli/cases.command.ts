import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { iterateCases } from "../cases/cases.query.ts";
import { type Config, loadConfig } from "../config.ts";
import { writeCasesCsv, writeCasesXlsx } from "../exports/cases.export.ts";
import { isoDay } from "../impact/impact.model.ts";
import { openConfiguredStore } from "../main.ts";
import { caseUrl } from "../notify/notification.types.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import { CaseState } from "../workflow/case.workflow.ts";
import { runningGateway } from "./gateway.api.ts";
import { parseOrUsage } from "./usage.ts";

const USAGE =
  "usage: eolgate cases export [--format csv|xlsx] [--out FILE] [--state S[,S…]] [--status S]\n" +
  "                            [--manufacturer M] [--product ASSEMBLY] [--assignee NAME]\n" +
  "                            [--sort exposure|days_to_ltb|decision_by]\n" +
  "  every case the filters select (the filters of GET /v1/cases), to FILE or standard output\n";

/** `eolgate cases export`: exit 0 written, 2 usage. */
export async function run(args: string[]): Promise<number> {
  const o = parseOrUsage("cases", USAGE, () => parse(args));
  if (!o) return 2;
  if (o.format === "xlsx" && !o.out && process.stdout.isTTY) {
    process.stderr.write("eolgate cases: an XLSX file is binary; give --out FILE or redirect the output\n");
    return 2;
  }
  const config = loadConfig();
  const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
  const gw = config.store.DATABASE_URL ? null : await runningGateway(config.http);
  if (gw) {
    const res = await gw.fetch("GET", `/v1/cases.${o.format}?${o.query.toString()}`);
    if (res.status !== 200 || !res.body)
      throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), out);
  } else await fromStore(config, o, out);
  if (o.out) process.stderr.write(`wrote ${o.out}\n`);
  return 0;
}

async function fromStore(config: Config, o: ReturnType<typeof parse>, out: Writable) {
  const db = await openConfiguredStore(config);
  try {
    const rows = iterateCases(db, { ...o.filter, today: isoDay(new Date()) });
    const url = (id: string) => caseUrl(config.notify.PUBLIC_BASE_URL, id);
    await (o.format === "csv" ? writeCasesCsv(rows, url, out) : writeCasesXlsx(rows, url, out));
  } finally {
    await db.close();
  }
}

const SORTS = ["exposure", "days_to_ltb", "decision_by"] as const;

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", default: "csv" },
      out: { type: "string" },
      state: { type: "string" },
      status: { type: "string" },
      manufacturer: { type: "string" },
      product: { type: "string" },
      assignee: { type: "string" },
      sort: { type: "string", default: "exposure" },
    },
  });
  if (positionals[0] !== "export" || positionals.length !== 1)
    throw new Error(positionals[0] ? `unknown subcommand '${positionals.join(" ")}'` : "missing subcommand");
  if (values.format !== "csv" && values.format !== "xlsx") throw new Error("--format must be csv or xlsx");
  const sort = values.sort as (typeof SORTS)[number];
  if (!SORTS.includes(sort)) throw new Error(`--sort must be one of ${SORTS.join(", ")}`);
  const state = values.state?.split(",").map((s) => s.trim());
  for (const s of state ?? [])
    if (!CaseState.safeParse(s).success) throw new Error(`--state: '${s}' is not a case state`);
  if (values.status && !LifecycleStatus.safeParse(values.status).success)
    throw new Error(`--status: '${values.status}' is not a lifecycle status`);
  const query = new URLSearchParams({ sort });
  for (const k of ["state", "status", "manufacturer", "product", "assignee"] as const)
    if (values[k]) query.set(k, values[k]);
  return {
    format: values.format,
    out: values.out,
    query,
    filter: {
      sort,
      state: state as CaseState[] | undefined,
      status: values.status as LifecycleStatus | undefined,
      manufacturer: values.manufacturer,
      product: values.product,
      assignee: values.assignee,
    },
  };
}
