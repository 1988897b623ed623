import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CONSOLE_PAGES } from "./console.paths.ts";
import { consoleNotBuilt, seeOther } from "./errors.ts";

/**
 * The console (DESIGN §12) as the API process serves it: the files Vite built into dist/console, and
 * index.html for each client route (CONSOLE_PAGES) so a deep link like /cases/<id> opens its page.
 * Only those routes answer with the page, so /v1, /docs, /healthz, /readyz and /metrics are never
 * shadowed and an unknown path is still a JSON 404.
 *
 * Compression: assets go out as the build compressed them (brotli or gzip, with Vary), so a page
 * load costs no compression work; the rest is compressed on the fly (web.security.ts).
 *
 * Caching: files under /assets/ carry a content hash in their names and are cached for a year
 * (immutable); index.html and the rest are revalidated on every load (ETag), so a new build is
 * picked up at once. Every route here is open (the page itself holds no data; the API behind it
 * asks who is calling).
 */
export interface ConsoleDeps {
  /** dist/console (or CONSOLE_DIR); null when the console was not built. */
  consoleDir: string | null;
}

const YEAR_SECONDS = 365 * 24 * 3600;

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route answers without a caller (the console's files and pages, the session routes). */
    open?: boolean;
  }
}

/** The built console under `dir`, or null when index.html is not there. */
export function findConsoleDir(candidates: readonly string[]): string | null {
  return candidates.find((d) => existsSync(join(d, "index.html"))) ?? null;
}

export async function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  app.addHook("onRoute", (route) => {
    route.config = { ...(route.config ?? {}), open: true };
  });
  const dir = deps.consoleDir;
  const index = dir ? readFileSync(join(dir, "index.html")) : null;

  if (dir) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: "/",
      // One route per built file, found at start: nothing but those files is served from the folder.
      wildcard: false,
      index: false,
      // The build's brotli and gzip copies (console/vite.config.ts) are sent in place of the asset
      // when the browser accepts them, never as routes of their own.
      preCompressed: true,
      globIgnore: ["index.html", "**/*.br", "**/*.gz"],
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          "cache-control",
          path.includes("/assets/") ? `public, max-age=${YEAR_SECONDS}, immutable` : "no-cache",
        );
      },
    });
  }

  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!index) return consoleNotBuilt(reply);
    // A case link followed by an API client (Accept: application/json, not HTML) gets the case's JSON.
    const id = (req.params as { id?: string }).id;
    if (id !== undefined && wantsJson(req.headers.accept)) {
      return seeOther(reply, `/v1/cases/${encodeURIComponent(id)}`);
    }
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(index);
  };
  for (const path of Object.values(CONSOLE_PAGES)) {
    app.get(path, { schema: { hide: true } }, page);
  }
}

function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const a = accept.toLowerCase();
  return /\bapplication\/(json|[\w.+-]*\+json)\b/.test(a) && !a.includes("text/html");
}
