/**
 * The `eolgate` command line (DESIGN §5). Each command lives in its own module, loaded on demand so
 * that `eolgate extract` does not pay for the HTTP server or the database drivers.
 */
import { fatal } from "./fatal.ts";

export interface CommandModule {
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { load: () => Promise<CommandModule>; help: string }> = {
  serve: {
    load: () => import("./serve.command.ts"),
    help: "serve [--role all|api|worker]   run the gateway",
  },
  worker: {
    load: () => import("./worker.command.ts"),
    help: "worker                          same as serve --role worker",
  },
  extract: {
    load: () => import("./extract.command.ts"),
    help: "extract [FILE.eml…]             notices as JSON Lines",
  },
  import: {
    load: () => import("./import.command.ts"),
    help: "import --assemblies F --parts F --bom F [--alternates F]",
  },
  "import-alerts": {
    load: () => import("./import-alerts.command.ts"),
    help: "import-alerts FILE [--source NAME] [--columns field=Header,…]   exported alerts (CSV/XLSX)",
  },
  scan: {
    load: () => import("./scan.command.ts"),
    help: "scan [--json]                   lifecycle status of every BOM part at the platform",
  },
  sources: {
    load: () => import("./sources.command.ts"),
    help: "sources [list|poll NAME|replay NAME --from D --to D]   polled sources",
  },
  assess: {
    load: () => import("./assess.command.ts"),
    help: "assess --mpn X [--manufacturer M] [--status S] [--ltb-date D] [--as-of D] [--json]",
  },
  reevaluate: {
    load: () => import("./reevaluate.command.ts"),
    help: "reevaluate [--since YYYY-MM-DD]  match and assess past notices again on the current BOM",
  },
  "dead-letters": {
    load: () => import("./dead-letters.command.ts"),
    help: "dead-letters list|replay ID|replay --all",
  },
  notifications: {
    load: () => import("./notifications.command.ts"),
    help: "notifications unconfirmed|resend ID…|resend --all",
  },
  users: {
    load: () => import("./users.command.ts"),
    help: "users add NAME --role R|list|disable NAME   people and their tokens",
  },
  cases: {
    load: () => import("./cases.command.ts"),
    help: "cases export [--format csv|xlsx] [--out F] [filters]",
  },
  review: {
    load: () => import("./review.command.ts"),
    help: "review export [--out F]         reviewed notices as a labels.json set",
  },
  demo: {
    load: () => import("./demo.command.ts"),
    help: "demo [--as-of YYYY-MM-DD]        sample company, notices, cases",
  },
};

function usage(): string {
  return `usage: eolgate <command> [options]     (eolgate <command> --help for one command)\n\n${Object.values(
    COMMANDS,
  )
    .map((c) => `  ${c.help}`)
    .join("\n")}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`eolgate: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A command that cannot run says why in one line and exits now: whatever it had opened (Redis
    // reconnects, timers) must not keep a process alive that does no work.
    const { line, code } = fatal(err);
    process.stderr.write(`eolgate: ${line}\n`);
    process.exit(code);
  },
);
