import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_PATH as CHROMIUM, CHROMIUM_ARGS } from "./chromium.ts";

/**
 * Debian's Chromium driven by playwright-core (never a browser download): what every browser test
 * uses, with axe-core for accessibility and the console's build kept fresh.
 */

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}

const ROOT = join(import.meta.dirname, "..", "..");
const BUILT = join(ROOT, "dist", "console", "index.html");

function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/**
 * The console as `npm run build` makes it (npm ci runs it). Rebuilt here when its sources changed
 * since, so a browser test never runs a stale page.
 */
export function ensureConsoleBuilt(): void {
  const sources = Math.max(
    newest(join(ROOT, "console")),
    statSync(join(ROOT, "src", "http", "console.paths.ts")).mtimeMs,
  );
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) return;
  const r = spawnSync("npm", ["run", "build:console"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build:console failed: ${r.stderr || r.stdout}`);
}

const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it is; the serious and critical ones. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const r = (await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => String(n.target.join(" "))),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Where screenshots go: CONSOLE_SCREENSHOTS (docs/console to refresh the docs), else a temp folder. */
export function screenshotDir(fallback: string): string {
  const dir = process.env.CONSOLE_SCREENSHOTS ? join(ROOT, process.env.CONSOLE_SCREENSHOTS) : fallback;
  mkdirSync(dir, { recursive: true });
  return dir;
}
