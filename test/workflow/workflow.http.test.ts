import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startTestApp } from "../support/gateway.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "./workflow.fixture.ts";

/**
 * The workflow API over real HTTP on a real store: roles on every management route, every refusal
 * with its status and body, events naming their actors, and exports opened with a real reader.
 */
const ADMIN = "bootstrap-admin-token-0123456789";
type App = Awaited<ReturnType<typeof startTestApp>>;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describeEachStore("case workflow over HTTP", (kind) => {
  let db: SqlDriver;
  let caseId: string;
  let other: string;
  beforeAll(async () => {
    db = await openTestStore(kind);
    await importCorpusBom(db);
    const out = await assess(db, "t-1", new Date("2026-12-01T09:00:00Z"), [
      ltbNotice(),
      ltbNotice({ mpn: "TLV70233DBVT", ltb_date: "2027-02-28" }),
    ]);
    caseId = out[0]!.case_id!;
    other = out[1]!.case_id!;
  });
  afterAll(() => db.close());

  describe("open local trial (no API_TOKEN, no users)", () => {
    let app: App;
    beforeAll(async () => {
      app = await startTestApp(db, {});
    });
    afterAll(() => app.close());
    it("lets anyone read and act, and records the actor as anonymous", async () => {
      const list = await app.get("/v1/cases?state=open");
      expect((list.body as { total: number }).total).toBe(2);
      const r = await app.post(`/v1/cases/${other}/actions`, {
        action: "comment",
        version: 1,
        text: "looking",
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: other, state: "open", version: 2, assignee: null, decision: null });
      const ev = await app.get(`/v1/cases/${other}/events`);
      expect((ev.body as { events: { actor: string }[] }).events.map((e) => e.actor)).toEqual(["anonymous"]);
      expect((await app.get("/v1/me")).body).toEqual({
        name: "anonymous",
        role: "admin",
        user_id: null,
        via: "open",
      });
    });
  });

  describe("with API_TOKEN and users", () => {
    let app: App;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      app = await startTestApp(db, { API_TOKEN: ADMIN, PUBLIC_BASE_URL: "https://eol.example" });
      for (const [name, role] of [
        ["Vera Viewer", "viewer"],
        ["Dan Decider", "decider"],
        ["Ada Admin", "admin"],
      ] as const) {
        const r = await app.post("/v1/users", { name, role, email: `${role}@example.com` }, bearer(ADMIN));
        expect(r.status).toBe(201);
        tokens[role] = (r.body as { token: string }).token;
      }
    });
    afterAll(() => app.close());
    const act = (body: object, role = "decider", id = caseId) =>
      app.post(`/v1/cases/${id}/actions`, body, bearer(tokens[role]!));

    it("needs a token on every management route, and the right role", async () => {
      expect((await app.get("/v1/cases")).status).toBe(401);
      expect((await app.get("/v1/cases", bearer("eg_u000000000000_wrong"))).status).toBe(401);
      expect((await app.get("/v1/cases", bearer(tokens.viewer!))).status).toBe(200);
      expect((await app.get(`/v1/cases/${caseId}/events`, bearer(tokens.viewer!))).status).toBe(200);
      const refused = await act({ action: "acknowledge", version: 1 }, "viewer");
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: "forbidden", needed: "decider", role: "viewer" });
      expect((await app.get("/v1/users", bearer(tokens.decider!))).status).toBe(403);
      expect(
        (await app.post("/v1/users", { name: "x", role: "admin" }, bearer(tokens.decider!))).status,
      ).toBe(403);
      expect((await app.get("/v1/users", bearer(tokens.admin!))).status).toBe(200);
      // A write route that states no role is for admins: the BOM import refuses a decider.
      const bom = await fetch(`${app.url}/v1/bom/import`, {
        method: "POST",
        headers: bearer(tokens.decider!),
      });
      expect(bom.status).toBe(403);
    });

    it("acts with the current version, refuses a stale one with the current case, and an illegal move naming both states", async () => {
      const ack = await act({ action: "acknowledge", version: 1 });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ id: caseId, state: "acknowledged", version: 2 });
      const stale = await act({ action: "decide", version: 1, option: "broker" });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({
        error: "version_conflict",
        case: { id: caseId, version: 2, state: "acknowledged" },
      });
      const illegal = await act({ action: "close", version: 2 });
      expect(illegal.status).toBe(409);
      expect(illegal.body).toMatchObject({ error: "illegal_transition", from: "acknowledged", to: "closed" });
      const decided = await act({
        action: "decide",
        version: 2,
        option: "last_time_buy",
        quantity: 2500,
        reference: "PO-4711",
        note: "buy now",
      });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({
        state: "decided",
        version: 3,
        decision: {
          option: "last_time_buy",
          quantity: 2500,
          reference: "PO-4711",
          note: "buy now",
          decided_by: "Dan Decider",
        },
      });
      const assign = await act({ action: "assign", version: 3, assignee: "ada admin" });
      expect(assign.body).toMatchObject({ assignee: "Ada Admin", version: 4 });
    });

    it("answers 422 naming the field for bad bodies, and 404 for an unknown case", async () => {
      const bad = await act({ action: "decide", version: 4 });
      expect(bad.status).toBe(422);
      expect((bad.body as { issues: { path: string }[] }).issues[0]!.path).toBe("option");
      expect((await act({ action: "assign", version: 4, assignee: "ghost" })).status).toBe(422);
      expect((await act({ action: "fly", version: 4 })).status).toBe(422);
      expect(
        (await act({ action: "acknowledge", version: 1 }, "decider", "00000000-0000-4000-8000-000000000000"))
          .status,
      ).toBe(404);
      expect((await app.get("/v1/cases/not-a-uuid/events", bearer(tokens.viewer!))).status).toBe(422);
    });

    it("lists every event with who, when, what and from → to", async () => {
      const r = await app.get(`/v1/cases/${caseId}/events`, bearer(tokens.viewer!));
      const events = (
        r.body as {
          events: { actor: string; action: string; from: string; to: string; at: string; payload: object }[];
        }
      ).events;
      expect(events.map((e) => [e.actor, e.action, e.from, e.to])).toEqual([
        ["Dan Decider", "acknowledge", "open", "acknowledged"],
        ["Dan Decider", "decide", "acknowledged", "decided"],
        ["Dan Decider", "assign", "decided", "decided"],
      ]);
      expect(events[1]!.payload).toMatchObject({ decision: { reference: "PO-4711" } });
      expect(Number.isNaN(Date.parse(events[0]!.at))).toBe(false);
    });

    it("API_TOKEN acts as api-token; a disabled user's token stops working at once", async () => {
      const r = await app.post(
        `/v1/cases/${other}/actions`,
        { action: "acknowledge", version: 2 },
        bearer(ADMIN),
      );
      expect(r.status).toBe(200);
      const events = (await app.get(`/v1/cases/${other}/events`, bearer(ADMIN))).body as {
        events: { actor: string }[];
      };
      expect(events.events.at(-1)!.actor).toBe("api-token");
      const users = (await app.get("/v1/users", bearer(ADMIN))).body as {
        users: { id: string; name: string }[];
      };
      const vera = users.users.find((u) => u.name === "Vera Viewer")!;
      expect((await app.post(`/v1/users/${vera.id}/disable`, {}, bearer(ADMIN))).status).toBe(200);
      expect((await app.get("/v1/cases", bearer(tokens.viewer!))).status).toBe(401);
      expect(JSON.stringify(users)).not.toContain("token_hash");
    });

    it("describes the workflow routes in the OpenAPI document", async () => {
      const doc = (await app.get("/docs/json", bearer(ADMIN))).body as {
        paths: Record<string, object>;
      };
      for (const path of [
        "/v1/cases/{id}/actions",
        "/v1/cases/{id}/events",
        "/v1/users",
        "/v1/cases.csv",
        "/v1/cases.xlsx",
        "/v1/me",
      ])
        expect(Object.keys(doc.paths)).toContain(path);
    });

    it("exports what the list shows as XLSX (opened with a real reader) and CSV", async () => {
      const res = await fetch(`${app.url}/v1/cases.xlsx?state=decided`, { headers: bearer(ADMIN) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("spreadsheetml");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
      const ws = wb.getWorksheet("Cases")!;
      expect(ws.rowCount).toBe(2);
      const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const cell = (name: string) => ws.getRow(2).getCell(header.indexOf(name) + 1).value;
      expect(cell("case_id")).toBe(caseId);
      expect(cell("decision_reference")).toBe("PO-4711");
      expect(cell("decided_by")).toBe("Dan Decider");
      expect(typeof cell("revenue_at_risk")).toBe("number");
      const list = (await app.get("/v1/cases?sort=decision_by", bearer(ADMIN))).body as {
        cases: { id: string }[];
      };
      const csv = await fetch(`${app.url}/v1/cases.csv?sort=decision_by`, { headers: bearer(ADMIN) });
      const rows = parse(await csv.text(), { bom: true, columns: true }) as {
        case_id: string;
        state: string;
      }[];
      expect(rows.map((r) => r.case_id)).toEqual(list.cases.map((c) => c.id));
      expect((await fetch(`${app.url}/v1/cases.csv?state=bogus`, { headers: bearer(ADMIN) })).status).toBe(
        422,
      );
      expect((await fetch(`${app.url}/v1/cases.csv`)).status).toBe(401);
    });
  });
});
