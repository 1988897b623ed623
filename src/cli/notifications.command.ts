import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { openConfiguredStore } from "../main.ts";
import {
  listUnconfirmed,
  type ResendOutcome,
  resendUnconfirmed,
  type UnconfirmedRow,
} from "../notify/outbox.repository.ts";
import { runningGateway } from "./gateway.api.ts";

const USAGE =
  "usage: eolgate notifications unconfirmed [--limit N] [--json]\n" +
  "       eolgate notifications resend DELIVERY_ID… | --all\n" +
  "  unconfirmed: messages a worker was sending to Slack or Teams when it died (they may have arrived)\n" +
  "  resend: sends them again, through the same rate limits (check the channel first)\n";

/**
 * `eolgate notifications`: exit 0 done, 1 a resend was refused (unknown id or not unconfirmed),
 * 2 usage. Like `dead-letters`, it asks a running gateway's API when the embedded store is in use.
 */
export async function run(args: string[]): Promise<number> {
  let p: { cmd: "unconfirmed"; limit: number; json: boolean } | { cmd: "resend"; ids: string[] | "all" };
  try {
    p = parse(args);
  } catch (err) {
    process.stderr.write(`eolgate notifications: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const backend = await openBackend();
  try {
    if (p.cmd === "unconfirmed") {
      const rows = await backend.list(p.limit);
      if (p.json) for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
      else if (rows.length === 0) process.stdout.write("no unconfirmed messages\n");
      else
        for (const r of rows)
          process.stdout.write(
            `${r.delivery_id}\t${r.channel}\t${r.case_id}\t${r.event}\t${r.updated_at}\t${r.last_error ?? ""}\n`,
          );
      return 0;
    }
    const ids = p.ids === "all" ? (await backend.list(1000)).map((r) => r.delivery_id) : p.ids;
    if (ids.length === 0) process.stdout.write("no unconfirmed messages to resend\n");
    let refused = 0;
    for (const id of ids) {
      const r = await backend.resend(id);
      if (r.kind === "resent") process.stdout.write(`resent ${id}\n`);
      else {
        refused++;
        process.stderr.write(
          r.kind === "not_found" ? `${id}: not found\n` : `${id}: is ${r.state}, not unconfirmed\n`,
        );
      }
    }
    return refused > 0 ? 1 : 0;
  } finally {
    await backend.close();
  }
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { all: { type: "boolean" }, json: { type: "boolean" }, limit: { type: "string" } },
  });
  const [cmd, ...rest] = positionals;
  if (cmd === "unconfirmed") {
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new Error("--limit must be an integer from 1 to 1000");
    return { cmd: "unconfirmed" as const, limit, json: values.json === true };
  }
  if (cmd === "resend") {
    if (values.all && rest.length > 0) throw new Error("resend takes ids or --all, not both");
    if (!values.all && rest.length === 0) throw new Error("resend needs delivery ids (or --all)");
    return { cmd: "resend" as const, ids: values.all ? ("all" as const) : rest };
  }
  throw new Error(cmd ? `unknown subcommand '${cmd}'` : "missing subcommand");
}

interface Backend {
  list(limit: number): Promise<UnconfirmedRow[]>;
  resend(id: string): Promise<ResendOutcome>;
  close(): Promise<void>;
}

async function openBackend(): Promise<Backend> {
  const config = loadConfig();
  if (!config.store.DATABASE_URL) {
    const http = await gatewayBackend(config.http);
    if (http) return http;
  }
  const db = await openConfiguredStore(config);
  return {
    list: (limit) => listUnconfirmed(db, limit),
    resend: (id) => resendUnconfirmed(db, id, new Date(), "cli"),
    close: () => db.close(),
  };
}

/** The running gateway's API, or null when none answers on HOST:PORT. */
async function gatewayBackend(config: Parameters<typeof runningGateway>[0]): Promise<Backend | null> {
  const gw = await runningGateway(config);
  if (!gw) return null;
  const call = (method: string, path: string) => gw.request(method, path);
  return {
    async list(limit) {
      const r = await call("GET", `/v1/notifications/unconfirmed?limit=${limit}`);
      if (r.status !== 200) throw new Error(`gateway answered ${r.status}`);
      return r.body.unconfirmed as UnconfirmedRow[];
    },
    async resend(id) {
      const r = await call("POST", `/v1/notifications/${encodeURIComponent(id)}/resend`);
      if (r.status === 202) return { kind: "resent", deliveryId: id };
      if (r.status === 404 || r.status === 422) return { kind: "not_found", deliveryId: id };
      if (r.status === 409)
        return {
          kind: "not_unconfirmed",
          deliveryId: id,
          state: typeof r.body.state === "string" ? r.body.state : "?",
        };
      throw new Error(`gateway answered ${r.status} to the resend of ${id}`);
    },
    close: async () => {},
  };
}
