import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The console (DESIGN §12), built at install time (`npm run build`, run by `npm ci` through
 * `prepare`) into dist/console, which the API process serves at `/`. Assets get content hashes in
 * their names, so the server can let browsers cache them for a year.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/console",
    emptyOutDir: true,
    target: "es2022",
    // The budget is checked by test/console/bundle.test.ts (initial JS under 300 KB gzipped).
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { "/v1": "http://127.0.0.1:8000" } },
});
