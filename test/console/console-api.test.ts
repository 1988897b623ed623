import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import type {
  CaseContext,
  CaseDetail,
  CaseFacets,
  CaseListResponse,
  CaseTotals,
  HealthSummary,
  NoticeSearchResponse,
  RawPayload,
  ReplayAllResponse,
} from "../../src/http/api.types.ts";
import {
  type ConsoleGateway,
  EXAMPLE_BOM,
  sendExampleNotices,
  startConsoleGateway,
  waitForTraces,
} from "./console.support.ts";

/**
 * What the console reads beside the DESIGN §4 routes, on a real embedded gateway that processed the
 * sample company's notices: totals and filter choices over the case list, a case's context (source
 * excerpts, assembly tree, time view, transitions), notice search, raw payloads, replay-all, health.
 */
let g: ConsoleGateway;
let traces: string[];
const get = async <T>(path: string): Promise<{ status: number; body: T; type: string }> => {
  const res = await fetch(g.url + path);
  return { status: res.status, body: (await res.json()) as T, type: res.headers.get("content-type") ?? "" };
};
const CHANNEL: Record<string, string> = {
  "KC-T100": "hvac",
  "KC-P200": "drives",
  "KC-G300": "iot",
  "KC-L010": "hvac",
};

beforeAll(async () => {
  g = await startConsoleGateway();
  expect((await importBom(g.gw.db, bomSourcesFromDir(EXAMPLE_BOM))).kind).toBe("imported");
  traces = await sendExampleNotices(g.url);
  await waitForTraces(g.url, traces);
}, 120_000);
afterAll(async () => {
  await g?.close();
});

async function caseOf(mpn: string): Promise<CaseDetail> {
  const list = await get<CaseListResponse>(`/v1/cases?q=${encodeURIComponent(mpn)}&limit=1`);
  return (await get<CaseDetail>(`/v1/cases/${list.body.cases[0]!.id}`)).body;
}

describe("case totals and filters", () => {
  it("add up exactly the cases the list selects, with the same filters", async () => {
    for (const filter of [
      "",
      "severity=high",
      "state=open,acknowledged",
      "status=ltb",
      "manufacturer=onsemi",
    ]) {
      const list = await get<CaseListResponse>(`/v1/cases?limit=500&${filter}`);
      const totals = await get<CaseTotals>(`/v1/cases/totals?${filter}`);
      expect(totals.status).toBe(200);
      const sum = list.body.cases.reduce((s, c) => s + c.revenue_at_risk, 0);
      expect({ filter, cases: totals.body.cases }).toEqual({ filter, cases: list.body.total });
      expect(totals.body.revenue_at_risk).toBeCloseTo(sum, 2);
      const bySeverity = Object.values(totals.body.by_severity).reduce((a, b) => a + b, 0);
      expect(bySeverity).toBe(list.body.total);
    }
    const all = await get<CaseTotals>("/v1/cases/totals");
    expect(all.body.cases).toBe(7);
    expect(all.body.by_state.open).toBe(7);
  });

  it("filter by notification route through the affected assemblies' channel", async () => {
    const facets = await get<CaseFacets>("/v1/cases/facets");
    expect(facets.body.routes).toEqual(["default", "drives", "hvac", "iot"]);
    for (const route of ["hvac", "drives", "iot"]) {
      const list = await get<CaseListResponse>(`/v1/cases?route=${route}&limit=500`);
      expect(list.body.total).toBeGreaterThan(0);
      for (const c of list.body.cases) {
        const d = (await get<CaseDetail>(`/v1/cases/${c.id}`)).body;
        expect(d.affected_assemblies.some((a) => CHANNEL[a.assembly_id] === route)).toBe(true);
      }
    }
  });

  it("find a part by a piece of its number", async () => {
    const list = await get<CaseListResponse>("/v1/cases?q=tps5433");
    expect(list.body.cases.map((c) => c.part.mpn)).toEqual(["TPS54331D"]);
  });

  it("offer the makers and assemblies cases touch as filter choices", async () => {
    const f = (await get<CaseFacets>("/v1/cases/facets")).body;
    expect(f.manufacturers).toContain("Texas Instruments");
    expect(f.assemblies.map((a) => a.assembly_id)).toEqual(expect.arrayContaining(["KC-T100", "PCB-PWR"]));
  });

  it("refuse bad filters with 422 and the field", async () => {
    const bad = await get<{ error: string; issues: { path: string }[] }>("/v1/cases/totals?severity=awful");
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0]!.path).toMatch(/^severity/);
  });
});

describe("a case's context", () => {
  it("shows the words naming the part in each notice, marked", async () => {
    const c = await caseOf("TPS54331D");
    const ctx = (await get<CaseContext>(`/v1/cases/${c.id}/context`)).body;
    expect(ctx.excerpts).toHaveLength(2);
    for (const e of ctx.excerpts) {
      expect(e.excerpt).not.toBeNull();
      expect(e.excerpt!.excerpt.slice(e.excerpt!.start, e.excerpt!.end).toUpperCase()).toBe("TPS54331D");
    }
    const email = ctx.excerpts.find((e) => e.route === "email/mailgun")!;
    expect(email.subject).toMatch(/TPS54331D/);
    expect(email.confidence).toBeGreaterThan(0);
    expect(email.location).toMatchObject({ part: "text" });
  });

  it("shows the assembly tree with the part's units per unit the case counted", async () => {
    const c = await caseOf("TPS54331D");
    const ctx = (await get<CaseContext>(`/v1/cases/${c.id}/context`)).body;
    const flat = new Map<string, number>();
    const walk = (nodes: CaseContext["tree"]["roots"]) => {
      for (const n of nodes) {
        flat.set(n.assembly_id, n.part_units_per_unit);
        walk(n.children);
      }
    };
    walk(ctx.tree.roots);
    expect(ctx.tree.roots.map((r) => r.assembly_id)).toEqual(["KC-G300", "KC-P200", "KC-T100"]);
    for (const a of c.affected_assemblies)
      expect({ a: a.assembly_id, q: flat.get(a.assembly_id) }).toEqual({
        a: a.assembly_id,
        q: a.qty_per_unit,
      });
    expect(ctx.explanation.join(" ")).toMatch(/runs out|decide by/);
    expect(ctx.transitions.decide.from).toContain("open");
  });

  it("records the inputs each option's cost comes from, so the formulas add up", async () => {
    const c = await caseOf("TPS54331D");
    const r = c.reports[c.reports.length - 1]!.result;
    const i = r.inputs!;
    expect(i).toMatchObject({
      unit_cost: 0.92,
      on_hand: 6000,
      on_order: 2000,
      holding_cost_rate: 0.2,
      broker_premium: 3,
    });
    const Q = r.shortfall_units;
    expect(r.options.last_time_buy).toBeCloseTo(
      (Q * i.unit_cost * i.holding_cost_rate * i.horizon_years) / 2,
      0,
    );
    expect(r.options.broker).toBeCloseTo(Q * i.unit_cost * (i.broker_premium - 1), 2);
    const bridge = r.bridges.redesign!;
    const bridgeCost = bridge.units * i.unit_cost * i.holding_cost_rate * (r.lead_months.redesign / 12 / 2);
    expect(r.options.redesign).toBeCloseTo(i.redesign_nre * i.holders_with_demand + bridgeCost, 1);
  });

  it("answers 404 for an unknown case and 422 for a malformed id", async () => {
    expect((await get("/v1/cases/3f1c1130-9a7d-4e36-b8f0-c2a1d9e7b3f4/context")).status).toBe(404);
    expect((await get("/v1/cases/nope/context")).status).toBe(422);
  });
});

describe("notice search", () => {
  it("finds notices by part number, maker, trace id, day and status", async () => {
    const byMpn = (await get<NoticeSearchResponse>("/v1/notices?mpn=cy7c68013")).body;
    expect(byMpn.notices.map((n) => n.parts[0]!.mpn)).toEqual(["CY7C68013A-56PVXC"]);
    const byMaker = (await get<NoticeSearchResponse>("/v1/notices?manufacturer=infineon")).body;
    expect(byMaker.notices).toHaveLength(1);
    const one = (await get<NoticeSearchResponse>(`/v1/notices?trace_id=${traces[0]}`)).body;
    expect(one.notices.map((n) => n.trace_id)).toEqual([traces[0]]);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(
      (await get<NoticeSearchResponse>(`/v1/notices?from=${today}&to=${today}`)).body.notices,
    ).toHaveLength(8);
    expect((await get<NoticeSearchResponse>(`/v1/notices?to=${yesterday}`)).body.notices).toHaveLength(0);
    expect((await get<NoticeSearchResponse>("/v1/notices?status=completed")).body.notices).toHaveLength(8);
    expect((await get<NoticeSearchResponse>("/v1/notices?status=dead")).body.notices).toHaveLength(0);
  });

  it("pages newest first and says when there is more", async () => {
    const first = (await get<NoticeSearchResponse>("/v1/notices?limit=3")).body;
    const rest = (await get<NoticeSearchResponse>("/v1/notices?limit=10&offset=3")).body;
    expect(first.has_more).toBe(true);
    expect(rest.has_more).toBe(false);
    const all = [...first.notices, ...rest.notices].map((n) => n.received_at);
    expect(all).toHaveLength(8);
    expect([...all].sort().reverse()).toEqual(all);
  });

  it("lists for review only notices with a part the extractor was unsure of", async () => {
    const review = (await get<NoticeSearchResponse>("/v1/notices?needs_review=true")).body;
    for (const n of review.notices) expect(n.parts.some((p) => p.needs_review)).toBe(true);
    const all = (await get<NoticeSearchResponse>("/v1/notices")).body;
    const unsure = all.notices.filter((n) => n.parts.some((p) => p.needs_review)).length;
    expect(review.notices).toHaveLength(unsure);
  });

  it("refuses a malformed search with 422", async () => {
    for (const q of ["trace_id=nope", "from=31/12/2026", "status=lost", "limit=0"]) {
      expect({ q, status: (await get(`/v1/notices?${q}`)).status }).toEqual({ q, status: 422 });
    }
  });
});

describe("raw payloads", () => {
  it("are returned as JSON text, never served as what they contain", async () => {
    const email = (await get<NoticeSearchResponse>("/v1/notices?mpn=cy7c68013")).body.notices[0]!;
    const raw = await get<RawPayload>(`/v1/notices/${email.trace_id}/raw`);
    expect(raw.type).toMatch(/^application\/json/);
    expect(raw.body.content_type).toBe("application/x-www-form-urlencoded");
    expect(raw.body.bytes).toBeGreaterThan(1000);
    expect(raw.body.truncated).toBe(false);
    expect(raw.body.text).toContain("CY7C68013A");
    expect((await get("/v1/notices/3f1c1130-9a7d-4e36-b8f0-c2a1d9e7b3f4/raw")).status).toBe(404);
  });
});

describe("operations", () => {
  it("replay-all with nothing dead replays nothing", async () => {
    const res = await fetch(`${g.url}/v1/dead-letters/replay-all`, { method: "POST" });
    expect(res.status).toBe(202);
    expect((await res.json()) as ReplayAllResponse).toEqual({ replayed: 0, dead_letters: [], more: false });
  });

  it("health sums up this process's metrics", async () => {
    const h = (await get<HealthSummary>("/v1/health")).body;
    const finished = h.notices.reduce((s, n) => s + n.value, 0);
    expect(finished).toBeGreaterThanOrEqual(8);
    expect(h.ingest.filter((i) => i.labels.result === "accepted").reduce((s, i) => s + i.value, 0)).toBe(8);
    expect(h.dead_letters).toBe(0);
    expect(h.queue_depth.map((q) => q.labels.lane).sort()).toEqual(["main", "replay"]);
    expect(h.circuits.length).toBeGreaterThan(0);
    expect(h.history.length).toBeGreaterThan(0);
    expect(h.history[h.history.length - 1]!.notices_finished).toBe(finished);
  });
});
