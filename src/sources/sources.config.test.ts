import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ConfigSchema, loadConfig, redactedConfig } from "../config.ts";
import { createMemoryRateGate } from "../notify/rate-gate.ts";
import type { SqlDriver } from "../store/driver.ts";
import { SiliconExpertClient } from "./siliconexpert/se.client.ts";
import type { SeSessionSettings } from "./siliconexpert/se.session.ts";
import { buildSources } from "./sources.wiring.ts";

const ROOT = join(import.meta.dirname, "..", "..");
/** The adapter the composition root passes; counts the sessions opened (one per configured platform). */
let opened = 0;
const connectSiliconExpert = (settings: SeSessionSettings) => {
  opened++;
  return new SiliconExpertClient(settings);
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe("source settings", () => {
  it("needs both SiliconExpert credentials, naming the missing one and never echoing the key", () => {
    expect(problems({ SILICONEXPERT_LOGIN: "me@example.com" })).toEqual([
      { variable: "SILICONEXPERT_API_KEY", message: expect.stringContaining("both") },
    ]);
    const key = "k3y-that-must-not-leak";
    const p = problems({ SILICONEXPERT_API_KEY: key });
    expect(p.map((x) => x.variable)).toEqual(["SILICONEXPERT_LOGIN"]);
    expect(JSON.stringify(p)).not.toContain(key);
    const cfg = loadConfig({ SILICONEXPERT_LOGIN: "me@example.com", SILICONEXPERT_API_KEY: key });
    expect(JSON.stringify(redactedConfig(cfg))).not.toContain(key);
  });

  it("reads flags, JSON column maps and backoff bounds, refusing bad values by name", () => {
    expect(loadConfig({ SILICONEXPERT_WATCH_BOM: "no" }).sources.SILICONEXPERT_WATCH_BOM).toBe(false);
    expect(problems({ SILICONEXPERT_WATCH_BOM: "maybe" }).map((p) => p.variable)).toEqual([
      "SILICONEXPERT_WATCH_BOM",
    ]);
    expect(
      loadConfig({ SOURCE_IMPORT_COLUMNS: '{"part_number":"MPN"}' }).sources.SOURCE_IMPORT_COLUMNS,
    ).toEqual({
      part_number: "MPN",
    });
    expect(problems({ SOURCE_IMPORT_COLUMNS: "{not json" }).map((p) => p.variable)).toEqual([
      "SOURCE_IMPORT_COLUMNS",
    ]);
    expect(problems({ SILICONEXPERT_BACKFILL_DAYS: "31" }).map((p) => p.variable)).toEqual([
      "SILICONEXPERT_BACKFILL_DAYS",
    ]);
    expect(
      problems({ SOURCE_BACKOFF_BASE_SECONDS: "100", SOURCE_BACKOFF_MAX_SECONDS: "10" }).map(
        (p) => p.variable,
      ),
    ).toEqual(["SOURCE_BACKOFF_MAX_SECONDS"]);
    const db = {} as SqlDriver;
    const gate = createMemoryRateGate(Date.now);
    expect(() =>
      buildSources(loadConfig({ SOURCE_IMPORT_COLUMNS: '{"colour":"Red"}' }).sources, {
        db,
        gate,
        now: () => new Date(),
        connectSiliconExpert,
      }),
    ).toThrow(/SOURCE_IMPORT_COLUMNS: unknown column field "colour"/);
  });

  it("configures SiliconExpert and its scan only when credentials are set", () => {
    const db = {} as SqlDriver;
    const gate = createMemoryRateGate(Date.now);
    const deps = { db, gate, now: () => new Date(), connectSiliconExpert };
    expect(buildSources(loadConfig({}).sources, deps).scheduled).toEqual([]);
    expect(opened).toBe(0);
    const on = buildSources(
      loadConfig({ SILICONEXPERT_LOGIN: "me", SILICONEXPERT_API_KEY: "0123456789" }).sources,
      deps,
    );
    expect(opened).toBe(1);
    expect(on.scheduled.map((s) => [s.source.name, s.intervalMs])).toEqual([
      ["siliconexpert", 3_600_000],
      ["scan:siliconexpert", 60_000],
    ]);
    expect(on.platform?.platform).toBe("SiliconExpert");
  });

  it("documents every setting in .env.example and the README settings table", () => {
    const env = readFileSync(join(ROOT, ".env.example"), "utf8");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const missing = Object.keys(ConfigSchema.shape).filter(
      (k) => !env.includes(k) || !readme.includes(`\`${k}\``),
    );
    expect(missing).toEqual([]);
  });
});
