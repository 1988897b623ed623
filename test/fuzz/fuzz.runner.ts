import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pino from "pino";
import { Agent, request } from "undici";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { type Credentials, type FuzzRequest, type OpenApiDoc, requestsFrom } from "./fuzz.requests.ts";

/**
 * Runs generated requests against a whole gateway (embedded store, worker running, every route) on
 * loopback, checking after each answer: never a 5xx (nothing here takes the store down), every error
 * is a JSON object with an `error` string; and at the end: the process is healthy and ready, and the
 * inbox holds exactly one row per trace id answered 202.
 */
export interface FuzzOptions {
  requests: number;
  seed: number;
  /** Requests sent at once per property run. */
  batch?: number;
  log?: (line: string) => void;
}

export interface FuzzReport {
  sent: number;
  /** Requests the HTTP client itself refused to send (e.g. a header it will not write). */
  unsendable: number;
  byStatus: Record<string, number>;
  accepted: number;
  inboxRows: number;
}

const CREDS: Credentials = { apiToken: "fuzz-api-token-0123", ingestToken: "fuzz-ingest-token-0123" };

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const dataDir = mkdtempSync(join(tmpdir(), "eolgate-fuzz-"));
  const config = loadConfig({
    LOG_LEVEL: "silent",
    DATA_DIR: dataDir,
    PORT: "0",
    API_TOKEN: CREDS.apiToken,
    INGEST_TOKEN: CREDS.ingestToken,
    INGEST_RATE_LIMIT_MAX: "0",
    PIPELINE_POLL_MS: "1000",
    DRAIN_TIMEOUT_SECONDS: "2",
  });
  const gw: Gateway = await startGateway(config, pino({ level: "silent" }), "all");
  const base = gw.url!;
  const agent = new Agent({ connections: 16, pipelining: 0, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const report: FuzzReport = { sent: 0, unsendable: 0, byStatus: {}, accepted: 0, inboxRows: 0 };
  const traceIds = new Set<string>();
  try {
    const doc = gw.app!.swagger() as unknown as OpenApiDoc;
    const batch = opts.batch ?? 20;
    const arb = fc.array(requestsFrom(doc, CREDS), { minLength: batch, maxLength: batch });
    await fc.assert(
      fc.asyncProperty(arb, async (reqs) => {
        const problems = (await Promise.all(reqs.map((r) => send(base, agent, r, report, traceIds)))).filter(
          (p): p is string => p !== null,
        );
        if (problems.length > 0) throw new Error(problems.join("\n"));
      }),
      { seed: opts.seed, numRuns: Math.ceil(opts.requests / batch), endOnFailure: true },
    );
    const health = await request(`${base}/healthz`, { dispatcher: agent });
    await health.body.dump();
    if (health.statusCode !== 200) throw new Error(`/healthz answered ${health.statusCode} after the run`);
    const ready = await request(`${base}/readyz`, { dispatcher: agent });
    const readyBody = await ready.body.text();
    if (ready.statusCode !== 200) throw new Error(`/readyz answered ${ready.statusCode}: ${readyBody}`);
    const rows = await gw.db.query<{ trace_id: string }>("select trace_id::text as trace_id from inbox");
    report.inboxRows = rows.rows.length;
    const stored = new Set(rows.rows.map((r) => r.trace_id));
    const missing = [...traceIds].filter((t) => !stored.has(t));
    const unanswered = [...stored].filter((t) => !traceIds.has(t));
    if (missing.length > 0 || unanswered.length > 0)
      throw new Error(
        `inbox and 202s disagree: ${missing.length} acknowledged but not stored, ${unanswered.length} stored but never acknowledged`,
      );
    report.accepted = traceIds.size;
    return report;
  } finally {
    await agent.close();
    await gw.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function send(
  base: string,
  agent: Agent,
  r: FuzzRequest,
  report: FuzzReport,
  traceIds: Set<string>,
): Promise<string | null> {
  let status: number;
  let text: string;
  try {
    const res = await request(base + r.path, {
      method: r.method as "GET",
      headers: r.headers,
      body: r.body ?? undefined,
      dispatcher: agent,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    // undici refuses to write some headers/bodies itself; those requests never reached us.
    if (
      code.startsWith("UND_ERR_INVALID_ARG") ||
      code === "UND_ERR_NOT_SUPPORTED" ||
      code === "ERR_INVALID_URL"
    ) {
      report.unsendable++;
      return null;
    }
    return `${describe(r)} → no answer: ${(err as Error).message}`;
  }
  report.sent++;
  report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
  if (status >= 500) return `${describe(r)} → ${status} ${text.slice(0, 300)}`;
  if (status === 202) {
    const ack = parse(text) as { trace_id?: unknown; queued?: unknown; dead_letters?: unknown } | null;
    // A re-evaluation acknowledges the traces it queued (one inbox row each), not one trace; a
    // replay of all dead letters the traces it put back (rows already in the inbox).
    const replayed = Array.isArray(ack?.dead_letters)
      ? ack.dead_letters.map((d: { trace_id?: unknown }) => d?.trace_id)
      : null;
    const queued = Array.isArray(ack?.queued) ? ack.queued : replayed;
    if (queued?.every((t) => typeof t === "string")) for (const t of queued) traceIds.add(t);
    else if (!ack || typeof ack.trace_id !== "string")
      return `${describe(r)} → 202 without a trace_id: ${text.slice(0, 200)}`;
    else traceIds.add(ack.trace_id);
  }
  if (status >= 400 && r.method !== "HEAD") {
    const body = parse(text) as { error?: unknown } | null;
    if (!body || typeof body !== "object" || typeof body.error !== "string")
      return `${describe(r)} → ${status} whose body is not a JSON error: ${text.slice(0, 200)}`;
  }
  return null;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(r: FuzzRequest): string {
  const body = r.body
    ? ` body(${r.body.length} B)=${JSON.stringify(r.body.subarray(0, 160).toString("latin1"))}`
    : "";
  return `${r.method} ${r.path.slice(0, 200)} [${r.route}] headers=${JSON.stringify(r.headers)}${body}`;
}
