import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Ingestor } from "../ingest/ingest.ts";
import type { Registry } from "../observability/metrics.ts";
import type { SqlDriver } from "../store/driver.ts";

/**
 * What route plugins receive. Each area registers its routes as `register…Routes(app, deps)`,
 * and `src/http/app.ts` wires them; areas never reach into each other's modules through the app.
 */
export interface HttpDeps {
  config: Config;
  db: SqlDriver;
  ingestor: Ingestor;
  metrics: Registry;
  logger: Logger;
  /** Injected clock (tests pin it). */
  now: () => Date;
}
