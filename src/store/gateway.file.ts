import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Who serves the embedded store over HTTP. PGlite belongs to one process (the store lock keeps a
 * second one out), so a command that finds the store held asks the holder's API instead: the
 * gateway writes this file beside the lock when its API listens and removes it when it stops. The
 * lock says *that* the store is held and by which pid; this file says *where* that process answers.
 * A file left by a killed gateway is harmless: its pid is gone and its URL does not answer.
 */
export interface GatewayFile {
  pid: number;
  url: string;
  started_at: string;
}

const NAME = "eolgate.gateway.json";

export function writeGatewayFile(storeDir: string, g: GatewayFile): () => void {
  const path = join(storeDir, NAME);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(g)}\n`);
  renameSync(tmp, path);
  return () => {
    if (readGatewayFile(storeDir)?.pid === g.pid) rmSync(path, { force: true });
  };
}

export function readGatewayFile(storeDir: string): GatewayFile | null {
  try {
    const v = JSON.parse(readFileSync(join(storeDir, NAME), "utf8")) as Partial<GatewayFile>;
    return typeof v.pid === "number" && typeof v.url === "string"
      ? { pid: v.pid, url: v.url, started_at: String(v.started_at ?? "") }
      : null;
  } catch {
    return null;
  }
}
