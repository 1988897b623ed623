import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ensureConsoleBuilt } from "../support/browser.ts";

/**
 * The console as `npm ci` builds it (DESIGN §12, issue 13): the JS a first visit loads stays under
 * 300 KB gzipped, the page carries no inline script (the CSP would refuse it), and every text asset
 * has the brotli and gzip copies the server sends as they are.
 */
const DIST = join(import.meta.dirname, "..", "..", "dist", "console");

describe("the built console", () => {
  ensureConsoleBuilt();
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);

  it("loads under 300 KB of gzipped JS up front", () => {
    expect(initial.length).toBeGreaterThan(0);
    const gz = initial.reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
    expect(gz).toBeLessThan(300 * 1024);
  });

  it("has no inline script and no inline event handler", () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it("ships brotli and gzip copies of what it loads up front", () => {
    for (const f of initial) {
      const raw = readFileSync(join(DIST, f));
      expect(readFileSync(join(DIST, `${f}.br`)).length).toBeLessThan(raw.length);
      expect(readFileSync(join(DIST, `${f}.gz`)).length).toBeLessThan(raw.length);
    }
  });
});
