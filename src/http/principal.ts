import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthService } from "../users/auth.service.ts";
import { hasRole, type Principal, type Role } from "../users/roles.ts";
import type { Sessions } from "../users/sessions.service.ts";
import { bearerToken } from "./auth.ts";
import { forbidden, foreignOrigin, unauthorized } from "./errors.ts";
import { checkOrigin, sessionPrincipal } from "./session.ts";

/**
 * Who is calling, on every management route (DESIGN §11): the auth hook resolves the bearer token
 * to a principal and checks the role the route needs. A route states its role in its config
 * (`config: { role: "decider" }`); without one, reading (GET/HEAD) needs `viewer` and anything else
 * `admin`, so a new write route is closed to deciders until it says otherwise.
 */
declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    role?: Role;
  }
}

export function requiredRole(req: FastifyRequest): Role {
  return (
    req.routeOptions.config?.role ?? (req.method === "GET" || req.method === "HEAD" ? "viewer" : "admin")
  );
}

export interface CallerDeps {
  auth: AuthService;
  /** Console sign-ins: a session cookie stands for its user when no bearer token is given. */
  sessions: Sessions;
  publicBaseUrl: string;
  now: () => Date;
}

/**
 * The onRequest check of a management route; answers 401/403 itself and returns false then. The
 * caller is the bearer token's, else the console session's, else (a local trial with no API_TOKEN
 * and no user) anonymous; a state-changing call by cookie or without credentials must come from
 * this site (session.ts).
 */
export async function authorize(
  deps: CallerDeps,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const bearer = bearerToken(req.headers.authorization);
  let principal = bearer === null ? await sessionPrincipal(deps.sessions, req, deps.now()) : null;
  if (!principal) {
    const out = await deps.auth.authenticate(bearer);
    if (out.kind === "unauthenticated") {
      await unauthorized(reply, out.reason);
      return false;
    }
    principal = out.principal;
  }
  const origin = checkOrigin(req, principal, deps.publicBaseUrl);
  if (origin.kind === "refused") {
    await foreignOrigin(reply, origin.reason);
    return false;
  }
  req.principal = principal;
  const needed = requiredRole(req);
  if (!hasRole(principal.role, needed)) {
    await forbidden(reply, needed, principal.role);
    return false;
  }
  return true;
}

/** The caller of a route behind `authorize` (always set there). */
export function callerOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`route ${req.routeOptions.url} reached without authorization`);
  return req.principal;
}
