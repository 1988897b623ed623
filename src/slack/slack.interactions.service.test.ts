import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "../../test/workflow/workflow.fixture.ts";
import { seenTokensRepository } from "../email/seen-tokens.repository.ts";
import type { SqlDriver } from "../store/driver.ts";
import { migrate } from "../store/migrate.ts";
import { openPostgres } from "../store/postgres.driver.ts";
import { addUser } from "../users/users.service.ts";
import { eventsOf } from "../workflow/case-events.repository.ts";
import { caseActionsBlockId } from "./slack.interaction.ts";
import { handleSlackInteraction, type SlackInteractionDeps } from "./slack.interactions.service.ts";
import type { ResponseMessage } from "./slack.port.ts";
import { signSlackRequest } from "./slack.signature.ts";
import { createSlackUserResolver } from "./slack.users.ts";

/**
 * The Slack interaction service on a real store: a valid click acts; a wrong secret, a stale
 * timestamp and a replay (also when the replay reaches another process on the same PostgreSQL) are
 * refused and change nothing.
 */
const SECRET = "slack-signing-secret-for-tests";
const NOW = new Date("2026-12-02T10:00:00Z");
const ts = Math.floor(NOW.getTime() / 1000);

describeEachStore("Slack interactions", (kind) => {
  let db: SqlDriver;
  let second: SqlDriver;
  let caseId: string;
  const responses: { url: string; message: ResponseMessage }[] = [];
  const deps = (store: SqlDriver): SlackInteractionDeps => ({
    db: store,
    signingSecret: SECRET,
    seen: seenTokensRepository(store),
    resolveUser: createSlackUserResolver({ db: store, map: new Map([["U0DAN", "dan"]]) }),
    renderCase: async (id) => ({ text: `case ${id}`, blocks: [] }),
    respond: async (url, message) => {
      responses.push({ url, message });
    },
    now: () => NOW,
  });

  beforeAll(async () => {
    if (kind === "postgres") {
      const url = await createTestDatabase();
      db = await openPostgres({ url });
      await migrate(db);
      second = await openPostgres({ url }); // another process's pool on the same database
    } else {
      db = await openTestStore(kind);
      second = db;
    }
    await importCorpusBom(db);
    const [o] = await assess(db, "t-1", new Date("2026-12-01T09:00:00Z"), [ltbNotice()]);
    caseId = o!.case_id!;
    await addUser(db, { name: "dan", role: "decider" }, NOW);
  });
  afterAll(async () => {
    if (second !== db) await second.close();
    await db.close();
  });

  const body = (actionId: string) =>
    Buffer.from(
      new URLSearchParams({
        payload: JSON.stringify({
          type: "block_actions",
          user: { id: "U0DAN", username: "dan" },
          response_url: "https://hooks.slack.example/actions/T1/1/abc",
          actions: [
            {
              type: "button",
              action_id: actionId,
              value: caseId,
              block_id: caseActionsBlockId(1, "last_time_buy"),
            },
          ],
        }),
      }).toString(),
    );
  const signed = (raw: Buffer, o: { secret?: string; at?: number } = {}) => ({
    rawBody: raw,
    timestamp: String(o.at ?? ts),
    signature: signSlackRequest(o.secret ?? SECRET, o.at ?? ts, raw),
  });

  it("refuses a wrong secret and a stale timestamp before anything else, changing nothing", async () => {
    const raw = body("eolgate_acknowledge");
    expect(await handleSlackInteraction(deps(db), signed(raw, { secret: "another-secret" }))).toEqual({
      kind: "rejected",
      reason: "bad_signature",
    });
    expect(await handleSlackInteraction(deps(db), signed(raw, { at: ts - 301 }))).toEqual({
      kind: "rejected",
      reason: "stale",
    });
    expect(await eventsOf(db, caseId)).toEqual([]);
  });

  it("acts on a valid click as the mapped user, and refuses its replay in any process", async () => {
    const req = signed(body("eolgate_acknowledge"));
    const out = await handleSlackInteraction(deps(db), req);
    expect(out).toMatchObject({ kind: "ok", result: "applied" });
    if (out.kind === "ok") await out.followUp?.();
    expect(responses.at(-1)).toEqual({
      url: "https://hooks.slack.example/actions/T1/1/abc",
      message: { replace_original: true, text: `case ${caseId}`, blocks: [] },
    });
    expect(await handleSlackInteraction(deps(db), req)).toEqual({ kind: "rejected", reason: "replayed" });
    expect(await handleSlackInteraction(deps(second), req)).toEqual({ kind: "rejected", reason: "replayed" });
    const events = await eventsOf(db, caseId);
    expect(events.map((e) => [e.actor, e.action])).toEqual([["dan", "acknowledge"]]);
    expect(events[0]!.payload).toEqual({ via: "slack", slack_user: "U0DAN" });
  });

  it("tells the person, and changes nothing, when the click cannot apply", async () => {
    const again = await handleSlackInteraction(deps(db), signed(body("eolgate_acknowledge"), { at: ts + 1 }));
    expect(again).toMatchObject({ kind: "ok", result: "illegal_transition" });
    if (again.kind === "ok") await again.followUp?.();
    expect(responses.at(-1)!.message).toEqual({
      response_type: "ephemeral",
      replace_original: false,
      text: "The case is already acknowledged; nothing was changed.",
    });
    const broken = Buffer.from("payload=%7B");
    expect(await handleSlackInteraction(deps(db), signed(broken, { at: ts + 2 }))).toEqual({
      kind: "invalid",
      reason: "payload is not JSON",
    });
    expect((await eventsOf(db, caseId)).length).toBe(1);
  });
});
