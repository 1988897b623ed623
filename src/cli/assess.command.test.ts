import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The `import` and `assess --json` commands as a user runs them, on an embedded store. */
const ROOT = join(import.meta.dirname, "..", "..");
const CORPUS = "/work/shared/corpus/bom";
const dataDir = mkdtempSync(join(tmpdir(), "eolgate-cli-"));

function eolgate(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
    encoding: "utf8",
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", EOLGATE_FROM_SOURCE: "1" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The first case of the reference: TPS54331D, LTB 2027-03-31, as of 2026-12-01. */
function reference() {
  const [ref] = JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8")) as {
    case: { mpn: string; manufacturer: string; status: string; ltb_date: string; as_of: string };
    expect: Record<string, unknown>;
  }[];
  return ref!;
}

// Each command is a cold process compiling the sources; on a loaded machine a spawn can take many seconds.
describe("eolgate import / assess", { timeout: 120_000 }, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("imports the corpus and prints DESIGN §5 JSON equal to the reference", () => {
    const imp = eolgate(
      "import",
      ...["assemblies", "parts", "bom", "alternates"].flatMap((f) => [`--${f}`, join(CORPUS, `${f}.csv`)]),
    );
    expect(imp.code).toBe(0);
    expect(imp.out).toContain(
      "imported: 14 assemblies, 76 parts, 11 alternates, 105 BOM lines (BOM version 1, 76 part(s) new or changed)\n",
    );
    // A new store is never made silently, and every command names the store it opened.
    expect(imp.err).toContain(`eolgate import: creating a new embedded store (PGlite) in ${dataDir}`);
    expect(imp.err).toContain(`eolgate import: store: embedded store (PGlite) in ${dataDir}`);
    const ref = reference();
    const c = ref.case;
    const r = eolgate(
      "assess",
      ...["--mpn", c.mpn, "--manufacturer", c.manufacturer, "--status", c.status],
      ...["--ltb-date", c.ltb_date, "--as-of", c.as_of, "--json"],
    );
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of Object.keys(ref.expect))
      expect({ key, v: got[key] }).toEqual({ key, v: ref.expect[key] });
    expect(got.assumptions).toContain("attrition 3% on demand: common practice, not a published standard");
    // DESIGN §5: the time view under its own names, beside the §6 figures.
    for (const key of [
      "covered",
      "run_out_date",
      "coverage_months",
      "severity",
      "decision_by",
      "bridges",
      "stress",
      "near_misses",
    ])
      expect(got).toHaveProperty(key);
    expect(got.assumptions).toContain(
      "lead time to qualify an alternate 6, a substitute 9, a redesign 18 months: notional planning figures, not a published standard",
    );
  });

  it("explains the same assessment to a person: the time view in sentences a buyer reads", () => {
    const c = reference().case;
    const human = eolgate(
      "assess",
      ...["--mpn", c.mpn, "--manufacturer", c.manufacturer, "--status", c.status],
      ...["--ltb-date", c.ltb_date, "--as-of", c.as_of],
    );
    expect(human.code).toBe(0);
    expect(human.out).toContain("stock runs out on 2027-04-05, 4.1 months from now");
    expect(human.out).toContain(
      "a redesign takes 18 months, so it needs a bridge of 42,224 units, bought at the last-time buy",
    );
    expect(human.out).toContain("severity high: the stock lasts less than the 9 months a substitute takes");
    expect(human.out).toContain("decide by 2027-03-31, the last-time buy date");
    expect(human.out).toContain("if demand grows 5% a year: 92,763 units needed, 80,263 short");
  });

  it("tells a watch item from a buy: an NRND part is still orderable, so there is no buy advice", () => {
    const r = eolgate("assess", "--mpn", "LPC1766FBD100K", "--status", "nrnd", "--as-of", "2026-12-01");
    expect(r.code).toBe(0);
    expect(r.out).toContain("recommendation:  none: watch it, no buy advice");
    expect(r.out).toContain("the part can still be bought as usual, so nothing is short");
    expect(r.out).not.toContain("last_time_buy");
    const json = JSON.parse(
      eolgate("assess", "--mpn", "LPC1766FBD100K", "--status", "nrnd", "--as-of", "2026-12-01", "--json").out,
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      recommendation: "none",
      severity: "none",
      covered: true,
      decision_by: null,
    });
  });

  it("shows near misses of an orderable the BOM does not hold", () => {
    const r = eolgate("assess", "--mpn", "TPS54331DDAR", "--manufacturer", "TI", "--status", "eol");
    expect(r.code).toBe(0);
    expect(r.out).toContain("part: not in the BOM (no stored part matches): no exposure\n");
    expect(r.out).toContain("  Texas Instruments TPS54331D (active), on PCB-MAIN-A, PCB-RF");
  });

  it("rejects bad flags with usage (exit 2) and a bad file with its line (exit 1)", () => {
    expect(eolgate("assess", "--mpn", "X", "--ltb-date", "31/03/2027")).toMatchObject({ code: 2 });
    expect(eolgate("assess")).toMatchObject({ code: 2 });
    const bad = eolgate("import", "--bom", join(CORPUS, "parts.csv"));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("parts.csv:1: missing column(s): parent_assembly_id");
  });
});
