import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.ts";
import { openConfiguredQueue, openConfiguredStore } from "../main.ts";
import { createLogger } from "../observability/logger.ts";
import { type DeadLetter, deadLetters, type ReplayOutcome } from "../pipeline/dead-letters.repository.ts";
import { replayDeadLetter } from "../pipeline/dead-letters.service.ts";

const USAGE =
  "usage: eolgate dead-letters list [--all] [--limit N] [--json]\n" +
  "       eolgate dead-letters replay ID\n" +
  "       eolgate dead-letters replay --all\n" +
  "  list: work that failed permanently or ran out of retries (--all includes replayed ones)\n" +
  "  replay: puts the notice back on the replay lane; phases already done are not rerun\n";

/**
 * `eolgate dead-letters`: exit 0 done, 1 a replay was refused (unknown or already replayed id),
 * 2 usage. On PostgreSQL it works on the store directly (and wakes BullMQ when REDIS_URL is set).
 * The embedded PGlite store belongs to the running gateway, so then it asks the gateway's HTTP API
 * (HOST, PORT, API_TOKEN) and opens the store itself only when no gateway answers.
 */
export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    process.stderr.write(`eolgate dead-letters: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const backend = config.store.DATABASE_URL
    ? await storeBackend(config)
    : ((await httpBackend(config)) ?? (await storeBackend(config)));
  try {
    if (parsed.cmd === "list") {
      const items = await backend.list(parsed.limit, parsed.all);
      if (parsed.json) for (const d of items) process.stdout.write(`${JSON.stringify(d)}\n`);
      else if (items.length === 0) process.stdout.write("no dead letters\n");
      else for (const d of items) process.stdout.write(`${formatLine(d)}\n`);
      return 0;
    }
    const ids = parsed.ids === "all" ? await backend.openIds() : parsed.ids;
    let refused = 0;
    for (const id of ids) {
      const r = await backend.replay(id);
      if (r.kind === "replayed") process.stdout.write(`replayed ${r.id} (trace ${r.traceId})\n`);
      else {
        refused++;
        process.stderr.write(
          r.kind === "not_found"
            ? `dead letter ${r.id}: not found\n`
            : `dead letter ${r.id}: already replayed at ${r.replayedAt}\n`,
        );
      }
    }
    if (parsed.ids === "all" && ids.length === 0) process.stdout.write("no dead letters to replay\n");
    return refused > 0 ? 1 : 0;
  } finally {
    await backend.close();
  }
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { all: { type: "boolean" }, json: { type: "boolean" }, limit: { type: "string" } },
  });
  const [cmd, ...rest] = positionals;
  if (cmd === "list") {
    if (rest.length > 0) throw new Error(`list takes no arguments (got '${rest.join(" ")}')`);
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
      throw new Error("--limit must be an integer from 1 to 100000");
    return { cmd: "list" as const, all: values.all === true, json: values.json === true, limit };
  }
  if (cmd === "replay") {
    if (values.all) {
      if (rest.length > 0) throw new Error("replay takes either ID or --all, not both");
      return { cmd: "replay" as const, ids: "all" as const };
    }
    if (rest.length !== 1) throw new Error("replay needs one dead-letter ID (or --all)");
    const id = Number(rest[0]);
    if (!Number.isInteger(id) || id < 1)
      throw new Error(`dead-letter ID must be a positive integer (got '${rest[0]}')`);
    return { cmd: "replay" as const, ids: [id] };
  }
  throw new Error(cmd ? `unknown subcommand '${cmd}'` : "missing subcommand");
}

function formatLine(d: DeadLetter): string {
  const replayed = d.replayed_at ? ` replayed ${d.replayed_at}` : "";
  return `${d.id}\t${d.trace_id}\t${d.phase}\t${d.attempts} attempt(s)${d.permanent ? " permanent" : ""}\t${d.failed_at}${replayed}\t${d.error}`;
}

interface Backend {
  list(limit: number, includeReplayed: boolean): Promise<DeadLetter[]>;
  openIds(): Promise<number[]>;
  replay(id: number): Promise<ReplayOutcome>;
  close(): Promise<void>;
}

async function storeBackend(config: Config): Promise<Backend> {
  const db = await openConfiguredStore(config);
  const logger = createLogger({ LOG_LEVEL: "warn" });
  const queue = config.queue.REDIS_URL ? await openConfiguredQueue(config, db, logger) : null;
  return {
    list: (limit, includeReplayed) => deadLetters.list(db, { limit, includeReplayed }),
    openIds: () => deadLetters.openIds(db),
    async replay(id) {
      const r = await replayDeadLetter(db, id, "cli");
      if (r.kind === "replayed") queue?.enqueue([r.traceId], "replay");
      return r;
    },
    async close() {
      // Let the wake-ups reach Redis before disconnecting; a lost one is swept later anyway.
      if (queue) await new Promise((r) => setTimeout(r, 200));
      await queue?.close(0);
      await db.close();
    },
  };
}

/** The running gateway's API, or null when none answers on HOST:PORT. */
async function httpBackend({ http: config }: Config): Promise<Backend | null> {
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT}`;
  const headers: Record<string, string> = config.API_TOKEN
    ? { authorization: `Bearer ${config.API_TOKEN}` }
    : {};
  const call = async (method: string, path: string) => {
    const res = await fetch(`${base}${path}`, { method, headers, signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status === 401) throw new Error("the gateway refused the API token (set API_TOKEN)");
    return { status: res.status, body };
  };
  try {
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return null;
  }
  return {
    async list(limit, includeReplayed) {
      const r = await call(
        "GET",
        `/v1/dead-letters?limit=${Math.min(limit, 1000)}&include_replayed=${includeReplayed}`,
      );
      if (r.status !== 200) throw new Error(`gateway answered ${r.status}`);
      return r.body.dead_letters as DeadLetter[];
    },
    async openIds() {
      const r = await call("GET", "/v1/dead-letters?limit=1000");
      return (r.body.dead_letters as DeadLetter[]).map((d) => d.id);
    },
    async replay(id) {
      const r = await call("POST", `/v1/dead-letters/${id}/replay`);
      if (r.status === 202) return { kind: "replayed", id, traceId: String(r.body.trace_id) };
      if (r.status === 404) return { kind: "not_found", id };
      if (r.status === 409)
        return {
          kind: "already_replayed",
          id,
          traceId: String(r.body.trace_id),
          replayedAt: String(r.body.message),
        };
      throw new Error(`gateway answered ${r.status} to the replay of ${id}`);
    },
    close: async () => {},
  };
}
