import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { type Role, startGateway } from "../main.ts";
import { createLogger } from "../observability/logger.ts";
import { wantsHelp } from "./help.ts";

const ROLES = new Set<Role>(["all", "api", "worker"]);

const USAGE =
  "usage: eolgate serve [--role all|api|worker]\n" +
  "       eolgate worker                (= serve --role worker)\n" +
  "  all (default): API on HOST:PORT (127.0.0.1:8000) and the workers in one process, embedded store\n" +
  "    under DATA_DIR (default data/ in the eolgate folder) unless DATABASE_URL is set\n" +
  "  api: the API only (needs DATABASE_URL to share work with workers)\n" +
  "  worker: the workers only; /metrics and /healthz on HOST:WORKER_PORT (8001)\n" +
  "  stops on SIGTERM/SIGINT after draining in-hand work (DRAIN_TIMEOUT_SECONDS)\n";

/** `eolgate serve [--role all|api|worker]`: runs until SIGTERM/SIGINT, then drains and exits 0. */
export async function run(args: string[], forcedRole?: Role): Promise<number> {
  if (wantsHelp(args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let values: { role: string };
  try {
    ({ values } = parseArgs({ args, options: { role: { type: "string", default: "all" } }, strict: true }));
  } catch (err) {
    process.stderr.write(`eolgate serve: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const role = (forcedRole ?? values.role) as Role;
  if (!ROLES.has(role)) {
    process.stderr.write(`eolgate serve: --role must be all, api or worker (got '${String(values.role)}')\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.log);
  const gateway = await startGateway(config, logger, role);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "stopping: draining in-flight work");
      resolve();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  // Drain: ingest stops, in-hand notices finish within DRAIN_TIMEOUT_SECONDS or are released to
  // other workers. A second signal means "now": whatever is still held is reclaimed after its lease.
  const force = (signal: string) => {
    logger.warn({ signal }, "second signal: exiting without finishing the drain");
    logger.flush();
    process.exit(1);
  };
  process.once("SIGTERM", () => force("SIGTERM"));
  process.once("SIGINT", () => force("SIGINT"));
  const deadlineMs = config.pipeline.DRAIN_TIMEOUT_SECONDS * 1000;
  const closed = await closeWithin(gateway.close(), deadlineMs);
  if (closed) logger.info("stopped");
  else
    logger.warn(
      { deadline_seconds: config.pipeline.DRAIN_TIMEOUT_SECONDS },
      "drain deadline passed; exiting anyway",
    );
  logger.flush();
  // Exit now: an unreachable Redis keeps reconnect timers alive that would hold the process open.
  process.exit(closed ? 0 : 1);
}

/** True when `closing` settled within `ms`; false when the deadline came first. */
async function closeWithin(closing: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      closing.then(
        () => true as const,
        () => true as const,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
