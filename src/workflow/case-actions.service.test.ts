import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "../../test/workflow/workflow.fixture.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { Principal } from "../users/roles.ts";
import { addUser } from "../users/users.service.ts";
import { ActionRequest } from "./case.workflow.ts";
import { actOnCase, decideAsRecommended } from "./case-actions.service.ts";
import { eventsOf } from "./case-events.repository.ts";

const NOW = new Date("2026-12-02T10:00:00Z");
const alice: Principal = { name: "alice", role: "decider", userId: "u1", via: "user_token" };
const victor: Principal = { name: "victor", role: "viewer", userId: "u2", via: "user_token" };
const act = (db: SqlDriver, id: string, body: object, who = alice) =>
  actOnCase(db, id, ActionRequest.parse(body), who, NOW);

describeEachStore("case actions", (kind) => {
  let db: SqlDriver;
  let caseId: string;
  beforeAll(async () => {
    db = await openTestStore(kind);
    await importCorpusBom(db);
    const [o] = await assess(db, "t-1", new Date("2026-12-01T09:00:00Z"), [ltbNotice()]);
    caseId = o!.case_id!;
    await addUser(db, { name: "carol", role: "decider" }, NOW);
  });
  afterAll(() => db.close());

  it("walks a case from open to closed, one event per action, each naming its actor", async () => {
    expect(await act(db, caseId, { action: "acknowledge", version: 1 })).toMatchObject({
      kind: "applied",
      workflow: { state: "acknowledged", version: 2 },
    });
    expect(await act(db, caseId, { action: "assign", version: 2, assignee: "CAROL" })).toMatchObject({
      workflow: { assignee: "carol", version: 3 },
    });
    const decided = await decideAsRecommended(db, caseId, alice, NOW, { recommendation: "last_time_buy" });
    expect(decided.kind).toBe("applied");
    const decision = decided.kind === "applied" ? decided.workflow.decision : null;
    expect(decision?.option).toBe("last_time_buy");
    expect(decision?.quantity).toBeGreaterThan(0);
    await act(db, caseId, { action: "start", version: 4 });
    await act(db, caseId, { action: "comment", version: 5, text: "PO placed" });
    await act(db, caseId, { action: "close", version: 6 });
    const events = await eventsOf(db, caseId);
    expect(events.map((e) => [e.action, e.from, e.to, e.actor, e.version])).toEqual([
      ["acknowledge", "open", "acknowledged", "alice", 2],
      ["assign", "acknowledged", "acknowledged", "alice", 3],
      ["decide", "acknowledged", "decided", "alice", 4],
      ["start", "decided", "mitigating", "alice", 5],
      ["comment", "mitigating", "mitigating", "alice", 6],
      ["close", "mitigating", "closed", "alice", 7],
    ]);
    expect(events[4]!.payload).toEqual({ text: "PO placed" });
  });

  it("refuses a stale version, an illegal move, a viewer and an unknown assignee, changing nothing", async () => {
    const before = (await eventsOf(db, caseId)).length;
    expect(await act(db, caseId, { action: "reopen", version: 3 })).toMatchObject({
      kind: "version_conflict",
      workflow: { version: 7, state: "closed" },
    });
    expect(await act(db, caseId, { action: "acknowledge", version: 7 })).toMatchObject({
      kind: "illegal_transition",
      from: "closed",
      to: "acknowledged",
    });
    expect(await act(db, caseId, { action: "comment", version: 7, text: "x" }, victor)).toEqual({
      kind: "forbidden",
      needed: "decider",
      role: "viewer",
    });
    expect(await act(db, caseId, { action: "assign", version: 7, assignee: "nobody" })).toMatchObject({
      kind: "unknown_assignee",
    });
    expect(
      await act(db, "00000000-0000-4000-8000-000000000000", { action: "acknowledge", version: 1 }),
    ).toEqual({
      kind: "not_found",
    });
    expect((await eventsOf(db, caseId)).length).toBe(before);
  });

  it("a material new notice reopens the closed case, and the event says why", async () => {
    await assess(db, "t-2", new Date("2026-12-03T09:00:00Z"), [ltbNotice({ ltb_date: "2027-01-15" })]);
    const last = (await eventsOf(db, caseId)).at(-1)!;
    expect(last).toMatchObject({ actor: "system", action: "reopen", from: "closed", to: "open", version: 8 });
    expect(String(last.payload.reason)).toContain("trace t-2");
    expect(String(last.payload.reason)).toContain("ltb_date 2027-03-31 → 2027-01-15");
    expect(last.payload.previous_decision).toMatchObject({ option: "last_time_buy" });
    // A notice that changes nothing material leaves an open case alone.
    await assess(db, "t-3", new Date("2026-12-04T09:00:00Z"), [
      ltbNotice({ ltb_date: "2027-01-15", pcn_id: "PCN-9" }),
    ]);
    expect((await eventsOf(db, caseId)).length).toBe(7);
  });

  it("refuses a decision as recommended when the message showed another recommendation", async () => {
    expect(await decideAsRecommended(db, caseId, alice, NOW, { recommendation: "broker" })).toEqual({
      kind: "recommendation_changed",
      shown: "broker",
      current: "last_time_buy",
    });
  });

  it("keeps the history append-only", async () => {
    await expect(db.query("update case_events set actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.query("delete from case_events")).rejects.toThrow(/append-only/);
  });
});
