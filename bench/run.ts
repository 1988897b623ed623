/**
 * `npm run bench [-- NAME…]`: runs the named benchmarks (all when none), one after another, each
 * writing its results to bench/results/. Names are the files bench/NAME.bench.ts.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .sort();
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : available;
for (const name of wanted) {
  const file = join(dir, `${name}.bench.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark '${name}' (have: ${available.join(", ")})`);
    process.exitCode = 2;
    continue;
  }
  console.error(`\n=== bench ${name}`);
  const mod = (await import(pathToFileURL(file).href)) as { main?: () => Promise<void> };
  if (mod.main) await mod.main();
}
