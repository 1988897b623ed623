import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { isDayString } from "../sources/source.ts";
import { sourceCheckpoints } from "../sources/source-checkpoints.repository.ts";
import { openSourcesForCommand } from "./sources.support.ts";

const USAGE =
  "usage: eolgate sources [list] [--json]\n" +
  "       eolgate sources poll NAME\n" +
  "       eolgate sources replay NAME --from YYYY-MM-DD --to YYYY-MM-DD\n" +
  "  list: each polled source's last success, failure streak, lease and checkpoint\n" +
  "  poll: poll NAME now (under its lease, so never beside a gateway's poll of it)\n" +
  "  replay: re-read the days FROM..TO of NAME now; alerts already in the inbox are not doubled,\n" +
  "          and the regular checkpoint does not move\n";

/** `eolgate sources`: exit 0 done, 1 the source failed, 2 usage, 75 another process holds the source. */
export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    process.stderr.write(`eolgate sources: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const usage = (msg: string) => {
    process.stderr.write(`eolgate sources: ${msg}\n${USAGE}`);
    return 2;
  };
  const [cmd = "list", name, ...rest] = parsed.positionals;
  if (rest.length > 0) return usage(`unexpected '${rest.join(" ")}'`);
  if (cmd !== "list" && cmd !== "poll" && cmd !== "replay") return usage(`unknown subcommand '${cmd}'`);
  const { from, to } = parsed.values;
  if (cmd === "replay") {
    if (!from || !to || !isDayString(from) || !isDayString(to))
      return usage("replay needs --from and --to as YYYY-MM-DD");
    if (from > to) return usage("--from must not be after --to");
  }
  const ctx = await openSourcesForCommand(loadConfig());
  try {
    if (cmd === "list") {
      const states = await sourceCheckpoints.list(ctx.db);
      const configured = new Set(ctx.scheduler.names());
      if (parsed.values.json) for (const s of states) process.stdout.write(`${JSON.stringify(s)}\n`);
      else if (states.length === 0 && configured.size === 0)
        process.stdout.write("no polled sources (set SILICONEXPERT_LOGIN and SILICONEXPERT_API_KEY)\n");
      else
        for (const s of states) {
          const health = s.failingSince
            ? `FAILING since ${s.failingSince.toISOString()} (${s.consecutiveFailures}×): ${s.lastError ?? ""}`
            : "ok";
          process.stdout.write(
            `${s.name}${configured.has(s.name) ? "" : " (not configured)"}\tlast success ${s.lastSuccessAt?.toISOString() ?? "never"}\tnext ${s.nextRunAt.toISOString()}\t${health}\n`,
          );
        }
      return 0;
    }
    if (!name)
      return usage(
        `${cmd} needs a source NAME (one of: ${ctx.scheduler.names().join(", ") || "none configured"})`,
      );
    if (!ctx.scheduler.names().includes(name))
      return usage(
        `no polled source named ${name} (configured: ${ctx.scheduler.names().join(", ") || "none"})`,
      );
    const out = await ctx.scheduler.runOnce(
      name,
      cmd === "replay" ? { window: { from: from!, to: to! } } : {},
    );
    switch (out.kind) {
      case "ok":
        process.stdout.write(
          `${name}: ${out.ingest.accepted + out.ingest.duplicates} alert(s) read, ${out.ingest.accepted} new, ${out.ingest.duplicates} already in${out.replay ? ` (replay ${out.replay.from}..${out.replay.to})` : ""}\n`,
        );
        for (const n of out.notes) process.stdout.write(`  note: ${n}\n`);
        return 0;
      case "busy":
        process.stderr.write(
          `eolgate sources: ${name} is being polled by ${out.heldBy ?? "another process"}; try again later\n`,
        );
        return 75;
      case "circuit_open":
        process.stderr.write(
          `eolgate sources: ${name}'s circuit is open until ${new Date(out.retryAt).toISOString()}\n`,
        );
        return 1;
      case "lease_lost":
        process.stderr.write(`eolgate sources: ${name}'s lease was lost mid-run; nothing was stored\n`);
        return 1;
      case "failed":
        process.stderr.write(
          `eolgate sources: ${name} failed (${out.failure.kind}): ${out.failure.reason}; ${out.ingest.accepted} alert(s) read before the failure are in\n`,
        );
        return 1;
    }
  } finally {
    await ctx.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { from: { type: "string" }, to: { type: "string" }, json: { type: "boolean" } },
  });
}
