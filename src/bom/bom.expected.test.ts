import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../impact/impact.settings.ts";
import { LifecycleStatus } from "../parts/lifecycle.ts";
import type { SqlDriver } from "../store/driver.ts";
import { assessPart } from "./bom.assess.ts";
import { bomSourcesFromDir } from "./bom.files.ts";
import { importBom } from "./bom.import.ts";

const CORPUS = "/work/shared/corpus/bom";

interface ExpectedCase {
  case: { mpn: string; manufacturer: string | null; status: string; ltb_date?: string | null; as_of: string };
  expect: Record<string, unknown>;
}
const cases = JSON.parse(readFileSync(`${CORPUS}/expected.json`, "utf8")) as ExpectedCase[];

describeEachStore("impact model over the imported corpus graph", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
    const r = await importBom(db, bomSourcesFromDir(CORPUS));
    expect(r.kind).toBe("imported");
  });
  afterAll(() => db.close());

  it.each(cases.map((c, i) => [`${i} ${c.case.mpn} ${c.case.status}`, c] as const))("%s", async (_n, c) => {
    const out = await assessPart(db, {
      manufacturer: c.case.manufacturer,
      mpn: c.case.mpn,
      status: LifecycleStatus.parse(c.case.status),
      ltbDate: c.case.ltb_date ?? null,
      asOf: new Date(`${c.case.as_of}T00:00:00Z`),
      settings: DEFAULT_IMPACT_SETTINGS,
    });
    if (out.kind !== "assessed") throw new Error(`ambiguous: ${JSON.stringify(out)}`);
    // Every field the reference gives, exactly: units are whole, money is already rounded to cents.
    for (const [field, want] of Object.entries(c.expect)) {
      expect({ field, got: (out.result as unknown as Record<string, unknown>)[field] }).toEqual({
        field,
        got: want,
      });
    }
  });
});
