import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { formatCasesTable } from "../../src/cases/cases.format.ts";
import { listCases } from "../../src/cases/cases.query.ts";
import { assessNotices } from "../../src/cases/cases.service.ts";
import { extractFromEmail } from "../../src/extract/extract.email.ts";
import type { ExtractedNotice } from "../../src/extract/notice.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../../src/impact/impact.settings.ts";
import {
  type ComponentAlertInput,
  normalizeComponentAlert,
} from "../../src/ingest/component-alert.normalize.ts";
import { parseMime } from "../../src/mail/mime.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { openTestStore } from "../support/stores.ts";

/** The sample company of `eolgate demo`: its BOM imports, and every sample notice hits it. */
const DIR = join(import.meta.dirname, "..", "..", "examples");
const NOTICES = join(DIR, "notices");
const NOW = new Date("2026-11-28T10:00:00Z");

async function noticesOf(file: string): Promise<ExtractedNotice[]> {
  const raw = readFileSync(join(NOTICES, file));
  if (file.endsWith(".json"))
    return [normalizeComponentAlert(JSON.parse(raw.toString("utf8")) as ComponentAlertInput).notice];
  const result = await extractFromEmail(await parseMime(raw, "json"), { now: NOW });
  return result.notices.map(({ confidence: _c, source: _s, ...n }) => n);
}

describe("examples/ sample company", () => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore("pglite");
  });
  afterAll(() => db.close());

  it("imports, and each sample notice lands on a case of a part its BOM holds", async () => {
    expect(await importBom(db, bomSourcesFromDir(join(DIR, "bom")))).toMatchObject({
      kind: "imported",
      counts: { assemblies: 8, parts: 19, alternates: 4, bom_lines: 30 },
      changedParts: 19,
    });
    const files = readdirSync(NOTICES)
      .filter((f) => /\.(json|eml)$/.test(f))
      .sort();
    const outcomes = [];
    for (const [i, file] of files.entries()) {
      const notices = await noticesOf(file);
      expect({ file, n: notices.length }).toEqual({ file, n: 1 });
      const out = await assessNotices(db, {
        traceId: `example-${i}`,
        receivedAt: NOW,
        notices,
        settings: DEFAULT_IMPACT_SETTINGS,
      });
      outcomes.push(
        ...out.map((o) => ({ file, kind: o.kind, mpn: o.part?.mpn, rec: o.impact?.recommendation })),
      );
    }
    expect(outcomes.filter((o) => o.kind === "no_match")).toEqual([]);
    const { cases } = await listCases(db, { sort: "exposure", limit: 50, offset: 0, today: "2026-11-28" });
    // Two sources (the SiliconExpert alert and TI's email) about the TPS54331D discontinuance: one case.
    expect(cases).toHaveLength(files.length - 1);
    expect(new Set(cases.map((c) => c.recommendation))).toEqual(
      new Set(["alternate", "substitute", "last_time_buy", "existing_stock", "none"]),
    );
    expect(formatCasesTable(cases)).toContain("Texas Instruments TPS54331D");
  });
});
