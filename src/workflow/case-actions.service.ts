import type { OptionKind } from "../impact/impact.model.ts";
import type { Sql, SqlDriver } from "../store/driver.ts";
import { hasRole, type Principal, type Role } from "../users/roles.ts";
import { findActiveUser } from "../users/users.repository.ts";
import {
  type ActionRequest,
  type Applied,
  applyAction,
  type CaseState,
  materialForWorkflow,
  reopenByNotice,
  type Workflow,
} from "./case.workflow.ts";
import { appendEvent } from "./case-events.repository.ts";
import { recommendationOf } from "./case-recommendation.query.ts";
import { lockWorkflow, saveWorkflow } from "./case-workflow.repository.ts";

/**
 * People acting on cases: one transaction per action, holding the case's workflow row, so the
 * change and its event commit together and two concurrent actions on one case never both apply
 * (the second sees the first's version: `version_conflict`). The HTTP route and the Slack buttons
 * both come here, so the same rules hold for both.
 */
export const ACT_ROLE: Role = "decider";

export type ActOutcome =
  | { kind: "applied"; workflow: Workflow; event: Applied["event"] }
  | { kind: "not_found" }
  | { kind: "forbidden"; needed: Role; role: Role }
  | { kind: "version_conflict"; workflow: Workflow }
  | { kind: "illegal_transition"; from: CaseState; to: CaseState; workflow: Workflow }
  | { kind: "unknown_assignee"; assignee: string };

export async function actOnCase(
  db: SqlDriver,
  caseId: string,
  req: ActionRequest,
  who: Principal,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<ActOutcome> {
  if (!hasRole(who.role, ACT_ROLE)) return { kind: "forbidden", needed: ACT_ROLE, role: who.role };
  return db.transaction(async (tx) => {
    const current = await lockWorkflow(tx, caseId);
    if (!current) return { kind: "not_found" };
    let request = req;
    if (req.action === "assign" && req.assignee) {
      const user = await findActiveUser(tx, { name: req.assignee });
      if (!user) return { kind: "unknown_assignee", assignee: req.assignee };
      request = { ...req, assignee: user.name };
    }
    return record(tx, caseId, current, applyAction(current, request, who, now), who, now, extra);
  });
}

/**
 * An action composed into another service's transaction (the review queue dismisses or annotates the
 * cases of a notice a person withdrew): the same role, rules and event as `actOnCase`, applied to the
 * case's current version, which `build` sees (the caller acts on what it holds, not on a client's view).
 */
export async function actOnCaseIn(
  tx: Sql,
  caseId: string,
  build: (current: Workflow) => ActionRequest,
  who: Principal,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<ActOutcome> {
  if (!hasRole(who.role, ACT_ROLE)) return { kind: "forbidden", needed: ACT_ROLE, role: who.role };
  const current = await lockWorkflow(tx, caseId);
  if (!current) return { kind: "not_found" };
  return record(tx, caseId, current, applyAction(current, build(current), who, now), who, now, extra);
}

async function record(
  tx: Sql,
  caseId: string,
  current: Workflow,
  out: ReturnType<typeof applyAction>,
  who: Principal,
  now: Date,
  extra: Record<string, unknown>,
): Promise<ActOutcome> {
  if (out.kind === "version_conflict") return { kind: "version_conflict", workflow: current };
  if (out.kind === "illegal_transition") return { ...out, workflow: current };
  await saveWorkflow(tx, caseId, current.version, out.workflow, now);
  await appendEvent(tx, {
    caseId,
    version: out.workflow.version,
    at: now,
    actor: who.name,
    action: out.event.action,
    from: out.event.from,
    to: out.event.to,
    payload: { ...out.event.payload, ...(who.via === "slack" ? { via: "slack" } : {}), ...extra },
  });
  return { kind: "applied", workflow: out.workflow, event: out.event };
}

export type RecommendedOutcome =
  | ActOutcome
  | { kind: "no_recommendation" }
  | { kind: "recommendation_changed"; shown: string; current: string };

/**
 * "Decide as recommended" (the Slack button): decides the case's current recommendation, with the
 * last-time-buy or broker quantity the model computed. When the message showed another
 * recommendation than the case now has, nothing is decided: the person must look again.
 */
export async function decideAsRecommended(
  db: SqlDriver,
  caseId: string,
  who: Principal,
  now: Date,
  shown: { recommendation: string } | null,
  extra: Record<string, unknown> = {},
): Promise<RecommendedOutcome> {
  if (!hasRole(who.role, ACT_ROLE)) return { kind: "forbidden", needed: ACT_ROLE, role: who.role };
  return db.transaction(async (tx) => {
    const current = await lockWorkflow(tx, caseId);
    if (!current) return { kind: "not_found" };
    const rec = await recommendationOf(tx, caseId);
    if (!rec || rec.recommendation === "none") return { kind: "no_recommendation" };
    if (shown && shown.recommendation !== rec.recommendation)
      return { kind: "recommendation_changed", shown: shown.recommendation, current: rec.recommendation };
    const option = rec.recommendation as OptionKind;
    const quantity = option === "last_time_buy" || option === "broker" ? rec.shortfallUnits : null;
    const req: ActionRequest = {
      action: "decide",
      version: current.version,
      option,
      quantity,
      reference: null,
      note: "decided as recommended",
    };
    return record(tx, caseId, current, applyAction(current, req, who, now), who, now, extra);
  });
}

/**
 * The pipeline's hook: a material new notice on a closed or dismissed case reopens it, in the
 * transaction that records the notice, with an event by `system` saying which notice changed what.
 */
export async function reopenOnNotice(
  tx: Sql,
  caseId: string,
  traceId: string,
  changes: readonly { field: string; from: unknown; to: unknown }[],
  now: Date,
): Promise<boolean> {
  const material = materialForWorkflow(changes);
  if (material.length === 0) return false;
  const current = await lockWorkflow(tx, caseId);
  if (!current) return false;
  const out = reopenByNotice(current, { traceId, changes: material });
  if (!out) return false;
  await saveWorkflow(tx, caseId, current.version, out.workflow, now);
  await appendEvent(tx, {
    caseId,
    version: out.workflow.version,
    at: now,
    actor: "system",
    action: out.event.action,
    from: out.event.from,
    to: out.event.to,
    payload: out.event.payload,
  });
  return true;
}
