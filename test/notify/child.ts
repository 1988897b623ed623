import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts test/notify/dispatcher.child.ts in its own Node process and waits for "ready". */
export interface ChildDispatcher {
  proc: ChildProcess;
  /** Resolves when the process has exited (with its signal, e.g. SIGKILL). */
  exited: Promise<NodeJS.Signals | null>;
  /** SIGTERM (drain) and wait; a no-op once exited. */
  stop(): Promise<void>;
}

export async function startChildDispatcher(env: Record<string, string>): Promise<ChildDispatcher> {
  const script = fileURLToPath(new URL("./dispatcher.child.ts", import.meta.url));
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((ok) => proc.once("exit", (_code, signal) => ok(signal)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`child dispatcher not ready in 20 s: ${stderr}`)), 20_000);
    proc.stdout?.on("data", (c: Buffer) => {
      if (c.toString().includes("ready")) {
        clearTimeout(timer);
        ok();
      }
    });
    proc.once("exit", () => {
      clearTimeout(timer);
      fail(new Error(`child dispatcher exited before ready: ${stderr}`));
    });
  });
  return {
    proc,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}
