import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { openPglite } from "../../src/store/pglite.driver.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BOM = join(ROOT, "examples", "bom");

it("keeps a second process out of an embedded store in use, and lets it in once released", async () => {
  const dir = mkdtempSync(join(tmpdir(), "eolgate-lock-"));
  const importBom = () =>
    spawnSync(
      process.execPath,
      [
        join(ROOT, "bin", "eolgate.js"),
        "import",
        ...["--assemblies", join(BOM, "assemblies.csv"), "--parts", join(BOM, "parts.csv")],
        ...["--bom", join(BOM, "bom.csv")],
      ],
      { cwd: ROOT, env: { ...process.env, EOLGATE_FROM_SOURCE: "1", DATA_DIR: dir }, encoding: "utf8" },
    );
  try {
    const db = await openPglite(join(dir, "pglite"));
    const refused = importBom();
    expect(refused.status).toBe(75);
    expect(refused.stderr).toMatch(/in use by process \d+/);
    expect(refused.stderr).toMatch(/POST \/v1\/bom\/import/);
    await db.close();
    const accepted = importBom();
    expect(accepted.status, accepted.stderr).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
