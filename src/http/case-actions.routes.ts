import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { getCase } from "../cases/cases.query.ts";
import { isoDay } from "../impact/impact.model.ts";
import type { SqlDriver } from "../store/driver.ts";
import { ActionRequest, CASE_ACTIONS, CASE_STATES } from "../workflow/case.workflow.ts";
import { actOnCase } from "../workflow/case-actions.service.ts";
import { eventsOf } from "../workflow/case-events.repository.ts";
import { currentWorkflowVersion } from "../workflow/case-workflow.query.ts";
import { forbidden, illegalTransition, notFound, validationFailed, versionConflict } from "./errors.ts";
import { docSchema, MANAGEMENT_ERRORS, responses } from "./openapi.ts";
import { callerOf } from "./principal.ts";

/**
 * DESIGN §11: `POST /v1/cases/{id}/actions` (deciders) and `GET /v1/cases/{id}/events` (viewers).
 * An applied action answers 200 with the updated case; a stale version 409 with the current case;
 * a move the workflow forbids 409 naming both states; a missing role 403.
 */
const CaseParams = z.object({ id: z.uuid() });
const issuesOf = (e: z.ZodError) =>
  e.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));

const EventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  from: z.enum(CASE_STATES),
  to: z.enum(CASE_STATES),
  version: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
});

export async function registerCaseActionRoutes(
  app: FastifyInstance,
  deps: { db: SqlDriver; now: () => Date },
) {
  app.post(
    "/v1/cases/:id/actions",
    {
      config: { role: "decider" },
      schema: {
        summary: "Act on a case: acknowledge, assign, decide, start, close, dismiss, reopen or comment",
        description:
          `Actions: ${CASE_ACTIONS.join(", ")}. \`version\` is the case's current version (optimistic ` +
          "concurrency); every action raises it. Needs the decider role.",
        tags: ["cases"],
        security: [{ bearer: [] }],
        params: docSchema(CaseParams),
        body: docSchema(ActionRequest),
        response: responses({ 200: { description: "the updated case" } }, [
          ...MANAGEMENT_ERRORS,
          404,
          409,
          414,
        ]),
      },
    },
    async (req, reply) => {
      const p = CaseParams.safeParse(req.params);
      if (!p.success) return validationFailed(reply, issuesOf(p.error));
      const body = ActionRequest.safeParse(req.body ?? {});
      if (!body.success) return validationFailed(reply, issuesOf(body.error));
      const now = deps.now();
      const out = await actOnCase(deps.db, p.data.id, body.data, callerOf(req), now);
      const current = () => getCase(deps.db, p.data.id, isoDay(now));
      switch (out.kind) {
        case "applied":
          return current();
        case "not_found":
          return notFound(reply, "no such case");
        case "forbidden":
          return forbidden(reply, out.needed, out.role);
        case "version_conflict":
          return versionConflict(reply, await current());
        case "illegal_transition":
          return illegalTransition(reply, out.from, out.to);
        case "unknown_assignee":
          return validationFailed(reply, [
            { path: "assignee", message: `no active user named '${out.assignee}'` },
          ]);
      }
    },
  );

  app.get(
    "/v1/cases/:id/events",
    {
      schema: {
        summary: "The case's history: every change, who made it and when (append-only)",
        tags: ["cases"],
        security: [{ bearer: [] }],
        params: docSchema(CaseParams),
        response: responses(
          {
            200: {
              description: "the case's events",
              schema: z.object({ case_id: z.string(), events: z.array(EventSchema) }),
            },
          },
          [...MANAGEMENT_ERRORS, 404, 414],
        ),
      },
    },
    async (req, reply) => {
      const p = CaseParams.safeParse(req.params);
      if (!p.success) return validationFailed(reply, issuesOf(p.error));
      if ((await currentWorkflowVersion(deps.db, p.data.id)) === null) return notFound(reply, "no such case");
      return { case_id: p.data.id, events: await eventsOf(deps.db, p.data.id) };
    },
  );
}
