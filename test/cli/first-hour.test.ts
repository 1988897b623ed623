import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "../support/stores.ts";

/**
 * The command line as a new user meets it (issue 16): every command has --help; a command names the
 * store it opened and never makes an empty one silently; the default store does not follow the
 * current directory; commands go through a running gateway that holds the embedded store; a
 * PostgreSQL that cannot be reached is one line naming DATABASE_URL.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLES = join(ROOT, "examples");
const BOM = ["assemblies", "parts", "bom", "alternates"].flatMap((f) => [
  `--${f}`,
  join(EXAMPLES, "bom", `${f}.csv`),
]);

function eolgate(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "eolgate.js"), ...args], {
    encoding: "utf8",
    cwd,
    env: { ...process.env, DATABASE_URL: "", REDIS_URL: "", EOLGATE_FROM_SOURCE: "1", ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const COMMANDS = ["serve", "worker", "extract", "import", "assess", "reevaluate", "dead-letters", "demo"];

describe("eolgate, the first hour", { timeout: 240_000 }, () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "eolgate-first-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("--help on every command prints its usage and exits 0", () => {
    for (const cmd of COMMANDS) {
      const r = eolgate([cmd, "--help"]);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 0 });
      expect(r.out).toMatch(new RegExp(`^usage: eolgate ${cmd === "worker" ? "serve" : cmd}`));
    }
  });

  it("assess refuses a store that does not exist, naming the folder, and creates nothing", () => {
    const dir = join(tmp(), "nowhere");
    const r = eolgate(["assess", "--mpn", "TPS54331D"], { DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toEqual([
      `eolgate: no store in ${dir} (DATA_DIR): nothing has been imported there. Import a BOM first (eolgate import …), or set DATA_DIR to the folder of your store.`,
    ]);
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps the default store in the eolgate folder, whatever the current directory", () => {
    const cwd = join(EXAMPLES, "bom");
    const r = eolgate(["dead-letters", "list"], { DATA_DIR: "" }, cwd);
    expect(`${r.out}${r.err}`).toContain(join(ROOT, "data"));
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("dead-letters list has a header; a store and a gateway are both named", () => {
    const dir = tmp();
    expect(eolgate(["import", ...BOM], { DATA_DIR: dir }).code).toBe(0);
    const r = eolgate(["dead-letters", "list", "--all"], { DATA_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`store: embedded store (PGlite) in ${dir}`);
    expect(r.out).toBe("no dead letters\n");
  });

  it("goes through the gateway that holds the embedded store: import, assess, reevaluate", async () => {
    const dir = tmp();
    const gw = await startServe({ DATA_DIR: dir, PORT: "0", LOG_LEVEL: "warn" });
    try {
      const imp = eolgate(["import", ...BOM], { DATA_DIR: dir, PORT: "1" });
      expect(imp.code).toBe(0);
      expect(imp.err).toContain(`held by the gateway at ${gw.url}: going through its API`);
      expect(imp.out).toContain(
        "imported: 8 assemblies, 19 parts, 4 alternates, 30 BOM lines (BOM version 1",
      );
      const assess = eolgate(
        ["assess", "--mpn", "TPS54331D", "--status", "ltb", "--ltb-date", "2027-03-31", "--json"],
        { DATA_DIR: dir, PORT: "1" },
      );
      expect(assess.code).toBe(0);
      const got = JSON.parse(assess.out) as Record<string, unknown>;
      expect(got).toMatchObject({
        part: { manufacturer: "Texas Instruments", mpn: "TPS54331D" },
        currency: "USD",
      });
      for (const k of ["severity", "decision_by", "bridges", "stress", "near_misses", "options", "affected"])
        expect(got).toHaveProperty(k);
      const re = eolgate(["reevaluate", "--json"], { DATA_DIR: dir, PORT: "1" });
      expect(re.code).toBe(0);
      expect(JSON.parse(re.out)).toMatchObject({ bom_version: 1, cause: "on_demand", queued: [] });
    } finally {
      await gw.stop();
    }
    // Stopped, the gateway no longer says it serves the store, and the CLI opens it itself.
    expect(existsSync(join(dir, "pglite", "eolgate.gateway.json"))).toBe(false);
    const after = eolgate(["assess", "--mpn", "TPS54331D", "--json"], { DATA_DIR: dir });
    expect(after.code).toBe(0);
    expect(after.err).toContain(`store: embedded store (PGlite) in ${dir}\n`);
  });

  it("an unreachable PostgreSQL is one line naming DATABASE_URL, never its password", () => {
    const r = eolgate(["assess", "--mpn", "X"], {
      DATABASE_URL: "postgres://eolgate:s3cret@127.0.0.1:1/eolgate",
    });
    expect(r.code).toBe(69);
    const lines = r.err.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("DATABASE_URL (postgres://eolgate@127.0.0.1:1/eolgate)");
    expect(lines[0]).toContain("ECONNREFUSED");
    expect(r.err).not.toContain("s3cret");
  });

  it.skipIf(!inject("postgresUrl"))("a database that does not exist is one line naming it", async () => {
    const url = new URL(await createTestDatabase());
    url.pathname = "/no_such_database_here";
    const r = eolgate(["dead-letters", "list"], { DATABASE_URL: url.toString() });
    expect(r.code).toBe(69);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain('database "no_such_database_here" does not exist');
  });
});

/** `eolgate serve` as a user starts it; resolves once the gateway says where it answers. */
async function startServe(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), "serve"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", REDIS_URL: "", EOLGATE_FROM_SOURCE: "1", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const file = join(env.DATA_DIR!, "pglite", "eolgate.gateway.json");
  const until = Date.now() + 180_000;
  while (!existsSync(file)) {
    if (Date.now() > until || child.exitCode !== null) throw new Error("the gateway did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  const { url } = JSON.parse(readFileSync(file, "utf8")) as { url: string };
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
