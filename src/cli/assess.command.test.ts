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

describe("eolgate import / assess", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("imports the corpus and prints DESIGN §5 JSON equal to the reference", () => {
    const imp = eolgate(
      "import",
      ...["assemblies", "parts", "bom", "alternates"].flatMap((f) => [`--${f}`, join(CORPUS, `${f}.csv`)]),
    );
    expect(imp).toMatchObject({
      code: 0,
      out: "imported: 14 assemblies, 76 parts, 11 alternates, 105 BOM lines\n",
    });
    const [ref] = JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8")) as {
      case: { mpn: string; manufacturer: string; status: string; ltb_date: string; as_of: string };
      expect: Record<string, unknown>;
    }[];
    const c = ref!.case;
    const r = eolgate(
      "assess",
      ...["--mpn", c.mpn, "--manufacturer", c.manufacturer, "--status", c.status],
      ...["--ltb-date", c.ltb_date, "--as-of", c.as_of, "--json"],
    );
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of Object.keys(ref!.expect))
      expect({ key, v: got[key] }).toEqual({ key, v: ref!.expect[key] });
    expect(got.assumptions).toContain("attrition 3% on demand: common practice, not a published standard");
  });

  it("rejects bad flags with usage (exit 2) and a bad file with its line (exit 1)", () => {
    expect(eolgate("assess", "--mpn", "X", "--ltb-date", "31/03/2027")).toMatchObject({ code: 2 });
    expect(eolgate("assess")).toMatchObject({ code: 2 });
    const bad = eolgate("import", "--bom", join(CORPUS, "parts.csv"));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("parts.csv:1: missing column(s): parent_assembly_id");
  });
});
