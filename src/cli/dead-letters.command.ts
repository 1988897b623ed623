import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.ts";
import { openConfiguredQueue } from "../main.ts";
import { createLogger } from "../observability/logger.ts";
import { type DeadLetter, deadLetters, type ReplayOutcome } from "../pipeline/dead-letters.repository.ts";
import { replayDeadLetter } from "../pipeline/dead-letters.service.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { GatewayApi } from "./gateway.api.ts";
import { wantsHelp } from "./help.ts";
import { accessStore } from "./store.access.ts";

const USAGE =
  "usage: eolgate dead-letters list [--all] [--limit N] [--json]\n" +
  "       eolgate dead-letters replay ID\n" +
  "       eolgate dead-letters replay --all\n" +
  "  list: work that failed permanently or ran out of retries (--all includes replayed ones)\n" +
  "  replay: puts the notice back on the replay lane; phases already done are not rerun\n";

/**
 * `eolgate dead-letters`: exit 0 done, 1 a replay was refused (unknown or already replayed id),
 * 2 usage. It works on the store directly (and wakes BullMQ when REDIS_URL is set); when a running
 * gateway holds the embedded store, it goes through that gateway's API (src/cli/store.access.ts).
 */
export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    process.stderr.write(`eolgate dead-letters: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const access = await accessStore(config, "dead-letters", { create: false });
  const backend = access.kind === "store" ? await storeBackend(config, access.db) : httpBackend(access.api);
  try {
    if (parsed.cmd === "list") {
      const items = await backend.list(parsed.limit, parsed.all);
      if (parsed.json) for (const d of items) process.stdout.write(`${JSON.stringify(d)}\n`);
      else if (items.length === 0) process.stdout.write("no dead letters\n");
      else process.stdout.write(formatTable(items));
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

/** Dead letters as a table with a header (tab-separated, so `cut -f` still works). */
export function formatTable(items: readonly DeadLetter[]): string {
  const head = ["ID", "TRACE_ID", "PHASE", "ATTEMPTS", "KIND", "FAILED_AT", "REPLAYED_AT", "ERROR"];
  const rows = items.map((d) => [
    String(d.id),
    d.trace_id,
    d.phase,
    String(d.attempts),
    d.permanent ? "permanent" : "retries_exhausted",
    String(d.failed_at),
    d.replayed_at ? String(d.replayed_at) : "-",
    d.error.replace(/\s+/g, " "),
  ]);
  return `${[head, ...rows].map((r) => r.join("\t")).join("\n")}\n`;
}

interface Backend {
  list(limit: number, includeReplayed: boolean): Promise<DeadLetter[]>;
  openIds(): Promise<number[]>;
  replay(id: number): Promise<ReplayOutcome>;
  close(): Promise<void>;
}

async function storeBackend(config: Config, db: SqlDriver): Promise<Backend> {
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

/** The running gateway's API (it holds the embedded store). */
function httpBackend(api: GatewayApi): Backend {
  const call = (method: string, path: string) => api.request(method, path);
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
