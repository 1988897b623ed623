import type { Config } from "../config.ts";
import { configuredStoreLocation, gatewayOfStore, openConfiguredStore, type StoreLocation } from "../main.ts";
import type { SqlDriver } from "../store/driver.ts";
import { CommandError, type GatewayApi, reachGateway, runningGateway } from "./gateway.api.ts";

/**
 * How a command reaches the store the configuration names, said on stderr before it does anything:
 * - the store itself (PostgreSQL, or the embedded store when no process holds it);
 * - the running gateway's API, when that gateway holds the embedded store (it wrote where it
 *   answers beside the store's lock; failing that, HOST:PORT is tried).
 * An embedded store that does not exist yet is created only by a command that fills it (`import`),
 * which says so; a command that only reads (`assess`, `reevaluate`, `dead-letters`) refuses, naming
 * the folder, instead of answering from an empty store.
 */
export type StoreAccess =
  | { kind: "store"; db: SqlDriver; location: StoreLocation }
  | { kind: "gateway"; api: GatewayApi; location: StoreLocation };

export async function accessStore(
  config: Config,
  command: string,
  opts: { create: boolean },
): Promise<StoreAccess> {
  const location = configuredStoreLocation(config);
  const say = (line: string) => process.stderr.write(`eolgate ${command}: ${line}\n`);
  if (location.kind === "pglite" && !location.exists) {
    if (!opts.create)
      throw new CommandError(
        `no store in ${location.dataDir} (DATA_DIR): nothing has been imported there. ` +
          "Import a BOM first (eolgate import …), or set DATA_DIR to the folder of your store.",
      );
    say(`creating a new ${location.display}`);
  }
  try {
    const db = await openConfiguredStore(config);
    say(`store: ${location.display}`);
    return { kind: "store", db, location };
  } catch (err) {
    if (!(err instanceof Error && err.name === "StoreInUseError")) throw err;
    const api = await holderApi(config, location);
    if (!api) throw err;
    say(`store: ${location.display}, held by the gateway at ${api.url}: going through its API`);
    return { kind: "gateway", api, location };
  }
}

async function holderApi(config: Config, location: StoreLocation): Promise<GatewayApi | null> {
  const written = gatewayOfStore(location);
  if (written) {
    const api = await reachGateway(written.url, config.http.API_TOKEN);
    if (api) return api;
  }
  return runningGateway(config.http);
}

export async function closeAccess(a: StoreAccess): Promise<void> {
  if (a.kind === "store") await a.db.close();
}
