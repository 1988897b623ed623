import { join } from "node:path";
import { expect } from "vitest";
import { bomSourcesFromDir } from "../../src/bom/bom.files.ts";
import { importBom } from "../../src/bom/bom.import.ts";
import { assessNotices, type CaseOutcome } from "../../src/cases/cases.service.ts";
import type { ExtractedNotice } from "../../src/extract/notice.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../../src/impact/impact.settings.ts";
import type { SqlDriver } from "../../src/store/driver.ts";

/** The shared corpus BOM and notices on its parts, for the workflow's tests. */
export const CORPUS_BOM = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "bom");

/** A last-time-buy notice on TI TPS54331D (LTB 2027-03-31), with overrides. */
export function ltbNotice(over: Partial<ExtractedNotice> = {}): ExtractedNotice {
  return {
    manufacturer: "Texas Instruments",
    mpn: "TPS54331D",
    lifecycle_status: "ltb",
    notice_type: "discontinuance",
    pcn_id: null,
    ltb_date: "2027-03-31",
    last_ship_date: null,
    replacement_mpn: null,
    ...over,
  };
}

export async function importCorpusBom(db: SqlDriver): Promise<void> {
  expect((await importBom(db, bomSourcesFromDir(CORPUS_BOM))).kind).toBe("imported");
}

/** Assesses `notices` as one received message; returns the case outcomes. */
export function assess(
  db: SqlDriver,
  traceId: string,
  receivedAt: Date,
  notices: ExtractedNotice[],
): Promise<CaseOutcome[]> {
  return assessNotices(db, { traceId, receivedAt, notices, settings: DEFAULT_IMPACT_SETTINGS });
}
