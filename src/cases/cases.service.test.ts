import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { bomSourcesFromDir } from "../bom/bom.files.ts";
import { importBom } from "../bom/bom.import.ts";
import type { ExtractedNotice } from "../extract/notice.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../impact/impact.settings.ts";
import type { SqlDriver } from "../store/driver.ts";
import { eventKindOf, mergeFacts } from "./case.identity.ts";
import { formatCasesTable } from "./cases.format.ts";
import { getCase, listCases } from "./cases.query.ts";
import { assessNotices } from "./cases.service.ts";

const notice = (over: Partial<ExtractedNotice>): ExtractedNotice => ({
  manufacturer: "Texas Instruments",
  mpn: "TPS54331D",
  lifecycle_status: "ltb",
  notice_type: "discontinuance",
  pcn_id: null,
  ltb_date: null,
  last_ship_date: null,
  replacement_mpn: null,
  ...over,
});
const at = (d: string) => new Date(`${d}T09:30:00Z`);
const settings = DEFAULT_IMPACT_SETTINGS;

describe("case identity", () => {
  it("groups EOL, LTB and obsolete notices as one discontinuance, apart from PCNs and NRND", () => {
    expect(eventKindOf({ notice_type: "discontinuance", lifecycle_status: "eol" })).toBe("discontinuance");
    expect(eventKindOf({ notice_type: "status_update", lifecycle_status: "obsolete" })).toBe(
      "discontinuance",
    );
    expect(eventKindOf({ notice_type: "product_change", lifecycle_status: "active" })).toBe("product_change");
    expect(eventKindOf({ notice_type: "status_update", lifecycle_status: "nrnd" })).toBe("status_update");
  });

  it("lets a newer notice override what it states, and an older one only fill gaps", () => {
    const cur = {
      lifecycle_status: "eol" as const,
      ltb_date: "2027-03-31",
      last_ship_date: null,
      pcn_id: "P1",
      replacement_mpn: null,
    };
    const newer = mergeFacts(cur, at("2026-12-01"), notice({ ltb_date: "2027-06-30" }), at("2026-12-02"));
    expect(newer.changes).toEqual([
      { field: "lifecycle_status", from: "eol", to: "ltb" },
      { field: "ltb_date", from: "2027-03-31", to: "2027-06-30" },
    ]);
    const older = mergeFacts(
      cur,
      at("2026-12-01"),
      notice({ ltb_date: "2027-01-31", last_ship_date: "2027-09-30", lifecycle_status: "unknown" }),
      at("2026-11-01"),
    );
    expect(older.changes).toEqual([{ field: "last_ship_date", from: null, to: "2027-09-30" }]);
  });
});

describeEachStore("cases: match & assess", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
    expect((await importBom(db, bomSourcesFromDir("/work/shared/corpus/bom"))).kind).toBe("imported");
  });
  afterAll(() => db.close());

  const counts = async () =>
    (
      await db.query<{ cases: number; reports: number; links: number }>(
        `select (select count(*)::int from cases) as cases, (select count(*)::int from impact_reports) as reports,
           (select count(*)::int from case_notices) as links`,
      )
    ).rows[0]!;

  it("puts an aggregator alert and the maker's email about one event on one case, and re-assesses", async () => {
    const alert = await assessNotices(db, {
      traceId: "t-alert",
      receivedAt: at("2026-12-01"),
      notices: [notice({ manufacturer: "TI", mpn: "tps54331d" })],
      settings,
    });
    expect(alert).toHaveLength(1);
    expect(alert[0]).toMatchObject({ kind: "created", report_version: 1, event_kind: "discontinuance" });
    expect(alert[0]!.impact!.options.last_time_buy).not.toBeNull();

    const email = await assessNotices(db, {
      traceId: "t-email",
      receivedAt: at("2026-12-01"),
      notices: [notice({ pcn_id: "20260113002", ltb_date: "2027-03-31", replacement_mpn: "TPS54331DR" })],
      settings,
    });
    expect(email[0]).toMatchObject({ kind: "updated", case_id: alert[0]!.case_id, report_version: 2 });
    expect(email[0]!.changes).toEqual([
      { field: "ltb_date", from: null, to: "2027-03-31" },
      { field: "pcn_id", from: null, to: "20260113002" },
      { field: "replacement_mpn", from: null, to: "TPS54331DR" },
      // Known now, the LTB date is the day to decide by (it was the run-out date).
      { field: "decision_by", from: "2027-04-05", to: "2027-03-31" },
    ]);
    // The corpus reference for TPS54331D, LTB 2027-03-31, as of 2026-12-01.
    expect(email[0]!.impact).toMatchObject({
      demand_units: 87373,
      revenue_at_risk: 13797758.15,
      pnl_impact: 13456.99,
    });

    // The LTB date moves into the past: the buy window is gone, so the recommendation changes.
    const revised = await assessNotices(db, {
      traceId: "t-revised",
      receivedAt: at("2026-12-02"),
      notices: [notice({ ltb_date: "2026-11-30" })],
      settings,
    });
    expect(revised[0]).toMatchObject({ kind: "updated", report_version: 3 });
    expect(revised[0]!.changes).toEqual([
      { field: "ltb_date", from: "2027-03-31", to: "2026-11-30" },
      // No last-time buy any more, and the substitute's bridge must come from a broker now.
      { field: "severity", from: "high", to: "critical" },
      { field: "decision_by", from: "2027-03-31", to: "2026-12-02" },
    ]);
    expect(revised[0]!.impact!.options.last_time_buy).toBeNull();
    expect(revised[0]!.impact!.recommendation).toBe("substitute");
    expect(revised[0]!.impact!.bridges.substitute).toMatchObject({ source: "broker" });

    const detail = await getCase(db, alert[0]!.case_id!, "2026-12-02");
    expect(detail!.reports.map((r) => [r.version, r.trace_id, r.result.ltb_date])).toEqual([
      [1, "t-alert", null],
      [2, "t-email", "2027-03-31"],
      [3, "t-revised", "2026-11-30"],
    ]);
    expect(detail!.notices_linked.map((n) => n.trace_id)).toEqual(["t-alert", "t-email", "t-revised"]);
    expect(detail!.affected_assemblies.map((a) => a.assembly_id)).toEqual([
      "PCB-MAIN-A",
      "PRD-DL200",
      "PRD-GW10",
    ]);
    expect(detail!.days_to_ltb).toBe(-2);
  });

  it("answers a retry of a trace id with the first outcome and writes nothing more", async () => {
    const input = {
      traceId: "t-retry",
      receivedAt: at("2026-12-01"),
      notices: [
        notice({ manufacturer: "Microchip", mpn: "PIC16F877A-I/PT", ltb_date: "2027-02-05" }),
        notice({ manufacturer: "Acme", mpn: "NOT-A-PART-1" }),
      ],
      settings,
    };
    const first = await assessNotices(db, input);
    expect(first.map((o) => o.kind)).toEqual(["created", "no_match"]);
    const before = await counts();
    const again = await assessNotices(db, input);
    expect(again).toEqual(first);
    expect(await counts()).toEqual(before);
  });

  it("links a repeat from another source without a new report, and keeps a late older notice from rolling back", async () => {
    const first = await assessNotices(db, {
      traceId: "t-mmbt-1",
      receivedAt: at("2026-12-05"),
      notices: [notice({ manufacturer: "onsemi", mpn: "MMBT3904LT1G", ltb_date: "2027-06-30" })],
      settings,
    });
    const same = await assessNotices(db, {
      traceId: "t-mmbt-2",
      receivedAt: at("2026-12-06"),
      notices: [notice({ manufacturer: "ON Semiconductor", mpn: "MMBT3904LT1G", ltb_date: "2027-06-30" })],
      settings,
    });
    expect(same[0]).toMatchObject({ kind: "unchanged", case_id: first[0]!.case_id, report_version: 1 });
    const late = await assessNotices(db, {
      traceId: "t-mmbt-0",
      receivedAt: at("2026-11-01"),
      notices: [
        notice({
          manufacturer: "onsemi",
          mpn: "MMBT3904LT1G",
          lifecycle_status: "eol",
          ltb_date: "2027-01-31",
        }),
      ],
      settings,
    });
    expect(late[0]).toMatchObject({ kind: "unchanged", report_version: 1 });
  });

  it("puts a cancellation on the discontinuance case, and a PCN on its own case", async () => {
    const eol = await assessNotices(db, {
      traceId: "t-stm-eol",
      receivedAt: at("2026-12-01"),
      notices: [
        notice({ manufacturer: "STMicroelectronics", mpn: "STM32F103RCT6", lifecycle_status: "eol" }),
      ],
      settings,
    });
    const pcn = await assessNotices(db, {
      traceId: "t-stm-pcn",
      receivedAt: at("2026-12-02"),
      notices: [
        notice({
          manufacturer: "STMicroelectronics",
          mpn: "STM32F103RCT6",
          lifecycle_status: "active",
          notice_type: "product_change",
          pcn_id: "PCN-1",
        }),
      ],
      settings,
    });
    expect(pcn[0]).toMatchObject({ kind: "created", event_kind: "product_change" });
    expect(pcn[0]!.case_id).not.toBe(eol[0]!.case_id);
    const cancel = await assessNotices(db, {
      traceId: "t-stm-cancel",
      receivedAt: at("2026-12-03"),
      notices: [
        notice({
          manufacturer: "STMicroelectronics",
          mpn: "STM32F103RCT6",
          lifecycle_status: "active",
          notice_type: "status_update",
        }),
      ],
      settings,
    });
    expect(cancel[0]).toMatchObject({
      kind: "updated",
      case_id: eol[0]!.case_id,
      event_kind: "discontinuance",
    });
    expect(cancel[0]!.changes).toEqual([
      { field: "lifecycle_status", from: "eol", to: "active" },
      // Supply no longer ends (DESIGN §6 step 0): nothing to decide.
      { field: "severity", from: "high", to: "none" },
      { field: "decision_by", from: "2026-12-02", to: null },
    ]);
    expect(cancel[0]!.impact).toMatchObject({
      recommendation: "none",
      revenue_at_risk: 0,
      supply_ends: false,
    });
    // A product change on an active part is a review item: no buy advice.
    expect(pcn[0]!.impact).toMatchObject({ recommendation: "none", shortfall_units: 0, severity: "none" });
  });

  it("lists cases filtered by status, maker and product, sorted by exposure or days to LTB", async () => {
    const all = await listCases(db, { sort: "exposure", limit: 50, offset: 0, today: "2026-12-01" });
    expect(all.total).toBe(all.cases.length);
    const exposures = all.cases.map((c) => c.revenue_at_risk);
    expect(exposures).toEqual([...exposures].sort((a, b) => b - a));
    const byLtb = await listCases(db, { sort: "days_to_ltb", limit: 50, offset: 0, today: "2026-12-01" });
    const days = byLtb.cases.map((c) => c.days_to_ltb).filter((d): d is number => d !== null);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(byLtb.cases.at(-1)!.days_to_ltb).toBeNull();

    const ti = await listCases(db, {
      manufacturer: "National Semiconductor",
      sort: "exposure",
      limit: 50,
      offset: 0,
      today: "2026-12-01",
    });
    expect(ti.cases.map((c) => c.part.mpn)).toEqual(["TPS54331D"]);
    const gw10 = await listCases(db, {
      product: "PRD-GW10",
      sort: "exposure",
      limit: 50,
      offset: 0,
      today: "2026-12-01",
    });
    expect(gw10.cases.map((c) => c.part.mpn)).toEqual(["TPS54331D"]);
    const active = await listCases(db, {
      status: "active",
      sort: "exposure",
      limit: 1,
      offset: 0,
      today: "2026-12-01",
    });
    expect(active.cases).toHaveLength(1);
    expect(active.total).toBe(2);

    const table = formatCasesTable(all.cases);
    expect(table.split("\n")[0]).toMatch(
      /^PART\s+EVENT\s+STATUS\s+SEVERITY\s+LTB DATE\s+RUNS OUT\s+DECIDE BY\s+REVENUE AT RISK \(USD\)\s+RECOMMENDATION/,
    );
    expect(table).toMatch(
      /STM32F103RCT6\s+product_change\s+active\s+none\s+-\s+-\s+-\s+0\s+review \(no buy\)/,
    );
    expect(table).toContain("Texas Instruments TPS54331D");
    expect(table).toContain("not published standards");
  });
});
