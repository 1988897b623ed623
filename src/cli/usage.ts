/**
 * A command's arguments, parsed, or null after printing the problem and the usage to standard error
 * (the command then exits 2, the usage exit code of every `eolgate` command).
 */
export function parseOrUsage<T>(command: string, usage: string, parse: () => T): T | null {
  try {
    return parse();
  } catch (err) {
    process.stderr.write(`eolgate ${command}: ${(err as Error).message}\n${usage}`);
    return null;
  }
}
