// Placeholder until its issue lands: the command exists so the CLI table typechecks.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write("eolgate import: not available yet\n");
  return 2;
}
