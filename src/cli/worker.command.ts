import { run as serve } from "./serve.command.ts";

/** `eolgate worker`: the same as `eolgate serve --role worker`. */
export function run(args: string[]): Promise<number> {
  return serve(args, "worker");
}
