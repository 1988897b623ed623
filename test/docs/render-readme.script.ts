/**
 * Renders README.md as a reader sees it (marked, GitHub-flavoured Markdown) to HTML, and a
 * screenshot of the whole page by Debian's Chromium, headless, into docs/readme.png:
 *   node --import tsx test/docs/render-readme.script.ts
 * test/docs/readme.test.ts checks the same rendering mechanically (sections, fences, files named).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked } from "marked";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const body = await marked.parse(readFileSync(join(ROOT, "README.md"), "utf8"), { gfm: true });
const CSS = `body{font:15px/1.5 -apple-system,"Segoe UI","Helvetica Neue",Arial,sans-serif;color:#1f2328;
max-width:980px;margin:0 auto;padding:24px}h1,h2{border-bottom:1px solid #d1d9e0;padding-bottom:.3em}
code{background:#eff1f3;padding:.2em .4em;border-radius:6px;font-size:85%}pre{background:#f6f8fa;padding:16px;
border-radius:6px;overflow:auto}pre code{background:none;padding:0}table{border-collapse:collapse;display:block;
overflow:auto}td,th{border:1px solid #d1d9e0;padding:6px 13px;vertical-align:top}th{background:#f6f8fa}`;
const page = join(mkdtempSync(join(tmpdir(), "eolgate-readme-")), "README.html");
writeFileSync(page, `<!doctype html><meta charset="utf-8"><style>${CSS}</style>${body}`);
const out = join(ROOT, "docs", "readme.png");
const r = spawnSync(CHROMIUM_PATH, [
  ...CHROMIUM_ARGS,
  "--hide-scrollbars",
  "--window-size=1030,9000",
  `--screenshot=${out}`,
  `file://${page}`,
]);
if (r.status !== 0) throw new Error(`chromium failed: ${r.stderr}`);
console.log(`rendered ${page} and ${out}`);
