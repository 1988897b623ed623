import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import { PROVISIONAL_NOTE } from "../../src/notify/format.ts";
import { LabelEntry, ReviewItem } from "../../src/review/review.item.ts";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { silent, waitFor } from "../pipeline/pipeline.support.ts";
import { runEolgate } from "../support/process.ts";
import { createTestDatabase, describeEachStore } from "../support/stores.ts";

/**
 * The review queue through the production gateway (main.ts wiring, real HTTP, the real pipeline and
 * store): a notice the extractor was not sure of becomes a review item and a provisional case whose
 * message says so; people with the decider role confirm, correct or reject it, each decision once
 * however often it is sent, with the case's history naming them; the reviewed messages export in
 * the labels.json format the scorer reads.
 */
const ADMIN = "review-admin-token-0123456789abcdef";
const CORPUS = join(import.meta.dirname, "..", "..", "..", "shared", "corpus");
const SCORER = join(import.meta.dirname, "..", "..", "..", "shared", "tools", "score-extraction.mjs");

interface Res<T = unknown> {
  status: number;
  body: T;
}
type Item = ReviewItem;
interface Case {
  id: string;
  state: string;
  ltb_date: string | null;
  provisional: boolean;
  pending_reviews?: number[];
  notices: number;
  report_version: number;
  version: number;
}

describeEachStore("review queue", (kind) => {
  let gw: Gateway;
  let slack: HttpFake;
  let dir: string;
  let env: Record<string, string>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "eolgate-review-"));
    slack = await startFakeSlack({ ratePerSec: 100 });
    env = {
      DATA_DIR: dir,
      DATABASE_URL: kind === "postgres" ? await createTestDatabase() : "",
      REDIS_URL: "",
      PORT: "0",
      LOG_LEVEL: "silent",
      API_TOKEN: ADMIN,
      PIPELINE_POLL_MS: "50",
      NOTIFY_ROUTES: JSON.stringify({ default: [`slack:${slack.url}`] }),
    };
    gw = await startGateway(loadConfig(env), silent);
    expect((await importBom(gw.db, bomSourcesFromDir(join(CORPUS, "bom")))).kind).toBe("imported");
    for (const [name, role] of [
      ["Vera Viewer", "viewer"],
      ["Dan Decider", "decider"],
    ] as const) {
      const r = await call<{ token: string }>("POST", "/v1/users", { name, role });
      expect(r.status).toBe(201);
      tokens[role] = r.body.token;
    }
  }, 180_000);
  afterAll(async () => {
    await gw?.close();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token: string = ADMIN,
  ): Promise<Res<T>> {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const decide = (id: number, verdict: string, body?: unknown, role = "decider") =>
    call<Item & { error?: string; item?: Item }>("POST", `/v1/review/${id}/${verdict}`, body, tokens[role]);
  const getCase = async (id: string) => (await call<Case>("GET", `/v1/cases/${id}`)).body;

  /** A relayed e-mail (no maker, no notice id, the part in a sentence): the extractor is unsure. */
  async function relay(sentence: string): Promise<string> {
    const res = await fetch(`${gw.url}/v1/ingest/email-forward`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        sender_domain: "components-relay.example",
        subject_line: "FYI parts news",
        body_content: `Hello,\n${sentence}\nRegards, the parts desk`,
      }),
    });
    expect(res.status).toBe(202);
    const { trace_id } = (await res.json()) as { trace_id: string };
    await waitFor(
      () => call<{ status: string }>("GET", `/v1/notices/${trace_id}`),
      (r) => r.body.status === "completed" || r.body.status === "dead",
      `notice ${trace_id} processed`,
    ).then((r) => expect(r.body.status).toBe("completed"));
    return trace_id;
  }
  async function itemOf(trace: string): Promise<Item> {
    const page = await call<{ items: Item[] }>("GET", "/v1/review?limit=500", undefined, tokens.viewer);
    const mine = page.body.items.filter((i) => i.trace_id === trace);
    expect(mine).toHaveLength(1);
    return mine[0]!;
  }
  const outboxOf = async (caseId: string) =>
    (
      await gw.db.query<{ event: string; event_version: number; payload: { provisional?: boolean } }>(
        "select event, event_version, payload from notify_outbox where case_id = $1 order by event_version",
        [caseId],
      )
    ).rows;
  const eventsOf = async (caseId: string) =>
    (
      await call<{ events: { actor: string; action: string; payload: Record<string, unknown> }[] }>(
        "GET",
        `/v1/cases/${caseId}/events`,
      )
    ).body.events;
  const reportsOf = async (caseId: string) =>
    (await call<{ reports: { version: number; trace_id: string }[] }>("GET", `/v1/cases/${caseId}`)).body
      .reports;

  let confirmed: Item;
  it("files an unsure notice for review; its case is provisional in the list, the detail and the message", async () => {
    const trace = await relay(
      "We heard that TPS54331D will be discontinued. Last time buy is 2027-03-31 as far as we know.",
    );
    const item = await itemOf(trace);
    expect(ReviewItem.parse(item)).toEqual(item);
    expect(item).toMatchObject({
      status: "pending",
      notice_index: 0,
      notice: { manufacturer: null, mpn: "TPS54331D", lifecycle_status: "ltb", ltb_date: "2027-03-31" },
      corrected: null,
      matched_by: "rules",
      decision: null,
      source: {
        trace_id: trace,
        layout: "prose",
        from: "notices@components-relay.example",
        subject: "FYI parts news",
        notice_url: `/v1/notices/${trace}`,
      },
    });
    expect(item.confidence).toBeLessThan(0.6);
    expect(item.reasons).toContain("maker_unknown");
    expect(item.excerpt!.text.slice(item.excerpt!.start, item.excerpt!.end)).toBe("TPS54331D");
    expect(item.excerpt!.text).toContain("will be discontinued");
    expect((await call("GET", `/v1/review/${item.id}`, undefined, tokens.viewer)).body).toEqual(item);

    expect(item.cases).toEqual([
      { case_id: expect.any(String), outcome: "created", via: "extraction", linked: true },
    ]);
    const caseId = item.cases[0]!.case_id;
    expect(await getCase(caseId)).toMatchObject({ provisional: true, pending_reviews: [item.id] });
    const list = await call<{ cases: Case[] }>("GET", "/v1/cases?limit=500");
    expect(list.body.cases.find((c) => c.id === caseId)?.provisional).toBe(true);

    const [created] = await outboxOf(caseId);
    expect(created).toMatchObject({ event: "created", payload: { provisional: true } });
    const sent = await waitFor(
      async () => slack.accepted().filter((r) => r.raw.includes(caseId)),
      (r) => r.length > 0,
      "the case's Slack message",
    );
    expect(sent[0]!.raw).toContain("Provisional — New case");
    expect(JSON.stringify(sent[0]!.json)).toContain(PROVISIONAL_NOTE);
    confirmed = item;
  });

  it("a viewer may read but not decide; a decider confirms once, and the case stops being provisional", async () => {
    const item = confirmed;
    const caseId = item.cases[0]!.case_id;
    const denied = await decide(item.id, "confirm", undefined, "viewer");
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: "forbidden", needed: "decider", role: "viewer" });
    expect((await call("GET", "/v1/review", undefined, "not-a-token")).status).toBe(401);

    const ok = await decide(item.id, "confirm", { note: "checked the TI PDN" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      id: item.id,
      status: "confirmed",
      decision: { verdict: "confirmed", by: "Dan Decider", note: "checked the TI PDN" },
    });
    expect(Date.parse(ok.body.decision!.at)).not.toBeNaN();
    const again = await decide(item.id, "confirm");
    expect(again.status).toBe(200);
    expect(again.body).toEqual(ok.body);
    const other = await decide(item.id, "reject");
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: "already_reviewed", item: { status: "confirmed" } });

    expect(await getCase(caseId)).toMatchObject({ provisional: false, pending_reviews: [] });
    const events = await eventsOf(caseId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: "Dan Decider",
      action: "comment",
      payload: { review_id: item.id, verdict: "confirmed" },
    });
    const pending = await call<{ items: Item[] }>("GET", "/v1/review?status=pending&limit=500");
    expect(pending.body.items.map((i) => i.id)).not.toContain(item.id);
    const done = await call<{ items: Item[]; total: number }>("GET", "/v1/review?status=confirmed");
    expect(done.body.items.map((i) => i.id)).toContain(item.id);
  });

  it("a correction of the date updates the case once, however often and however concurrently it is sent", async () => {
    const trace = await relay("Word is that TLV70233DBVT goes end of life; last time buy 2027-02-28.");
    const item = await itemOf(trace);
    const caseId = item.cases[0]!.case_id;
    expect(await getCase(caseId)).toMatchObject({
      ltb_date: "2027-02-28",
      provisional: true,
      report_version: 1,
    });

    const fix = { ltb_date: "2027-06-30", manufacturer: "Texas Instruments", note: "per TI PDN" };
    const answers = await Promise.all([1, 2, 3].map(() => decide(item.id, "correct", fix)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await decide(item.id, "correct", fix)).toMatchObject({ status: 200 });
    const after = answers[0]!.body;
    expect(after).toMatchObject({
      status: "corrected",
      corrected: { mpn: "TLV70233DBVT", manufacturer: "Texas Instruments", ltb_date: "2027-06-30" },
      decision: { verdict: "corrected", by: "Dan Decider", note: "per TI PDN" },
    });
    expect(after.cases).toEqual(
      expect.arrayContaining([
        { case_id: caseId, outcome: "created", via: "extraction", linked: false },
        { case_id: caseId, outcome: "updated", via: "correction", linked: true },
      ]),
    );
    expect(await getCase(caseId)).toMatchObject({
      ltb_date: "2027-06-30",
      provisional: false,
      report_version: 2,
      notices: 1,
    });
    expect((await reportsOf(caseId)).map((r) => [r.version, r.trace_id])).toEqual([
      [1, trace],
      [2, `review:${item.id}`],
    ]);
    expect((await outboxOf(caseId)).map((o) => [o.event, o.event_version])).toEqual([
      ["created", 1],
      ["updated", 2],
    ]);
    const events = await eventsOf(caseId);
    expect(events.map((e) => [e.actor, e.action, e.payload.verdict])).toEqual([
      ["Dan Decider", "comment", "corrected"],
    ]);

    const different = await decide(item.id, "correct", { ltb_date: "2027-07-31" });
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({ error: "already_reviewed" });
    expect(await getCase(caseId)).toMatchObject({ ltb_date: "2027-06-30", report_version: 2 });
  });

  it("a correction naming another part opens that part's case and dismisses the one it no longer supports", async () => {
    const trace = await relay("Heard PIC16F877A-I/PT is being discontinued, last time buy 2027-04-30.");
    const item = await itemOf(trace);
    const wrongCase = item.cases[0]!.case_id;
    const r = await decide(item.id, "correct", {
      manufacturer: "Microchip Technology",
      mpn: "PIC16F874A-I/P",
    });
    expect(r.status).toBe(200);
    const moved = r.body.cases.find((c) => c.via === "correction")!;
    expect(moved).toMatchObject({ outcome: "created", linked: true });
    expect(moved.case_id).not.toBe(wrongCase);
    const right = await call<Case & { part: { mpn: string } }>("GET", `/v1/cases/${moved.case_id}`);
    expect(right.body).toMatchObject({
      part: { mpn: "PIC16F874A-I/P" },
      ltb_date: "2027-04-30",
      provisional: false,
      state: "open",
    });
    expect(await getCase(wrongCase)).toMatchObject({ state: "dismissed", notices: 0, provisional: false });
    const events = await eventsOf(wrongCase);
    expect(events).toEqual([
      expect.objectContaining({
        actor: "Dan Decider",
        action: "dismiss",
        payload: expect.objectContaining({ review_id: item.id, verdict: "corrected", no_evidence: true }),
      }),
    ]);
    expect((await outboxOf(moved.case_id)).map((o) => o.event)).toEqual(["created"]);
  });

  it("a rejection unlinks the notice and puts back what the case's other notices say", async () => {
    const alert = await fetch(`${gw.url}/v1/ingest/component-alert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        source_platform: "SiliconExpert",
        manufacturer_code: "onsemi",
        part_number: "MMBT3904LT1G",
        lifecycle_status: "LTB",
        ltb_date: "2027-08-31",
      }),
    });
    expect(alert.status).toBe(202);
    const alertTrace = ((await alert.json()) as { trace_id: string }).trace_id;
    await waitFor(
      () => call<{ status: string; cases: { case_id: string }[] }>("GET", `/v1/notices/${alertTrace}`),
      (x) => x.body.status === "completed",
      "the alert processed",
    );
    const trace = await relay("Apparently MMBT3904LT1G last time buy is now 2027-01-15.");
    const item = await itemOf(trace);
    const caseId = item.cases[0]!.case_id;
    expect(item.cases[0]!.outcome).toBe("updated");
    expect(await getCase(caseId)).toMatchObject({ ltb_date: "2027-01-15", provisional: true, notices: 2 });

    const r = await decide(item.id, "reject", { note: "rumour, not a notice" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "rejected",
      decision: { verdict: "rejected", by: "Dan Decider" },
    });
    expect(r.body.cases).toEqual([{ case_id: caseId, outcome: "updated", via: "extraction", linked: false }]);
    const c = await getCase(caseId);
    expect(c).toMatchObject({ ltb_date: "2027-08-31", provisional: false, notices: 1, state: "open" });
    const reports = await reportsOf(caseId);
    expect(reports.at(-1)).toMatchObject({ version: c.report_version, trace_id: `review:${item.id}` });
    expect(await eventsOf(caseId)).toEqual([
      expect.objectContaining({
        actor: "Dan Decider",
        action: "comment",
        payload: expect.objectContaining({ review_id: item.id, verdict: "rejected", unlinked: true }),
      }),
    ]);
    expect((await decide(item.id, "reject")).status).toBe(200);
    expect(await reportsOf(caseId)).toHaveLength(reports.length);
  });

  it("a rejection of a case's only evidence dismisses it, naming the reviewer", async () => {
    const trace = await relay("Someone said BAS16LT1G is discontinued with last time buy 2027-05-31.");
    const item = await itemOf(trace);
    const caseId = item.cases[0]!.case_id;
    expect((await decide(item.id, "reject")).status).toBe(200);
    expect(await getCase(caseId)).toMatchObject({ state: "dismissed", notices: 0, provisional: false });
    const events = await eventsOf(caseId);
    expect(events.map((e) => [e.actor, e.action])).toEqual([["Dan Decider", "dismiss"]]);
    expect(await outboxOf(caseId)).toHaveLength(1);
  });

  it("answers every bad request with a JSON error and changes nothing", async () => {
    const item = await itemOf(
      await relay("Rumour has it LPC1766FBD100K goes end of life, last time buy 2027-09-30."),
    );
    const bad: [string, string, unknown, number][] = [
      ["GET", "/v1/review/abc", undefined, 422],
      ["GET", "/v1/review/0", undefined, 422],
      ["GET", "/v1/review/-3", undefined, 422],
      ["GET", "/v1/review/99999999999999999999", undefined, 422],
      ["GET", "/v1/review/987654", undefined, 404],
      ["GET", "/v1/review?status=bogus", undefined, 422],
      ["GET", "/v1/review?since=yesterday", undefined, 422],
      ["GET", "/v1/review?since=2026-02-30", undefined, 422],
      ["GET", "/v1/review?limit=0", undefined, 422],
      ["GET", "/v1/review?limit=501", undefined, 422],
      ["GET", "/v1/review?offset=-1", undefined, 422],
      ["POST", "/v1/review/987654/confirm", {}, 404],
      ["POST", `/v1/review/${item.id}/correct`, {}, 422],
      ["POST", `/v1/review/${item.id}/correct`, { note: "only a note" }, 422],
      ["POST", `/v1/review/${item.id}/correct`, { ltb_date: "2027-02-30" }, 422],
      ["POST", `/v1/review/${item.id}/correct`, { lifecycle_status: "gone" }, 422],
      ["POST", `/v1/review/${item.id}/correct`, { mpn: "" }, 422],
      ["POST", `/v1/review/${item.id}/correct`, { mpn: "X".repeat(101) }, 422],
      ["POST", `/v1/review/${item.id}/correct`, { colour: "red" }, 422],
      ["POST", `/v1/review/${item.id}/correct`, "[1,2]", 422],
      ["POST", `/v1/review/${item.id}/confirm`, "{not json", 422],
      ["POST", `/v1/review/${item.id}/confirm`, { note: 7 }, 422],
      ["POST", `/v1/review/${item.id}/reject`, { verdict: "x" }, 422],
    ];
    for (const [method, path, body, status] of bad) {
      const r = await call<{ error?: string }>(method, path, body, tokens.decider);
      expect([path, r.status]).toEqual([path, status]);
      expect(typeof r.body.error).toBe("string");
    }
    expect(await itemOf(item.trace_id)).toEqual(item);
    expect(
      (await call<{ items: Item[] }>("GET", "/v1/review?maker=Texas%20Instruments&limit=500")).body.items.map(
        (i) => i.corrected?.mpn ?? i.notice.mpn,
      ),
    ).toEqual(["TLV70233DBVT"]);
    const since = await call<{ total: number }>("GET", "/v1/review?since=2999-01-01");
    expect(since.body.total).toBe(0);
  });

  it("describes every review route in the OpenAPI document, with its parameters, bodies and answers", async () => {
    type Op = {
      parameters?: { name: string; in: string }[];
      requestBody?: unknown;
      responses: Record<string, unknown>;
      security?: unknown[];
    };
    const doc = (await call<{ paths: Record<string, Record<string, Op>> }>("GET", "/docs/json")).body;
    const op = (path: string, method: string) => doc.paths[path]?.[method];
    expect(op("/v1/review", "get")?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(["status", "maker", "since", "limit", "offset"]),
    );
    expect(op("/v1/review/export", "get")?.responses).toHaveProperty("200");
    expect(op("/v1/review/{id}", "get")?.parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
    ]);
    for (const verdict of ["confirm", "correct", "reject"]) {
      const o = op(`/v1/review/{id}/${verdict}`, "post")!;
      expect(o.requestBody).toBeDefined();
      expect(Object.keys(o.responses)).toEqual(
        expect.arrayContaining(["200", "401", "403", "404", "409", "422"]),
      );
      expect(o.security).toEqual([{ bearer: [] }]);
    }
    expect(JSON.stringify(op("/v1/review/{id}/correct", "post")!.requestBody)).toContain("ltb_date");
  });

  it("exports the reviewed messages in the labels.json format, which the scorer reads back", async () => {
    const r = await call<unknown[]>("GET", "/v1/review/export", undefined, tokens.viewer);
    expect(r.status).toBe(200);
    const labels = r.body.map((e) => LabelEntry.strict().parse(e));
    const byMpn = (mpn: string) => labels.find((l) => l.notices.some((n) => n.mpn === mpn));
    expect(byMpn("TPS54331D")?.notices).toEqual([
      expect.objectContaining({ mpn: "TPS54331D", ltb_date: "2027-03-31" }),
    ]);
    expect(byMpn("TLV70233DBVT")?.notices).toEqual([
      expect.objectContaining({ manufacturer: "Texas Instruments", ltb_date: "2027-06-30" }),
    ]);
    expect(byMpn("PIC16F874A-I/P")?.is_lifecycle_notice).toBe(true);
    expect(byMpn("PIC16F877A-I/PT")).toBeUndefined();
    expect(byMpn("LPC1766FBD100K")).toBeUndefined(); // still pending: its message is not complete
    const rejectedOnly = labels.filter((l) => !l.is_lifecycle_notice);
    expect(rejectedOnly).toHaveLength(2);
    for (const l of rejectedOnly) expect(l.notices).toEqual([]);
    expect(labels.every((l) => /^[0-9a-f-]{36}\.eml$/.test(l.file))).toBe(true);

    // The scorer takes the export as its labels: the same notices as predictions score 1.000.
    const labelsPath = join(dir, "labels.json");
    const predictions = join(dir, "predictions.jsonl");
    writeFileSync(labelsPath, JSON.stringify(labels));
    writeFileSync(predictions, labels.map((l) => JSON.stringify(l)).join("\n"));
    const scored = await runNode([
      SCORER,
      "--labels",
      labelsPath,
      "--predictions",
      predictions,
      "--min-mpn-f1",
      "1",
      "--min-field-acc",
      "1",
    ]);
    expect(scored.code).toBe(0);
    expect(scored.out).toContain(`messages=${labels.length} missing_outputs=0 notice_flag_acc=1.000`);
    expect(scored.out).toContain("mpn_f1=1.000");

    // `eolgate review export`: through the running gateway (embedded) or from the store (PostgreSQL).
    const out = join(dir, "cli-labels.json");
    const cli = await runEolgate(["review", "export", "--out", out], {
      ...env,
      PORT: new URL(gw.url!).port,
    });
    expect(cli.code, cli.err).toBe(0);
    expect(JSON.parse((await import("node:fs")).readFileSync(out, "utf8"))).toEqual(labels);
  }, 120_000);
});

function runNode(args: string[]): Promise<{ code: number | null; out: string }> {
  return import("node:child_process").then(
    ({ spawn }) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
          out += d.toString();
        });
        child.on("exit", (code) => resolve({ code, out }));
      }),
  );
}
