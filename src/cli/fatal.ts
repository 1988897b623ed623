import { ConfigError } from "../config.ts";

/**
 * A start error as the one line an operator reads and the exit code scripts test: the cause first
 * (a taken port, a bad setting, the store in use), the stack only for the unexpected.
 */
export function fatal(err: unknown): { line: string; code: number } {
  // By name: importing the class would load the PGlite driver into every command.
  if (err instanceof Error && err.name === "StoreInUseError") return { line: err.message, code: 75 }; // EX_TEMPFAIL
  if (err instanceof ConfigError) return { line: err.message, code: 78 }; // EX_CONFIG
  // A store that cannot be reached as configured, or a command that cannot do its job for a reason a
  // person fixes: one line, no stack.
  if (err instanceof Error && err.name === "StoreUnavailableError") return { line: err.message, code: 69 }; // EX_UNAVAILABLE
  if (err instanceof Error && err.name === "CommandError") return { line: err.message, code: 1 };
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code === "EADDRINUSE")
    return {
      line: `cannot listen on ${e.address ?? "?"}:${e.port ?? "?"}: address already in use (EADDRINUSE)`,
      code: 69,
    };
  if (e?.code === "EACCES" && e.syscall === "listen")
    return {
      line: `cannot listen on ${e.address ?? "?"}:${e.port ?? "?"}: permission denied (EACCES)`,
      code: 77,
    };
  if (e?.code === "ECONNREFUSED" || e?.code === "ENOTFOUND" || e?.code === "ETIMEDOUT")
    return { line: `cannot reach a dependency: ${e.message}`, code: 69 }; // EX_UNAVAILABLE
  return { line: err instanceof Error ? (err.stack ?? err.message) : String(err), code: 1 };
}
