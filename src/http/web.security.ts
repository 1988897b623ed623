import compress from "@fastify/compress";
import etag from "@fastify/etag";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/**
 * What a browser needs from every answer of the API process, now that people use it through the
 * console (DESIGN §12):
 *  - security headers (helmet): a CSP with no inline script and no framing (`frame-ancestors 'none'`),
 *    nosniff, no referrer across origins, HSTS only where the request came over TLS;
 *  - compression (gzip/brotli) of anything over 1 KiB the client accepts compressed;
 *  - an ETag on every answer, and 304 when the client already has it: the console polls a case
 *    and its events every few seconds, and an unchanged case then costs a few bytes.
 *
 * Registered before the routes so the route-level compression hooks see every route, and after the
 * ETag hook so the tag is computed over the uncompressed body (the same tag for every encoding).
 */
export async function registerWebSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    // HSTS is for a deployment behind TLS; helmet would send it on plain http too.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: "deny" },
  });
  app.addHook("onRequest", async (req, reply) => {
    if (req.protocol === "https") reply.header("strict-transport-security", "max-age=15552000");
  });
  await app.register(etag, { weak: true });
  await app.register(compress, { global: true, threshold: 1024 });
}
