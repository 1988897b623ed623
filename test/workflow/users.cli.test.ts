import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPglite } from "../../src/store/pglite.driver.ts";
import { createAuthService } from "../../src/users/auth.service.ts";
import { runEolgate } from "../support/process.ts";
import { freePort } from "../support/services.ts";

/**
 * `eolgate users` and `eolgate cases export` as a person runs them, on an embedded store with no
 * gateway running: the token is the last line of `users add` and works; a taken name and a bad role
 * are refused with their exit codes; a disabled user's token stops working; the export opens in a
 * real XLSX reader.
 */
let dir: string;
let env: Record<string, string>;

const eolgate = (args: string[]) => runEolgate(args, env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "eolgate-users-cli-"));
  // A port nobody listens on: the commands find no gateway and open the store themselves.
  env = { DATA_DIR: dir, PORT: String(await freePort()), DATABASE_URL: "", REDIS_URL: "", API_TOKEN: "" };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("adds, lists and disables users; the token printed last is the user's credential", {
  timeout: 300_000,
}, async () => {
  const add = await eolgate([
    "users",
    "add",
    "Dan Decider",
    "--role",
    "decider",
    "--email",
    "dan@example.com",
  ]);
  expect(add.code).toBe(0);
  const lines = add.out.trim().split("\n");
  const token = lines.at(-1)!;
  expect(token).toMatch(/^eg_u[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  expect(lines[0]).toMatch(/^created Dan Decider \(u[0-9a-f]{12}\), role decider, e-mail dan@example.com$/);

  const taken = await eolgate(["users", "add", "dan decider", "--role", "viewer"]);
  expect(taken.code).toBe(1);
  expect(taken.err).toContain("a user with that name exists");
  const bad = await eolgate(["users", "add", "Eve", "--role", "boss"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain("--role");

  const list = await eolgate(["users", "list", "--json"]);
  const users = list.out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { name: string; role: string });
  expect(users.map((u) => [u.name, u.role])).toEqual([["Dan Decider", "decider"]]);
  expect(list.out).not.toContain(token.split("_")[2]!);

  const check = async () => {
    const db = await openPglite(join(dir, "pglite"));
    try {
      return await createAuthService({ db, apiToken: undefined }).resolveToken(token);
    } finally {
      await db.close();
    }
  };
  expect(await check()).toMatchObject({ name: "Dan Decider", role: "decider", via: "user_token" });
  expect((await eolgate(["users", "disable", "Dan Decider"])).code).toBe(0);
  expect(await check()).toBeNull();
});

it("exports the case list to an XLSX file a spreadsheet reader opens", { timeout: 120_000 }, async () => {
  const file = join(dir, "cases.xlsx");
  const r = await eolgate([
    "cases",
    "export",
    "--format",
    "xlsx",
    "--out",
    file,
    "--state",
    "open,acknowledged",
  ]);
  expect(r.code).toBe(0);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  expect(wb.getWorksheet("Cases")!.getRow(1).getCell(1).value).toBe("case_id");
  expect((await eolgate(["cases", "export", "--state", "limbo"])).code).toBe(2);
});
