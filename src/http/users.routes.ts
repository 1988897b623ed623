import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { SqlDriver } from "../store/driver.ts";
import { addUser, disableUser, listUsers, NewUser } from "../users/users.service.ts";
import { conflictOn, created, notFound, validationFailed } from "./errors.ts";
import { docSchema, MANAGEMENT_ERRORS, responses } from "./openapi.ts";
import { callerOf } from "./principal.ts";

/**
 * Users (DESIGN §11), for admins: `GET /v1/users`, `POST /v1/users` (answers the token once),
 * `POST /v1/users/{id or name}/disable`. `GET /v1/me` tells any caller who they are (the console
 * shows it).
 */
const issuesOf = (e: z.ZodError) =>
  e.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
const ListQuery = z.object({ include_disabled: z.enum(["true", "false"]).default("false") });
const Who = z.object({ id: z.string().trim().min(1).max(100) });

export async function registerUserRoutes(app: FastifyInstance, deps: { db: SqlDriver; now: () => Date }) {
  app.get(
    "/v1/me",
    {
      schema: {
        summary: "The caller: name, role and how they signed in",
        tags: ["users"],
        security: [{ bearer: [] }],
        response: responses({ 200: { description: "{name, role, user_id, via}" } }, [401, 403]),
      },
    },
    async (req) => {
      const p = callerOf(req);
      return { name: p.name, role: p.role, user_id: p.userId, via: p.via };
    },
  );

  app.get(
    "/v1/users",
    {
      config: { role: "admin" },
      schema: {
        summary: "Users (admins)",
        tags: ["users"],
        security: [{ bearer: [] }],
        querystring: docSchema(ListQuery),
        response: responses({ 200: { description: "{users: [...]}" } }, MANAGEMENT_ERRORS),
      },
    },
    async (req, reply) => {
      const q = ListQuery.safeParse(req.query);
      if (!q.success) return validationFailed(reply, issuesOf(q.error));
      return { users: await listUsers(deps.db, { includeDisabled: q.data.include_disabled === "true" }) };
    },
  );

  app.post(
    "/v1/users",
    {
      config: { role: "admin" },
      schema: {
        summary: "Add a user; the answer holds its token, shown this once (admins)",
        tags: ["users"],
        security: [{ bearer: [] }],
        body: docSchema(NewUser),
        response: responses({ 201: { description: "{user, token}: the token is shown this once" } }, [
          ...MANAGEMENT_ERRORS,
          409,
        ]),
      },
    },
    async (req, reply) => {
      const body = NewUser.safeParse(req.body ?? {});
      if (!body.success) return validationFailed(reply, issuesOf(body.error));
      const out = await addUser(deps.db, body.data, deps.now());
      if (out.kind === "taken")
        return conflictOn(reply, "user_exists", {
          field: out.field,
          message: `a user with that ${out.field} exists`,
        });
      req.log.info({ user: out.user.id, role: out.user.role, by: callerOf(req).name }, "user added");
      return created(reply, { user: out.user, token: out.token });
    },
  );

  app.post(
    "/v1/users/:id/disable",
    {
      config: { role: "admin" },
      schema: {
        summary: "Disable a user (its token stops working at once)",
        tags: ["users"],
        security: [{ bearer: [] }],
        response: responses({ 200: { description: "the user, disabled" } }, [...MANAGEMENT_ERRORS, 404]),
      },
    },
    async (req, reply) => {
      const p = Who.safeParse(req.params);
      if (!p.success) return validationFailed(reply, issuesOf(p.error));
      const user = await disableUser(deps.db, p.data.id, deps.now());
      if (!user) return notFound(reply, "no such user");
      req.log.info({ user: user.id, by: callerOf(req).name }, "user disabled");
      return { user };
    },
  );
}
