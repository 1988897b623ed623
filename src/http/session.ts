import type { FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../users/roles.ts";
import { SESSION_MAX_AGE_SECONDS, type Sessions } from "../users/sessions.service.ts";

/**
 * The console's session cookie and the checks that go with it (DESIGN §12):
 *  - the cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
 *    Path=/, and Secure when the browser came over TLS (directly, or through a proxy trusted with
 *    TRUST_PROXY to say so in X-Forwarded-Proto);
 *  - a state-changing call made with the cookie must carry an Origin (or Referer) of this site;
 *    one made without any credentials (an open local trial) is refused when it names another site.
 *    A bearer token is not ambient, so calls with one are not checked.
 */
export const SESSION_COOKIE = "eolgate_session";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sessionSecret(req: FastifyRequest): string | null {
  const v = req.cookies?.[SESSION_COOKIE];
  return typeof v === "string" && v.length > 0 ? v : null;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secret: string): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "strict",
    secure: req.protocol === "https",
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "strict",
    secure: req.protocol === "https",
    path: "/",
  });
}

/** The principal of the request's session cookie, or null (none, lapsed, or revoked). */
export async function sessionPrincipal(
  sessions: Sessions,
  req: FastifyRequest,
  now: Date,
): Promise<Principal | null> {
  const secret = sessionSecret(req);
  if (!secret) return null;
  return (await sessions.resolve(secret, now))?.principal ?? null;
}

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** The origins this site is reached at: the request's own host, and PUBLIC_BASE_URL's. */
function ownOrigins(req: FastifyRequest, publicBaseUrl: string): string[] {
  const own = originOf(`${req.protocol}://${req.headers.host ?? req.hostname}`);
  const pub = originOf(publicBaseUrl);
  return [own, pub].filter((o): o is string => o !== null);
}

export type OriginVerdict = { kind: "ok" } | { kind: "refused"; reason: string };

export function checkOrigin(req: FastifyRequest, principal: Principal, publicBaseUrl: string): OriginVerdict {
  if (SAFE_METHODS.has(req.method)) return { kind: "ok" };
  if (principal.via !== "session" && principal.via !== "open") return { kind: "ok" };
  const origin = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  if (origin === null) {
    return principal.via === "session"
      ? { kind: "refused", reason: "a call made with the console's session must carry an Origin header" }
      : { kind: "ok" };
  }
  if (ownOrigins(req, publicBaseUrl).includes(origin)) return { kind: "ok" };
  return { kind: "refused", reason: `requests from ${origin} may not change anything here` };
}
