import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startTestApp } from "../support/gateway.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";
import { startWorker, waitFor } from "./pipeline.support.ts";

/**
 * Issue 16: a notice that arrives before the BOM holds its part becomes a case once the BOM is
 * imported, through a re-evaluation that is its own trace; the other order gives the same case;
 * re-importing the same BOM or asking again re-evaluates nothing twice; a BOM change re-evaluates
 * only the notices naming a changed part, and an existing case gets a new report when its figures
 * move.
 */
const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");
const bomFile = (f: string) => readFileSync(join(EXAMPLES, "bom", `${f}.csv`), "utf8");

function bomForm(files: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [field, body] of Object.entries(files))
    fd.append(field, new Blob([body], { type: "text/csv" }), `${field}.csv`);
  return fd;
}
const FULL = () => ({
  assemblies: bomFile("assemblies"),
  parts: bomFile("parts"),
  bom: bomFile("bom"),
  alternates: bomFile("alternates"),
});

const TPS = {
  source_platform: "SiliconExpert",
  manufacturer_code: "TI",
  part_number: "TPS54331D",
  lifecycle_status: "LTB",
  ltb_date: "2027-03-31",
  raw_context: "PDN 20260113002",
};
const UNRELATED = { ...TPS, part_number: "NE555DR", raw_context: "not in the BOM" };

type Status = {
  status: string;
  cases: { case_id: string | null; note?: string }[];
  reevaluations: { trace_id: string; bom_version: number; cause: string; status: string }[];
  reevaluation_of: { notice_trace_id: string; bom_version: number } | null;
};

describeEachStore("re-evaluation after a BOM import", (kind) => {
  let db: SqlDriver;
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let w: ReturnType<typeof startWorker>;
  const status = async (id: string) => (await t.get(`/v1/notices/${id}`)).body as Status;
  const settled = (id: string) =>
    waitFor(
      () => status(id),
      (s) => s.status === "completed" || s.status === "dead",
      `notice ${id} settled`,
    );
  const importHttp = async (files: Record<string, string>) => {
    const res = await fetch(`${t.url}/v1/bom/import`, { method: "POST", body: bomForm(files) });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      bom_version: number;
      changed_parts: number;
      reevaluation: { queued: string[]; already: number; matched: number };
    };
  };
  const outbox = async () =>
    (
      await db.query<{ payload: { event: string; cause?: { kind: string; bom_version: number } } }>(
        "select payload from notify_outbox order by created_at, delivery_id",
      )
    ).rows.map((r) => r.payload);

  beforeAll(async () => {
    db = await openTestStore(kind);
    t = await startTestApp(db);
    w = startWorker(db, { webhookUrl: "http://127.0.0.1:9/hooks" });
  });
  afterAll(async () => {
    await w.queue.close(1000);
    await t.close();
    await db.close();
  });

  it("notices first, then the BOM: the import re-evaluates them and the case says so", async () => {
    const first = (await t.post("/v1/ingest/component-alert", TPS)).body as { trace_id: string };
    const other = (await t.post("/v1/ingest/component-alert", UNRELATED)).body as { trace_id: string };
    const before = await settled(first.trace_id);
    await settled(other.trace_id);
    expect(before.cases).toEqual([expect.objectContaining({ case_id: null })]);
    expect((await t.get("/v1/cases")).body).toMatchObject({ total: 0 });

    const imported = await importHttp(FULL());
    expect(imported).toMatchObject({ bom_version: 1, changed_parts: 19 });
    // Only the notice naming a BOM part is re-evaluated.
    expect(imported.reevaluation).toMatchObject({ matched: 1, already: 0 });
    const [reevaluation] = imported.reevaluation.queued;
    const done = await settled(reevaluation!);
    expect(done).toMatchObject({
      status: "completed",
      reevaluation_of: { notice_trace_id: first.trace_id, bom_version: 1 },
    });
    const caseId = done.cases[0]!.case_id!;
    expect(caseId).toBeTruthy();
    expect((await status(first.trace_id)).reevaluations).toEqual([
      expect.objectContaining({
        trace_id: reevaluation,
        bom_version: 1,
        cause: "bom_import",
        status: "completed",
      }),
    ]);
    expect((await status(other.trace_id)).reevaluations).toEqual([]);

    const kase = (await t.get(`/v1/cases/${caseId}`)).body as CaseFigures & {
      reports: { cause: unknown }[];
      notices_linked: { trace_id: string; cause: unknown }[];
    };
    expect(kase.reports[0]!.cause).toEqual({
      kind: "reevaluation",
      notice_trace_id: first.trace_id,
      bom_version: 1,
    });
    expect(kase.notices_linked[0]).toMatchObject({ trace_id: reevaluation, cause: { kind: "reevaluation" } });
    firstOrder = figures(kase);
    const [message] = await outbox();
    expect(message).toMatchObject({ event: "created", cause: { kind: "reevaluation", bom_version: 1 } });
  });

  it("re-importing the same BOM, or asking again, re-evaluates nothing twice", async () => {
    const again = await importHttp(FULL());
    expect(again).toMatchObject({ bom_version: 2, changed_parts: 0, reevaluation: { queued: [] } });
    const asked = await t.post("/v1/notices/reevaluate", {});
    expect(asked.status).toBe(202);
    const plan = asked.body as { bom_version: number; queued: string[]; already: number };
    expect(plan.bom_version).toBe(2);
    // Version 2 changed nothing, so on demand each notice naming parts gets one re-evaluation…
    for (const id of plan.queued) await settled(id);
    const repeat = (await t.post("/v1/notices/reevaluate", {})).body as { queued: string[]; already: number };
    // …and asking again for the same version adds none.
    expect(repeat.queued).toEqual([]);
    expect(repeat.already).toBe(plan.queued.length);
    // The figures did not move: the case keeps its report, no message is added.
    const cases = (await t.get("/v1/cases")).body as { cases: { id: string; report_version: number }[] };
    expect(cases.cases.map((c) => c.report_version)).toEqual([1]);
    expect(await outbox()).toHaveLength(1);
  });

  it("a changed BOM re-assesses the case: a new report, and an update message when the advice moves", async () => {
    // Enough stock arrives to cover all demand: the part's notice is re-evaluated, no other.
    const parts = bomFile("parts").replace(
      /^(Texas Instruments,TPS54331D,[^,]+,)(\d+)/m,
      (_m, a) => `${a}99999999`,
    );
    const moved = await importHttp({ parts });
    expect(moved.changed_parts).toBe(1);
    expect(moved.reevaluation.queued).toHaveLength(1);
    await settled(moved.reevaluation.queued[0]!);
    const list = (await t.get("/v1/cases?mpn=TPS54331D")).body as {
      cases: { id: string; report_version: number; recommendation: string }[];
    };
    expect(list.cases[0]).toMatchObject({ report_version: 2, recommendation: "existing_stock" });
    const kase = (await t.get(`/v1/cases/${list.cases[0]!.id}`)).body as {
      reports: { version: number; cause: { bom_version: number } | null; changes: { field: string }[] }[];
    };
    const latest = kase.reports[1]!;
    expect(latest.cause).toMatchObject({ kind: "reevaluation", bom_version: moved.bom_version });
    expect(latest.changes.map((c) => c.field)).toEqual(
      expect.arrayContaining(["recommendation", "revenue_at_risk", "severity"]),
    );
    const messages = await outbox();
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({
      event: "updated",
      cause: { kind: "reevaluation", bom_version: moved.bom_version },
    });
  });

  it("BOM first, then the notice: the same case, made by the notice itself", async () => {
    const db2 = await openTestStore(kind);
    const t2 = await startTestApp(db2);
    const w2 = startWorker(db2);
    try {
      const res = await fetch(`${t2.url}/v1/bom/import`, { method: "POST", body: bomForm(FULL()) });
      expect(((await res.json()) as { reevaluation: { queued: string[] } }).reevaluation.queued).toEqual([]);
      const ack = (await t2.post("/v1/ingest/component-alert", TPS)).body as { trace_id: string };
      const done = await waitFor(
        async () => (await t2.get(`/v1/notices/${ack.trace_id}`)).body as Status,
        (s) => s.status === "completed",
        "notice completed",
      );
      expect(done.reevaluation_of).toBeNull();
      const kase = (await t2.get(`/v1/cases/${done.cases[0]!.case_id}`)).body as CaseFigures & {
        reports: { cause: unknown }[];
      };
      expect(kase.reports[0]!.cause).toBeNull();
      expect(figures(kase)).toEqual(firstOrder);
    } finally {
      await w2.queue.close(1000);
      await t2.close();
      await db2.close();
    }
  });
});

type CaseFigures = { recommendation: string; revenue_at_risk: number; pnl_impact: number; status: string };
const figures = (c: CaseFigures) => ({
  recommendation: c.recommendation,
  revenue_at_risk: c.revenue_at_risk,
  pnl_impact: c.pnl_impact,
  status: c.status,
});
let firstOrder: ReturnType<typeof figures> | null = null;
