import { z } from "zod";
import { OPTION_KINDS, type OptionKind } from "../impact/impact.model.ts";

/**
 * The case workflow of DESIGN §11, pure: states, actions, which action may move a case from which
 * state, and what the case looks like after it. The clock and the actor are arguments; nothing here
 * reads the store. The service applies the result and its event in one transaction.
 *
 *   open ─acknowledge▶ acknowledged ─decide▶ decided ─start▶ mitigating ─close▶ closed
 *     │                     │                  ▲  │                                  │
 *     └──────decide─────────┴─────────────────-┘  └──────────────close─────────────▶│
 *   open, acknowledged ─dismiss▶ dismissed;  closed, dismissed ─reopen▶ open
 *   assign: any state but closed/dismissed, state unchanged;  comment: any state, unchanged.
 *
 * Invariants: `version` rises by one with every applied action; `decision` is set exactly in the
 * states decided, mitigating and closed (a reopen clears it; the events keep every decision).
 */
export const CASE_STATES = ["open", "acknowledged", "decided", "mitigating", "closed", "dismissed"] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CaseState = z.enum(CASE_STATES);

export const CASE_ACTIONS = [
  "acknowledge",
  "assign",
  "decide",
  "start",
  "close",
  "dismiss",
  "reopen",
  "comment",
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** States in which a case still waits for a decision: reminders are for these. */
export const UNDECIDED_STATES: readonly CaseState[] = ["open", "acknowledged"];
/** States a case leaves only by `reopen` (or a material new notice). */
export const TERMINAL_STATES: readonly CaseState[] = ["closed", "dismissed"];

const ACTIVE: readonly CaseState[] = ["open", "acknowledged", "decided", "mitigating"];

/** Where each action may start, and where it leads (`null`: the state does not change). */
export const TRANSITIONS: Record<CaseAction, { from: readonly CaseState[]; to: CaseState | null }> = {
  acknowledge: { from: ["open"], to: "acknowledged" },
  assign: { from: ACTIVE, to: null },
  decide: { from: ["open", "acknowledged", "decided", "mitigating"], to: "decided" },
  start: { from: ["decided"], to: "mitigating" },
  close: { from: ["decided", "mitigating"], to: "closed" },
  dismiss: { from: ["open", "acknowledged"], to: "dismissed" },
  reopen: { from: ["closed", "dismissed"], to: "open" },
  comment: { from: CASE_STATES, to: null },
};

export interface Decision {
  option: OptionKind;
  quantity: number | null;
  reference: string | null;
  note: string | null;
  decided_by: string;
  decided_at: string;
}

/** The part of a case the workflow owns. */
export interface Workflow {
  state: CaseState;
  version: number;
  assignee: string | null;
  decision: Decision | null;
}

export const INITIAL_WORKFLOW: Workflow = { state: "open", version: 1, assignee: null, decision: null };

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The body of `POST /v1/cases/{id}/actions`. Each action's own required fields are checked in
 * `ActionRequest`'s refinement so a missing one is a 422 naming the field, not a state error.
 */
export const ActionRequest = z
  .object({
    action: z.enum(CASE_ACTIONS),
    version: z.number().int().min(1),
    assignee: z.union([text(100), z.null()]).optional(),
    option: z.enum(OPTION_KINDS).optional(),
    quantity: z.number().int().min(0).max(1e12).nullable().optional(),
    reference: text(200).nullable().optional(),
    note: text(4000).nullable().optional(),
    text: text(4000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const need = (field: keyof typeof r, message: string) => {
      if (r[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (r.action === "assign")
      need("assignee", "assign needs an assignee (a user name, or null to unassign)");
    if (r.action === "decide") need("option", `decide needs an option: one of ${OPTION_KINDS.join(", ")}`);
    if (r.action === "comment") need("text", "comment needs a text");
  });
export type ActionRequest = z.infer<typeof ActionRequest>;

export interface Actor {
  /** The user's name, or a reserved name (`api-token`, `anonymous`, `system`). */
  name: string;
}

/** What an applied action records: its event, and the case after it. */
export interface Applied {
  kind: "applied";
  workflow: Workflow;
  event: { action: CaseAction; from: CaseState; to: CaseState; payload: Record<string, unknown> };
}

export type ActionOutcome =
  | Applied
  | { kind: "version_conflict"; current: number }
  | { kind: "illegal_transition"; from: CaseState; to: CaseState };

/** The state an action aims at from `from` (for an error naming both states). */
export function targetOf(action: CaseAction, from: CaseState): CaseState {
  return TRANSITIONS[action].to ?? from;
}

export function canApply(action: CaseAction, from: CaseState): boolean {
  return TRANSITIONS[action].from.includes(from);
}

/**
 * Applies one action to a case's workflow. The version check comes first: a client acting on a
 * stale view learns that before anything else, and sees the current case.
 */
export function applyAction(current: Workflow, req: ActionRequest, actor: Actor, now: Date): ActionOutcome {
  if (req.version !== current.version) return { kind: "version_conflict", current: current.version };
  const from = current.state;
  if (!canApply(req.action, from))
    return { kind: "illegal_transition", from, to: targetOf(req.action, from) };
  const to = targetOf(req.action, from);
  const next: Workflow = { ...current, state: to, version: current.version + 1 };
  const payload: Record<string, unknown> = {};
  switch (req.action) {
    case "assign":
      next.assignee = req.assignee ?? null;
      payload.assignee = next.assignee;
      payload.previous_assignee = current.assignee;
      break;
    case "decide": {
      const decision: Decision = {
        option: req.option!,
        quantity: req.quantity ?? null,
        reference: req.reference ?? null,
        note: req.note ?? null,
        decided_by: actor.name,
        decided_at: now.toISOString(),
      };
      next.decision = decision;
      payload.decision = decision;
      if (current.decision) payload.previous_decision = current.decision;
      break;
    }
    case "reopen":
      next.decision = null;
      break;
    case "comment":
      payload.text = req.text;
      break;
  }
  // A note on any action other than decide (which keeps it in the decision) is kept on the event.
  if (req.action !== "decide" && req.note) payload.note = req.note;
  if (req.action !== "comment" && req.text) payload.text = req.text;
  return { kind: "applied", workflow: next, event: { action: req.action, from, to, payload } };
}

/**
 * The reopening of a closed or dismissed case by a material new notice: not a person's action, so
 * no version check and no role; the event says which notice and what it changed.
 */
export function reopenByNotice(
  current: Workflow,
  why: { traceId: string; changes: { field: string; from: unknown; to: unknown }[] },
): Applied | null {
  if (!TERMINAL_STATES.includes(current.state)) return null;
  const summary = why.changes.map((c) => `${c.field} ${String(c.from ?? "—")} → ${String(c.to ?? "—")}`);
  return {
    kind: "applied",
    workflow: { ...current, state: "open", version: current.version + 1, decision: null },
    event: {
      action: "reopen",
      from: current.state,
      to: "open",
      payload: {
        reason: `material new notice (trace ${why.traceId}): ${summary.join("; ")}`,
        trace_id: why.traceId,
        changes: why.changes,
        ...(current.decision ? { previous_decision: current.decision } : {}),
      },
    },
  };
}

/**
 * Which changes of a re-assessment are material for the workflow: the same fields that make an
 * update message worth sending (status, dates, recommendation), so a case reopens exactly when
 * people are told something new.
 */
const MATERIAL = new Set(["lifecycle_status", "status", "ltb_date", "last_ship_date", "recommendation"]);
export function materialForWorkflow<C extends { field: string; from: unknown; to: unknown }>(
  changes: readonly C[],
): C[] {
  return changes.filter((c) => MATERIAL.has(c.field) && c.from !== c.to);
}
