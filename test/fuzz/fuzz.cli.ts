import { parseArgs } from "node:util";
import { runFuzz } from "./fuzz.runner.ts";

/** `npm run fuzz -- --runs N [--seed S]`: the route fuzzer outside the test suite, for longer runs. */
const { values } = parseArgs({
  options: { runs: { type: "string", default: "20000" }, seed: { type: "string" } },
});
const requests = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(requests) || requests <= 0) {
  process.stderr.write("fuzz: --runs must be a positive whole number of requests\n");
  process.exit(2);
}
process.stdout.write(`fuzz: ${requests} requests, seed ${seed}\n`);
const started = Date.now();
try {
  const report = await runFuzz({ requests, seed });
  process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
  process.exit(0);
} catch (err) {
  process.stderr.write(`fuzz: FAILED (seed ${seed})\n${(err as Error).message}\n`);
  process.exit(1);
}
