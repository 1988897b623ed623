/** `--help` or `-h` anywhere in a command's arguments: print its usage to stdout and exit 0. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes("--help") || args.includes("-h");
}
