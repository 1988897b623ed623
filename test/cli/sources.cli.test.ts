import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addDays, utcDay } from "../../src/sources/platform-dates.ts";
import { type SeFake, startFakeSiliconExpert } from "../fakes/siliconexpert.fake.ts";

/**
 * The source commands as a person runs them, on an embedded store: `import` followed by its
 * lifecycle scan, `scan`, `import-alerts` (and its refusal of a bad file), `sources` and a replay.
 * The fake SiliconExpert runs in this process, so the commands are spawned asynchronously.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const CORPUS_BOM = join(ROOT, "..", "shared", "corpus", "bom");
const TODAY = utcDay(new Date());

let fake: SeFake;
let dir: string;
let env: Record<string, string>;

function eolgate(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, EOLGATE_FROM_SOURCE: "1", LOG_LEVEL: "warn", ...env, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-cli-sources-"));
  fake = await startFakeSiliconExpert({
    parts: [
      { comId: "1", partNumber: "TPS54331D", manufacturer: "Texas Instruments", lifecycle: "Active" },
      {
        comId: "2",
        partNumber: "TLV70233DBVT",
        manufacturer: "Texas Instruments",
        lifecycle: "Discontinued",
        ltbDate: "Mar 31, 2027",
      },
      { comId: "3", partNumber: "MMBT3904LT1G", manufacturer: "onsemi", lifecycle: "NRND" },
    ],
    updates: [
      {
        day: addDays(TODAY, -2),
        kind: "lifecycle",
        record: {
          comId: "3",
          partNumber: "MMBT3904LT1G",
          manufacturer: "onsemi",
          updateDate: addDays(TODAY, -2),
          details: "Lifecycle status changed from Active to NRND.",
        },
      },
    ],
  });
  env = {
    DATA_DIR: join(dir, "data"),
    SILICONEXPERT_LOGIN: fake.options.login,
    SILICONEXPERT_API_KEY: fake.options.apiKey,
    SILICONEXPERT_BASE_URL: fake.baseUrl,
  };
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("`eolgate import` scans the new BOM at the platform and reports coverage and unmatched parts", {
  timeout: 120_000,
}, async () => {
  const files = ["assemblies", "parts", "bom", "alternates"].flatMap((f) => [
    `--${f}`,
    join(CORPUS_BOM, `${f}.csv`),
  ]);
  const r = await eolgate(["import", ...files]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^imported: 14 assemblies, 76 parts/m);
  expect(r.stdout).toMatch(
    /lifecycle scan at SiliconExpert: 3 of 76 BOM part\(s\) matched \(3\.9% coverage\), 73 unmatched/,
  );
  expect(r.stdout).toMatch(/statuses: active 1, nrnd 1, ltb 1/);
  expect(r.stdout).toMatch(
    /already LTB, EOL or obsolete: 1 \(new alerts into the inbox: 1, already there: 0\)/,
  );
  expect(r.stdout).toMatch(/^ {4}Microchip Technology\tPIC16F877A-I\/PT$/m);

  const again = await eolgate(["scan", "--json"]);
  expect(again.status, again.stderr).toBe(0);
  const report = JSON.parse(again.stdout) as Record<string, unknown>;
  expect(report).toMatchObject({
    total: 76,
    matched: 3,
    discontinued: 1,
    alerts: { accepted: 0, duplicates: 1 },
  });
});

it("`eolgate import-alerts` imports an export, doubles nothing, and refuses a bad file by row", {
  timeout: 120_000,
}, async () => {
  const good = join(dir, "alerts.csv");
  writeFileSync(
    good,
    "Imported Mfr P/N,Imported Mfr Name,Part Status,LTB Date\nTPS54331D,Texas Instruments,EOL,2027-03-31\nBAS16LT1G,onsemi,Obsolete,\n",
  );
  const first = await eolgate(["import-alerts", good]);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toMatch(
    /imported 2 alert row\(s\) from .*alerts\.csv \(sheet alerts\.csv, header on row 1\): 2 new, 0 already in/,
  );
  const bad = join(dir, "bad.csv");
  writeFileSync(
    bad,
    "Imported Mfr P/N,Imported Mfr Name,Part Status,LTB Date\nTPS54331D,Texas Instruments,EOL,2027-03-31\nBAS16LT1G,,Obsolete,31/31/2027\n",
  );
  const refused = await eolgate(["import-alerts", bad, "--source", "accuris"]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(
    `${bad}:3: "Imported Mfr Name" is empty; "LTB Date" "31/31/2027" is not a date`,
  );
  expect(refused.stderr).toMatch(/rejected, nothing imported \(1 bad row\(s\)\)/);
  const usage = await eolgate(["import-alerts", good, "--columns", "colour=Red"]);
  expect(usage.status).toBe(2);
});

it("`eolgate sources` lists the sources and replays a window without doubling", {
  timeout: 120_000,
}, async () => {
  // The update two days back comes with a replay, once however often the window is re-read.
  const window = ["sources", "replay", "siliconexpert", "--from", addDays(TODAY, -3), "--to", TODAY];
  const replay = await eolgate(window);
  expect(replay.status, replay.stderr).toBe(0);
  expect(replay.stdout).toMatch(/siliconexpert: 1 alert\(s\) read, 1 new, 0 already in \(replay /);
  const twice = await eolgate(window);
  expect(twice.stdout).toMatch(/siliconexpert: 1 alert\(s\) read, 0 new, 1 already in \(replay /);
  const list = await eolgate(["sources"]);
  expect(list.stdout).toMatch(/^scan:siliconexpert\tlast success \d{4}-/m);
  expect(list.stdout).toMatch(/^siliconexpert\tlast success \d{4}-.*\tok$/m);
  const tooOld = await eolgate([
    "sources",
    "replay",
    "siliconexpert",
    "--from",
    addDays(TODAY, -40),
    "--to",
    TODAY,
  ]);
  expect(tooOld.status).toBe(1);
  expect(tooOld.stderr).toMatch(/failed \(rejected\): replay .* SiliconExpert serves days from/);
  const none = await eolgate(["scan"], { SILICONEXPERT_LOGIN: "", SILICONEXPERT_API_KEY: "" });
  expect(none.status).toBe(78);
});
