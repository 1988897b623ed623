#!/usr/bin/env node
// The eolgate command. Runs the compiled build (dist/, made by `npm run build`, which `npm ci` runs
// through `prepare`) when it is at least as new as the sources; otherwise runs the TypeScript sources
// through tsx, so an edited clone never runs stale code. EOLGATE_FROM_SOURCE=1 forces the sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "main.js");

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    if (t > max) max = t;
  }
  return max;
}

const useBuild =
  process.env.EOLGATE_FROM_SOURCE !== "1" &&
  existsSync(built) &&
  (!existsSync(join(root, "src")) || newest(join(root, "dist")) >= newest(join(root, "src")));

if (useBuild) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
}
