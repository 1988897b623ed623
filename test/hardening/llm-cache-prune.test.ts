import { afterAll, beforeAll, expect, it } from "vitest";
import { sqlCache } from "../../src/llm/llm-cache.repository.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";

describeEachStore("llm_cache pruning", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind);
  });
  afterAll(() => db.close());

  const entry = { answer: { ok: true }, promptTokens: 1, completionTokens: 1 };
  const meta = (at: string) => ({
    purpose: "extraction" as const,
    model: "m",
    promptVersion: "1",
    at: new Date(at),
  });
  const keys = async () =>
    (await db.query<{ key: string }>("select key from llm_cache order by key")).rows.map((r) => r.key);

  it("drops entries past the age limit and the oldest past the size limit, on a write", async () => {
    await db.query("truncate llm_cache");
    const fill = sqlCache(db); // no limits: fills without pruning
    await fill.put("a-old", meta("2026-01-01T00:00:00Z"), entry);
    await fill.put("b", meta("2026-11-01T00:00:00Z"), entry);
    await fill.put("c", meta("2026-11-02T00:00:00Z"), entry);
    await fill.put("d", meta("2026-11-03T00:00:00Z"), entry);
    expect(await keys()).toEqual(["a-old", "b", "c", "d"]);

    const cache = sqlCache(db, { maxAgeDays: 30, maxEntries: 3 });
    await cache.put("e", meta("2026-11-20T00:00:00Z"), entry);
    // a-old is 323 days old; of the rest, the three newest stay.
    expect(await keys()).toEqual(["c", "d", "e"]);
    expect(await cache.get("e")).toEqual(entry);
  });

  it("keeps everything with both limits at 0", async () => {
    await db.query("truncate llm_cache");
    const cache = sqlCache(db, { maxAgeDays: 0, maxEntries: 0 });
    await cache.put("x", meta("2000-01-01T00:00:00Z"), entry);
    expect(await cache.prune?.(new Date("2026-12-01T00:00:00Z"))).toBe(0);
    expect(await keys()).toEqual(["x"]);
  });
});
