import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { hasRole, type Principal } from "../users/roles.ts";
import type { SessionInfo } from "./api.types.ts";
import type { HttpDeps } from "./deps.ts";
import { foreignOrigin, unauthorized, validationFailed } from "./errors.ts";
import { docSchema } from "./openapi.ts";
import {
  checkOrigin,
  clearSessionCookie,
  SESSION_COOKIE,
  sessionSecret,
  setSessionCookie,
} from "./session.ts";

/**
 * The console's sign-in (DESIGN §12): `POST /v1/session {token}` exchanges a user token (or
 * API_TOKEN) for the session cookie, `GET /v1/session` says who the browser is and what the page may
 * offer them, `DELETE /v1/session` signs out. Open routes: they are how a caller gets credentials.
 */
const SignIn = z.object({ token: z.string().trim().min(1, "token is required").max(512) });

function info(
  principal: Principal | null,
  open: boolean,
  expiresAt: Date | null,
  currency: string,
): SessionInfo {
  return {
    authenticated: principal !== null,
    open,
    user: principal ? { name: principal.name, role: principal.role, via: principal.via } : null,
    can: {
      act: principal !== null && hasRole(principal.role, "decider"),
      admin: principal !== null && hasRole(principal.role, "admin"),
    },
    expires_at: expiresAt?.toISOString() ?? null,
    currency,
  };
}

const ANONYMOUS_ORIGIN_CHECK: Principal = { name: "anonymous", role: "viewer", userId: null, via: "open" };

export async function registerSessionRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, "auth" | "sessions" | "now" | "publicBaseUrl"> & {
    config: Pick<HttpDeps["config"], "impact">;
  },
) {
  const currency = deps.config.impact.CURRENCY;
  const doc = (summary: string, extra: Record<string, unknown> = {}) => ({
    config: { open: true },
    schema: { summary, tags: ["console"], ...extra },
  });
  const sameSite = (req: FastifyRequest) => checkOrigin(req, ANONYMOUS_ORIGIN_CHECK, deps.publicBaseUrl);

  app.get(
    "/v1/session",
    doc("Who the console's browser is signed in as, and what it may do"),
    async (req) => {
      const secret = sessionSecret(req);
      const session = secret ? await deps.sessions.resolve(secret, deps.now()) : null;
      const open = await deps.auth.isOpen();
      if (session) return info(session.principal, open, session.expiresAt, currency);
      return open
        ? info({ name: "anonymous", role: "admin", userId: null, via: "open" }, true, null, currency)
        : info(null, false, null, currency);
    },
  );

  app.post(
    "/v1/session",
    doc("Sign in to the console with a user token (or API_TOKEN); sets an HttpOnly session cookie", {
      body: docSchema(SignIn),
    }),
    async (req, reply) => {
      const origin = sameSite(req);
      if (origin.kind === "refused") return foreignOrigin(reply, origin.reason);
      const body = SignIn.safeParse(req.body ?? {});
      if (!body.success)
        return validationFailed(
          reply,
          body.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
        );
      const out = await deps.sessions.signIn(body.data.token, deps.now());
      if (out.kind === "refused") return unauthorized(reply, "unknown, disabled or wrong token");
      setSessionCookie(req, reply, out.secret);
      return info(out.principal, await deps.auth.isOpen(), out.expiresAt, currency);
    },
  );

  app.delete(
    "/v1/session",
    doc(`Sign out: ends the session and clears the ${SESSION_COOKIE} cookie`),
    async (req, reply) => {
      const origin = sameSite(req);
      if (origin.kind === "refused") return foreignOrigin(reply, origin.reason);
      const secret = sessionSecret(req);
      if (secret) await deps.sessions.signOut(secret);
      clearSessionCookie(req, reply);
      return info(null, await deps.auth.isOpen(), null, currency);
    },
  );
}
