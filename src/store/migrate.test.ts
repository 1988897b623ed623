import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachStore, openTestStore } from "../../test/support/stores.ts";
import type { SqlDriver } from "./driver.ts";
import { loadMigrations, migrate, splitStatements } from "./migrate.ts";

describe("splitStatements", () => {
  it("keeps dollar-quoted bodies whole and drops empty statements", () => {
    const sql =
      "create table a (x int);\ncreate function f() returns int language sql as $$\nselect 1;\n$$;\n;\n";
    expect(splitStatements(sql)).toEqual([
      "create table a (x int);",
      "create function f() returns int language sql as $$\nselect 1;\n$$;",
    ]);
  });
});

describeEachStore("migrations", (kind) => {
  let db: SqlDriver;
  beforeAll(async () => {
    db = await openTestStore(kind, { migrate: false });
  });
  afterAll(() => db.close());

  it("apply once, in order, and a second run applies nothing", async () => {
    const all = loadMigrations().map((m) => m.version);
    expect(await migrate(db)).toEqual(all);
    expect(await migrate(db)).toEqual([]);
  });

  it("keep the audit log append-only", async () => {
    await db.query("insert into audit_log (actor, action) values ('test', 'x')");
    await expect(db.query("update audit_log set action = 'y'")).rejects.toThrow(/append-only/);
    await expect(db.query("delete from audit_log")).rejects.toThrow(/append-only/);
  });
});
