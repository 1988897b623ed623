import type { FastifyReply, FastifyRequest } from "fastify";
import type { AuthService } from "../users/auth.service.ts";
import { hasRole, type Principal, type Role } from "../users/roles.ts";
import { bearerToken } from "./auth.ts";
import { forbidden, unauthorized } from "./errors.ts";

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

/** The onRequest check of a management route; answers 401/403 itself and returns false then. */
export async function authorize(
  auth: AuthService,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const out = await auth.authenticate(bearerToken(req.headers.authorization));
  if (out.kind === "unauthenticated") {
    await unauthorized(reply, out.reason);
    return false;
  }
  req.principal = out.principal;
  const needed = requiredRole(req);
  if (!hasRole(out.principal.role, needed)) {
    await forbidden(reply, needed, out.principal.role);
    return false;
  }
  return true;
}

/** The caller of a route behind `authorize` (always set there). */
export function callerOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`route ${req.routeOptions.url} reached without authorization`);
  return req.principal;
}
