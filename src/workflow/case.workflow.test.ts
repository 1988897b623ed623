import { describe, expect, it } from "vitest";
import {
  ActionRequest,
  applyAction,
  CASE_ACTIONS,
  CASE_STATES,
  type CaseAction,
  type CaseState,
  INITIAL_WORKFLOW,
  materialForWorkflow,
  reopenByNotice,
  type Workflow,
} from "./case.workflow.ts";

const NOW = new Date("2026-12-01T10:00:00Z");
const alice = { name: "alice" };
const decision = {
  option: "last_time_buy" as const,
  quantity: 500,
  reference: "PO-1",
  note: null,
  decided_by: "bob",
  decided_at: "2026-11-30T09:00:00.000Z",
};
const at = (state: CaseState, version = 3): Workflow => ({
  state,
  version,
  assignee: null,
  decision: ["decided", "mitigating", "closed"].includes(state) ? decision : null,
});
const body = (action: CaseAction, version = 3): ActionRequest =>
  ActionRequest.parse({
    action,
    version,
    ...(action === "assign" ? { assignee: "carol" } : {}),
    ...(action === "decide"
      ? { option: "alternate", quantity: 12, reference: "ECO-7", note: "qualify" }
      : {}),
    ...(action === "comment" ? { text: "waiting for the distributor" } : {}),
  });

/** The whole table of DESIGN §11 as this implementation reads it: [action, from] → to, or refused. */
const EXPECTED: Record<CaseAction, Partial<Record<CaseState, CaseState>>> = {
  acknowledge: { open: "acknowledged" },
  assign: { open: "open", acknowledged: "acknowledged", decided: "decided", mitigating: "mitigating" },
  decide: { open: "decided", acknowledged: "decided", decided: "decided", mitigating: "decided" },
  start: { decided: "mitigating" },
  close: { decided: "closed", mitigating: "closed" },
  dismiss: { open: "dismissed", acknowledged: "dismissed" },
  reopen: { closed: "open", dismissed: "open" },
  comment: Object.fromEntries(CASE_STATES.map((s) => [s, s])),
};
const AIM: Record<CaseAction, CaseState | null> = {
  acknowledge: "acknowledged",
  assign: null,
  decide: "decided",
  start: "mitigating",
  close: "closed",
  dismiss: "dismissed",
  reopen: "open",
  comment: null,
};

describe("case workflow: every action from every state", () => {
  for (const action of CASE_ACTIONS) {
    for (const from of CASE_STATES) {
      const to = EXPECTED[action][from];
      it(`${action} from ${from} → ${to ?? "refused"}`, () => {
        const out = applyAction(at(from), body(action), alice, NOW);
        if (to === undefined) {
          expect(out).toEqual({ kind: "illegal_transition", from, to: AIM[action] ?? from });
          return;
        }
        expect(out.kind).toBe("applied");
        if (out.kind !== "applied") return;
        expect(out.workflow.state).toBe(to);
        expect(out.workflow.version).toBe(4);
        expect(out.event).toMatchObject({ action, from, to });
        // The decision exists exactly in decided, mitigating and closed.
        expect(out.workflow.decision !== null).toBe(["decided", "mitigating", "closed"].includes(to));
      });
    }
  }
});

describe("case workflow: what each action records", () => {
  it("a stale version is refused before the transition is even considered", () => {
    expect(applyAction(at("closed", 5), body("acknowledge", 4), alice, NOW)).toEqual({
      kind: "version_conflict",
      current: 5,
    });
  });

  it("decide records option, quantity, reference, note, who and when; a second decision keeps the first in the event", () => {
    const first = applyAction(at("acknowledged"), body("decide"), alice, NOW);
    expect(first.kind === "applied" && first.workflow.decision).toEqual({
      option: "alternate",
      quantity: 12,
      reference: "ECO-7",
      note: "qualify",
      decided_by: "alice",
      decided_at: NOW.toISOString(),
    });
    const again = applyAction(at("decided"), body("decide"), alice, NOW);
    expect(again.kind === "applied" && again.event.payload.previous_decision).toEqual(decision);
  });

  it("assign sets and clears the assignee; the event keeps the previous one", () => {
    const set = applyAction(at("open"), body("assign"), alice, NOW);
    expect(set.kind === "applied" && set.workflow.assignee).toBe("carol");
    const cleared = applyAction(
      { ...at("open"), assignee: "carol" },
      ActionRequest.parse({ action: "assign", version: 3, assignee: null }),
      alice,
      NOW,
    );
    expect(cleared.kind === "applied" && cleared.workflow.assignee).toBeNull();
    expect(cleared.kind === "applied" && cleared.event.payload).toEqual({
      assignee: null,
      previous_assignee: "carol",
    });
  });

  it("reopen clears the decision; comment keeps its text and the state", () => {
    const r = applyAction(at("closed"), body("reopen"), alice, NOW);
    expect(r.kind === "applied" && r.workflow).toMatchObject({ state: "open", decision: null });
    const c = applyAction(at("closed"), body("comment"), alice, NOW);
    expect(c.kind === "applied" && c.event.payload).toEqual({ text: "waiting for the distributor" });
  });

  it("the initial workflow is open at version 1 with nobody assigned", () => {
    expect(INITIAL_WORKFLOW).toEqual({ state: "open", version: 1, assignee: null, decision: null });
  });
});

describe("case workflow: action bodies", () => {
  const issues = (v: unknown) => {
    const r = ActionRequest.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("names the missing field of each action", () => {
    expect(issues({ action: "decide", version: 1 })[0]).toMatch(/^option: decide needs an option/);
    expect(issues({ action: "assign", version: 1 })[0]).toMatch(/^assignee: /);
    expect(issues({ action: "comment", version: 1 })[0]).toMatch(/^text: /);
  });
  it("refuses unknown actions, options and fields, and a missing version", () => {
    expect(issues({ action: "approve", version: 1 })[0]).toMatch(/^action/);
    expect(issues({ action: "decide", version: 1, option: "pray" })[0]).toMatch(/^option/);
    expect(issues({ action: "acknowledge" })[0]).toMatch(/^version/);
    expect(issues({ action: "acknowledge", version: 1, colour: "red" })[0]).toMatch(/colour/);
    expect(issues({ action: "decide", version: 1, option: "broker", quantity: -1 })[0]).toMatch(/^quantity/);
  });
});

describe("reopen by a material new notice", () => {
  const changes = [{ field: "ltb_date", from: "2027-03-31", to: "2027-01-15" }];
  it("reopens closed and dismissed cases, says why, and raises the version", () => {
    for (const s of ["closed", "dismissed"] as const) {
      const r = reopenByNotice(at(s), { traceId: "t-1", changes });
      expect(r?.workflow).toMatchObject({ state: "open", version: 4, decision: null });
      expect(r?.event.payload.reason).toBe(
        "material new notice (trace t-1): ltb_date 2027-03-31 → 2027-01-15",
      );
    }
  });
  it("leaves cases that are still being worked alone", () => {
    for (const s of ["open", "acknowledged", "decided", "mitigating"] as const)
      expect(reopenByNotice(at(s), { traceId: "t", changes })).toBeNull();
  });
  it("counts only status, dates and recommendation as material", () => {
    expect(
      materialForWorkflow([
        { field: "pcn_id", from: null, to: "PCN-1" },
        { field: "lifecycle_status", from: "ltb", to: "obsolete" },
        { field: "recommendation", from: "broker", to: "broker" },
      ]),
    ).toEqual([{ field: "lifecycle_status", from: "ltb", to: "obsolete" }]);
  });
});
