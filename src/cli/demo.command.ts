import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { bomSourcesFromDir } from "../bom/bom.files.ts";
import { formatCasesTable, zeroExposureReason } from "../cases/cases.format.ts";
import { listCases } from "../cases/cases.query.ts";
import { loadConfig } from "../config.ts";
import { startGateway } from "../main.ts";
import { countByState } from "../notify/outbox.repository.ts";
import { importAndReevaluate } from "../pipeline/reevaluation.service.ts";
import type { SqlDriver } from "../store/driver.ts";
import { wantsHelp } from "./help.ts";

const EXAMPLES = resolve(import.meta.dirname, "..", "..", "examples");

/**
 * `eolgate demo`: a fresh embedded gateway on a temporary store loads the sample company of
 * examples/, receives its sample notices over HTTP (alerts as JSON, emails as raw MIME through the
 * Mailgun route), lets the pipeline run, and prints the resulting cases and the stakeholder messages
 * a local signed-webhook receiver got. Nothing leaves the machine: notification channels and provider
 * secrets from the environment are not used; an LLM configured in the environment is.
 */
const USAGE =
  "usage: eolgate demo [--data-dir DIR] [--keep] [--as-of YYYY-MM-DD]\n" +
  "  a fresh embedded gateway on a temporary store (or DIR) loads the sample company of examples/bom,\n" +
  "  receives the notices of examples/notices over HTTP, and prints the cases and the messages sent.\n" +
  "  Nothing leaves the machine. --keep leaves the temporary store in place; --as-of receives the\n" +
  "  notices on that day, so the cases printed do not depend on today's date.\n";

export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let values: { "data-dir"?: string; keep: boolean; "as-of"?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "data-dir": { type: "string" },
        keep: { type: "boolean", default: false },
        "as-of": { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`eolgate demo: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  // --as-of YYYY-MM-DD: the notices are received on that day (the clock runs on from it), so the
  // printed cases do not depend on today's date.
  const asOf = values["as-of"];
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    process.stderr.write(`eolgate demo: --as-of must be a date YYYY-MM-DD (got '${asOf}')\n`);
    return 2;
  }
  const startedAt = Date.now();
  const now = asOf
    ? () => new Date(Date.parse(`${asOf}T09:00:00Z`) + (Date.now() - startedAt))
    : () => new Date();
  const dataDir = values["data-dir"] ?? mkdtempSync(join(tmpdir(), "eolgate-demo-"));
  const passthrough = Object.fromEntries(
    Object.entries(process.env).filter(([k]) =>
      /^(LLM_|ATTRITION_RATE|HOLDING_COST_RATE|ALTERNATE_NRE|SUBSTITUTE_NRE|REDESIGN_NRE|BROKER_PREMIUM|ALTERNATE_LEAD_MONTHS|SUBSTITUTE_LEAD_MONTHS|REDESIGN_LEAD_MONTHS|DEMAND_STRESS_GROWTH|CURRENCY)/.test(
        k,
      ),
    ),
  );
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const receiver = await startReceiver(secret);
  const config = loadConfig({
    ...passthrough,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: secret,
  });
  const logger = pino({ level: "error" }, pino.destination(2));
  const out = (s: string) => process.stdout.write(`${s}\n`);

  out(`eolgate demo — sample company in ${join(EXAMPLES, "bom")}, store in ${dataDir}`);
  const gateway = await startGateway(config, logger, "all", { now });
  try {
    const { outcome: imported } = await importAndReevaluate(
      gateway.db,
      bomSourcesFromDir(join(EXAMPLES, "bom")),
      {
        source: "demo",
        since: new Date(0),
        now: now(),
      },
    );
    if (imported.kind === "rejected") {
      for (const e of imported.errors) process.stderr.write(`import: ${e.file} row ${e.row}: ${e.reason}\n`);
      return 1;
    }
    out(`imported: ${JSON.stringify(imported.counts)}`);

    const traces: { file: string; traceId: string }[] = [];
    for (const file of readdirSync(join(EXAMPLES, "notices")).sort()) {
      const path = join(EXAMPLES, "notices", file);
      const res = file.endsWith(".json")
        ? await fetch(`${gateway.url}/v1/ingest/component-alert`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: readFileSync(path),
          })
        : await fetch(`${gateway.url}/v1/ingest/email/mailgun`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              recipient: "pcn@kestrel-controls.example",
              "body-mime": readFileSync(path, "utf8"),
            }).toString(),
          });
      const body = (await res.json()) as { trace_id?: string; error?: string };
      if (res.status !== 202 || !body.trace_id) {
        process.stderr.write(`${file}: ${res.status} ${JSON.stringify(body)}\n`);
        return 1;
      }
      traces.push({ file, traceId: body.trace_id });
      out(`sent ${file.padEnd(44)} → 202 trace ${body.trace_id}`);
    }

    const statuses = await waitForCompletion(
      gateway.url!,
      traces.map((t) => t.traceId),
      120_000,
    );
    const failed = [...statuses].filter(([, s]) => s !== "completed");
    for (const [id, s] of failed) process.stderr.write(`notice ${id} ended ${s}\n`);

    const today = now().toISOString().slice(0, 10);
    const { cases } = await listCases(gateway.db, { sort: "exposure", limit: 100, offset: 0, today });
    const currency = config.impact.CURRENCY;
    out(`\n${cases.length} cases from ${traces.length} notices (as of ${today}, money in ${currency}):\n`);
    out(formatCasesTable(cases, currency));
    out(readingGuide(cases, currency));
    const expected = await outboxSize(gateway.db);
    await waitUntil(() => receiver.received.length >= expected, 30_000);
    out(`\nstakeholder messages (signed webhook to a local receiver; Slack and Teams get the same content):`);
    for (const m of receiver.received) out(`  ${m}`);
    if (receiver.rejected > 0) out(`  ${receiver.rejected} request(s) failed signature verification`);
    return failed.length === 0 && receiver.rejected === 0 ? 0 : 1;
  } finally {
    await gateway.close();
    receiver.server.close();
    if (!values.keep && !values["data-dir"]) rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitForCompletion(
  url: string,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const id of ids) {
      if (status.get(id) === "completed" || status.get(id) === "dead") continue;
      const r = await fetch(`${url}/v1/notices/${id}`);
      status.set(id, ((await r.json()) as { status: string }).status);
    }
    if (ids.every((id) => status.get(id) === "completed" || status.get(id) === "dead")) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
  return status;
}

async function outboxSize(db: SqlDriver): Promise<number> {
  let n = 0;
  for (const count of (await countByState(db)).values()) n += count;
  return n;
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}

/** A downstream system as a user would run one: verifies each Standard Webhooks signature. */
async function startReceiver(secret: string) {
  const verifier = new Webhook(secret);
  const received: string[] = [];
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        const headers = Object.fromEntries(
          ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [
            h,
            String(req.headers[h] ?? ""),
          ]),
        );
        received.push(summarise(verifier.verify(body, headers)));
        res.writeHead(204).end();
      } catch {
        rejected++;
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    server,
    url: `http://127.0.0.1:${port}/hooks/eol`,
    received,
    get rejected() {
      return rejected;
    },
  };
}

/**
 * The two money columns and every zero in them, explained: revenue at risk is what is lost if nobody
 * acts, P&L impact is what the recommended action costs over buying the part as usual.
 */
function readingGuide(cases: Awaited<ReturnType<typeof listCases>>["cases"], currency: string): string {
  const lines = [
    "How to read the money:",
    `  REVENUE AT RISK  revenue of the products that could not be built if nobody acts: the share of remaining`,
    `                   demand the stock does not cover × each product's unit price (${currency}).`,
    "  P&L IMPACT       what the recommended action costs on top of buying the part as usual (holding cost of a",
    "                   last-time buy, NRE of qualifying an alternate, broker premium, redesign). It is the cost",
    "                   of acting; compare it with the revenue at risk, the cost of not acting.",
  ];
  const zero = cases.flatMap((c) => {
    const why = zeroExposureReason(c);
    return why ? [`  ${c.part.manufacturer} ${c.part.mpn}: ${why}`] : [];
  });
  if (zero.length) lines.push("Rows with no revenue at risk, and why:", ...zero);
  return `${lines.join("\n")}\n`;
}

function summarise(payload: unknown): string {
  const p = payload as { type?: string; data?: Record<string, unknown> };
  const d = p.data ?? {};
  const currency = typeof d.currency === "string" ? d.currency : "USD";
  const money = (v: unknown) =>
    typeof v === "number"
      ? v.toLocaleString("en-US", { style: "currency", currency, maximumFractionDigits: 0 })
      : "-";
  const head = `${p.type ?? "message"}: ${String(d.manufacturer ?? "")} ${String(d.mpn ?? "")} — ${String(d.status ?? "")}`;
  // A part still orderable as usual is a review or watch item: nothing to buy, nothing at risk.
  if (d.attention === "review" || d.attention === "watch") return `${head}, ${d.attention} it: no buy advice`;
  const when = [
    d.severity ? `severity ${String(d.severity)}` : null,
    d.run_out_date ? `runs out ${String(d.run_out_date)}` : null,
    d.decision_by ? `decide by ${String(d.decision_by)}` : null,
  ].filter(Boolean);
  return `${head}, revenue at risk ${money(d.revenue_at_risk)}, recommend ${whatToDo(d, money)}${
    when.length ? ` (${when.join(", ")})` : ""
  }`;
}

/** The recommendation as an action: which part to qualify, how many units to buy and the cash. */
function whatToDo(d: Record<string, unknown>, money: (v: unknown) => string): string {
  const rec = String(d.recommendation ?? "?");
  const part = (p: unknown) => {
    const x = p as { manufacturer?: string; mpn?: string } | null | undefined;
    return x?.mpn ? ` ${x.manufacturer ?? ""} ${x.mpn}`.replace(/ {2}/, " ") : "";
  };
  const cost = ` (P&L impact ${money(d.recommendation_cost)})`;
  if (rec === "alternate") return `qualifying the drop-in alternate${part(d.alternate_part)}${cost}`;
  if (rec === "substitute") return `qualifying the substitute${part(d.substitute_part)}${cost}`;
  if (rec === "last_time_buy")
    return `a last-time buy of ${typeof d.ltb_quantity === "number" ? d.ltb_quantity.toLocaleString("en-US") : "?"} units, cash outlay ${money(d.ltb_cash_outlay)}${cost}`;
  return `${rec.replace(/_/g, " ")}${cost}`;
}
