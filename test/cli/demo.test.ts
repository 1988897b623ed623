import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

it("`eolgate demo` loads the sample company, runs its notices through the pipeline and prints the cases", {
  timeout: 180_000,
}, () => {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "eolgate.js"), "demo", "--as-of", "2026-12-01"], {
    cwd: ROOT,
    env: { ...process.env, EOLGATE_FROM_SOURCE: "1", LLM_PROVIDER: "none" },
    encoding: "utf8",
    timeout: 170_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const out = r.stdout;
  expect(out).toMatch(/sent alert-siliconexpert-tps54331d\.json\s+→ 202 trace [0-9a-f-]{36}/);
  // A fixed clock: the cases below are those of notices received on 2026-12-01, whatever today is.
  expect(out).toMatch(/7 cases from 8 notices \(as of 2026-12-01, money in USD\)/);
  // The platform alert and TI's email about TPS54331D are one case with two notices.
  expect(out).toMatch(
    /Texas Instruments TPS54331D\s+discontinuance\s+ltb\s+(high|critical|medium|low)\s+2027-03-31.*\s2\n/,
  );
  // An NRND part is still orderable (DESIGN §6 step 0): a watch item, no buy advice, still told.
  expect(out).toMatch(
    /NXP Semiconductors LPC1766FBD100K\s+status_update\s+nrnd\s+none\s.*\s0\s+watch \(no buy\)\s/,
  );
  expect(out).toMatch(/case\.created: NXP Semiconductors LPC1766FBD100K — nrnd, watch it: no buy advice/);
  expect(out).toMatch(/Microchip Technology PIC16F877A-I\/PT .*\s0\s+none\s/);
  expect(out).toMatch(/case\.created: Texas Instruments TPS54331D/);
  expect(out).toMatch(/case\.updated: Texas Instruments TPS54331D/);
  expect(out).not.toMatch(/failed signature verification/);
});
