import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `eolgate <args>` from the sources as a real process and waits for /healthz when it serves. */
export async function spawnEolgate(
  args: string[],
  env: Record<string, string>,
  opts: { port?: number; waitForHealth?: boolean; healthTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  let out = "";
  const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, EOLGATE_FROM_SOURCE: "1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${opts.port ?? env.PORT}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  if (opts.waitForHealth !== false) {
    // A bound for a loaded machine (PGlite opens and migrates its folder at start), not a timing claim.
    const bound = opts.healthTimeoutMs ?? 90_000;
    const until = Date.now() + bound;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`eolgate exited early (${child.exitCode}):\n${out}`);
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > until) {
        child.kill("SIGKILL");
        throw new Error(`eolgate did not become healthy within ${bound / 1000} s:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    url,
    output: () => out,
    async kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `eolgate ARGS` from source to completion: exit code, standard output and error. */
export function runEolgate(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, EOLGATE_FROM_SOURCE: "1", LOG_LEVEL: "silent", ...env },
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}
