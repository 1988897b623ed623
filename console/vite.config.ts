import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * The console (DESIGN §12), built at install time (`npm run build`, run by `npm ci` through
 * `prepare`) into dist/console, which the API process serves at `/`. Assets get content hashes in
 * their names, so the server can let browsers cache them for a year.
 */
const OUT = join(import.meta.dirname, "..", "dist", "console");

/**
 * Brotli (quality 11) and gzip (level 9) copies of every text asset, written once at build time and
 * served as they are (@fastify/static `preCompressed`): compressing the 370 KB bundle per request
 * costs the server 50–700 ms of CPU on a busy machine, which the Cases page's first render waited on.
 */
function precompress(): Plugin {
  return {
    name: "eolgate-precompress",
    apply: "build",
    writeBundle() {
      const assets = join(OUT, "assets");
      for (const f of readdirSync(assets)) {
        if (!/\.(js|css|svg)$/.test(f)) continue;
        const raw = readFileSync(join(assets, f));
        writeFileSync(
          join(assets, `${f}.br`),
          brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(join(assets, `${f}.gz`), gzipSync(raw, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react(), precompress()],
  build: {
    outDir: OUT,
    emptyOutDir: true,
    target: "es2022",
    // The budget (initial JS under 300 KB gzipped) is checked by test/console/bundle.test.ts and
    // measured by bench/console.bench.ts.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { "/v1": "http://127.0.0.1:8000" } },
});
