import { readFileSync } from "node:fs";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { assessNotices } from "../cases/cases.service.ts";
import { loadConfig } from "../config.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../impact/impact.settings.ts";
import type { SqlDriver } from "../store/driver.ts";
import { registerBomRoutes } from "./bom.routes.ts";
import { registerCaseRoutes } from "./cases.routes.ts";
import { registerPartRoutes } from "./parts.routes.ts";

const CORPUS = "/work/shared/corpus/bom";

function form(files: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [field, body] of Object.entries(files))
    fd.append(field, new Blob([body], { type: "text/csv" }), `${field}.csv`);
  return fd;
}

async function json<T>(r: Response | Promise<Response>): Promise<T> {
  return (await (await r).json()) as T;
}
type Issues = { issues: { path: string }[] };

describeEachStore("case routes over HTTP", (kind) => {
  let db: SqlDriver;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    db = await openTestStore(kind);
    app = Fastify();
    const deps = {
      db,
      now: () => new Date("2026-12-01T12:00:00Z"),
      config: loadConfig({}),
      enqueue: () => {},
    };
    await registerCaseRoutes(app, deps);
    await registerPartRoutes(app, deps);
    await registerBomRoutes(app, deps);
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("rejects a bad import with file, line and reason, applying nothing", async () => {
    const res = await fetch(`${base}/v1/bom/import`, {
      method: "POST",
      body: form({
        assemblies: "assembly_id,name,annual_demand,unit_price,end_of_production\nA,A,ten,5,2030-01-01\n",
      }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: "validation_failed",
      message: 'assemblies.csv:2: annual_demand "ten" is not a non-negative number',
      issues: [
        {
          path: "assemblies.csv:2",
          file: "assemblies.csv",
          row: 2,
          message: 'annual_demand "ten" is not a non-negative number',
        },
      ],
      truncated: false,
    });
    const unknown = await fetch(`${base}/v1/bom/import`, {
      method: "POST",
      body: form({ widgets: "a\n1\n" }),
    });
    expect(unknown.status).toBe(422);
    expect((await json<Issues>(unknown)).issues[0]!.path).toBe("widgets");
    const wrongType = await fetch(`${base}/v1/bom/import`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
  });

  it("imports the corpus over multipart, then answers where-used and case queries", async () => {
    const files: Record<string, string> = {};
    for (const f of ["assemblies", "parts", "bom", "alternates"])
      files[f] = readFileSync(`${CORPUS}/${f}.csv`, "utf8");
    const res = await fetch(`${base}/v1/bom/import`, { method: "POST", body: form(files) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      imported: true,
      counts: { assemblies: 14, parts: 76, alternates: 11, bom_lines: 105 },
      bom_version: 1,
      changed_parts: 76,
      reevaluation: { bom_version: 1, cause: "bom_import", examined: 0, queued: [] },
    });

    const wu = await fetch(
      `${base}/v1/parts/${encodeURIComponent("LT1763IS8-2.5")}/where-used?manufacturer=Linear`,
    );
    expect(wu.status).toBe(200);
    const body = await json<{
      parts: { part: { mpn: string }; assemblies: { assembly_id: string; qty_per_unit: number }[] }[];
    }>(wu);
    expect(body.parts).toHaveLength(1);
    expect(body.parts[0]!.part.mpn).toBe("LT1763IS8-2.5#TRPBF");
    expect(body.parts[0]!.assemblies.map((a) => [a.assembly_id, a.qty_per_unit])).toContainEqual([
      "PRD-DL400",
      12,
    ]);
    expect((await fetch(`${base}/v1/parts/NOPE-1/where-used`)).status).toBe(404);

    const [o] = await assessNotices(db, {
      traceId: "t-http",
      receivedAt: new Date("2026-12-01T08:00:00Z"),
      notices: [
        {
          manufacturer: "Texas Instruments",
          mpn: "TLV70233DBVT",
          lifecycle_status: "ltb",
          notice_type: "discontinuance",
          pcn_id: "20260113002",
          ltb_date: "2027-03-31",
          last_ship_date: null,
          replacement_mpn: null,
        },
      ],
      settings: DEFAULT_IMPACT_SETTINGS,
    });
    const list = await json<{ total: number; cases: unknown[] }>(
      fetch(`${base}/v1/cases?sort=days_to_ltb&product=PRD-DL400`),
    );
    expect(list.total).toBe(1);
    expect(list.cases[0]).toMatchObject({
      id: o!.case_id,
      days_to_ltb: 120,
      recommendation: "last_time_buy",
    });
    const one = await json<{
      options: Record<string, number | null>;
      affected_assemblies: unknown[];
      notices_linked: { notice: { pcn_id: string } }[];
    }>(fetch(`${base}/v1/cases/${o!.case_id}`));
    expect(one.options.last_time_buy).toBe(163.96);
    expect(one.affected_assemblies).toContainEqual({
      assembly_id: "PRD-DL400",
      name: "DataLogger 400",
      qty_per_unit: 10,
    });
    expect(one.notices_linked[0]!.notice.pcn_id).toBe("20260113002");
    // The §6b time view of the corpus reference for TLV70233DBVT.
    expect(list.cases[0]).toMatchObject({
      severity: "high",
      run_out_date: "2026-12-01",
      decision_by: "2027-03-31",
      days_to_decision: 120,
      coverage_months: 0,
    });
    expect(one).toMatchObject({
      covered: false,
      bridges: { alternate: null, substitute: null, redesign: { units: 12299, source: "last_time_buy" } },
      stress: { growth: 0.05, demand_units: 43838, shortfall_units: 43838, run_out_date: "2026-12-01" },
      near_misses: [],
    });
  });

  it("sorts and filters cases by severity and decide-by date", async () => {
    const notice = (mpn: string, lifecycle_status: "obsolete" | "eol" | "nrnd", ltb_date: string | null) => ({
      manufacturer: null,
      mpn,
      lifecycle_status,
      notice_type: lifecycle_status === "nrnd" ? ("status_update" as const) : ("discontinuance" as const),
      pcn_id: null,
      ltb_date,
      last_ship_date: null,
      replacement_mpn: null,
    });
    await assessNotices(db, {
      traceId: "t-http-more",
      receivedAt: new Date("2026-12-01T08:00:00Z"),
      notices: [
        notice("MAX232CSE+T", "obsolete", "2025-06-30"),
        notice("BC857C,235", "eol", null),
        notice("LPC1766FBD100K", "nrnd", null),
      ],
      settings: DEFAULT_IMPACT_SETTINGS,
    });
    type Row = { part: { mpn: string }; severity: string; decision_by: string | null };
    const rows = async (query: string) =>
      (await json<{ cases: Row[] }>(fetch(`${base}/v1/cases?${query}`))).cases.map((c) => [
        c.part.mpn,
        c.severity,
        c.decision_by,
      ]);
    expect(await rows("sort=severity")).toEqual([
      ["MAX232CSE+T", "critical", "2026-12-03"],
      ["TLV70233DBVT", "high", "2027-03-31"],
      ["BC857C,235", "medium", "2029-05-05"],
      ["LPC1766FBD100K", "none", null],
    ]);
    expect(await rows("sort=decision_by")).toEqual([
      ["MAX232CSE+T", "critical", "2026-12-03"],
      ["TLV70233DBVT", "high", "2027-03-31"],
      ["BC857C,235", "medium", "2029-05-05"],
      ["LPC1766FBD100K", "none", null],
    ]);
    expect((await rows("severity=critical,HIGH&sort=exposure")).map((r) => r[0])).toEqual([
      "TLV70233DBVT",
      "MAX232CSE+T",
    ]);
    expect(await rows("decision_by_before=2027-03-31&sort=decision_by")).toEqual([
      ["MAX232CSE+T", "critical", "2026-12-03"],
      ["TLV70233DBVT", "high", "2027-03-31"],
    ]);
    expect(await rows("severity=none")).toEqual([["LPC1766FBD100K", "none", null]]);
  });

  it("answers bad queries with 422 and unknown cases with 404", async () => {
    const bad = await fetch(`${base}/v1/cases?sort=cheapest&limit=0`);
    expect(bad.status).toBe(422);
    const issues = (await json<Issues>(bad)).issues.map((i) => i.path).sort();
    expect(issues).toEqual(["limit", "sort"]);
    const badTime = await fetch(`${base}/v1/cases?severity=urgent&decision_by_before=31/12/2027`);
    expect(badTime.status).toBe(422);
    expect((await json<Issues>(badTime)).issues.map((i) => i.path.split(".")[0]).sort()).toEqual([
      "decision_by_before",
      "severity",
    ]);
    expect((await fetch(`${base}/v1/cases/not-a-uuid`)).status).toBe(422);
    const missing = await fetch(`${base}/v1/cases/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not_found", message: "no case with this id" });
  });

  it("finds cases by part number (as written or without packaging) and by free text", async () => {
    type Page = { total: number; cases: { part: { mpn: string } }[] };
    const mpns = async (query: string) =>
      (await json<Page>(fetch(`${base}/v1/cases?${query}`))).cases.map((c) => c.part.mpn).sort();
    expect(await mpns("mpn=TLV70233DBVT")).toEqual(["TLV70233DBVT"]);
    expect(await mpns("mpn=tlv70233dbvt")).toEqual(["TLV70233DBVT"]);
    // The reel variant of a stored part names the same die: its case is found.
    expect(await mpns(`mpn=${encodeURIComponent("MAX232CSE+T")}`)).toEqual(["MAX232CSE+T"]);
    expect(await mpns("mpn=NOPE-1")).toEqual([]);
    expect(await mpns("q=20260113002")).toEqual(["TLV70233DBVT"]);
    expect(await mpns("q=lpc17")).toEqual(["LPC1766FBD100K"]);
    const page = await json<Page>(fetch(`${base}/v1/cases?q=tlv&limit=1`));
    expect(page.total).toBe(1);
  });

  it("assesses a part over HTTP with the CLI's parameters and answers its JSON", async () => {
    const r = await fetch(
      `${base}/v1/parts/TLV70233DBVT/assessment?status=LTB&ltb_date=2027-03-31&as_of=2026-12-01`,
    );
    expect(r.status).toBe(200);
    const a = (await r.json()) as Record<string, unknown>;
    expect(a).toMatchObject({
      part: { manufacturer: "Texas Instruments", mpn: "TLV70233DBVT" },
      recommendation: "last_time_buy",
      currency: "USD",
      severity: "high",
      decision_by: "2027-03-31",
    });
    for (const field of ["covered", "run_out_date", "coverage_months", "bridges", "stress", "near_misses"])
      expect(a).toHaveProperty(field);
    const unknownPart = (await json<{ part: unknown; revenue_at_risk: number }>(
      fetch(`${base}/v1/parts/NOPE-1/assessment`),
    )) as { part: unknown; revenue_at_risk: number };
    expect(unknownPart).toMatchObject({ part: null, revenue_at_risk: 0 });
    const bad = await fetch(`${base}/v1/parts/TLV70233DBVT/assessment?status=gone&as_of=2026-13-01`);
    expect(bad.status).toBe(422);
    expect((await json<Issues>(bad)).issues.map((i) => i.path).sort()).toEqual(["as_of", "status"]);
  });
});
