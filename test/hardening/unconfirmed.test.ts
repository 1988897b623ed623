import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import {
  claimOne,
  deliveryId,
  expireLeases,
  insertCaseRow,
  listUnconfirmed,
} from "../../src/notify/outbox.repository.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { migrate } from "../../src/store/migrate.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import { notificationCase } from "../notify/cases.fixture.ts";
import { startTestApp } from "../support/gateway.ts";
import { createTestDatabase, openTestStore } from "../support/stores.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const T0 = new Date("2026-12-01T10:00:00Z");
const SLACK = "slack:https://hooks.slack.com/services/T0/B1/x";

/** A Slack message whose worker died mid-send: claimed, then its lease ran out. */
async function unconfirmedRow(db: SqlDriver, i: number): Promise<string> {
  const c = notificationCase(i);
  const id = deliveryId(c.case_id, c.version, SLACK);
  await insertCaseRow(db, { id, c, destination: SLACK, channel: "slack", now: T0 });
  await claimOne(db, SLACK, T0, new Date(T0.getTime() + 1000), "worker-that-dies");
  await expireLeases(db, new Date(T0.getTime() + 60_000));
  return id;
}

let db: SqlDriver;
let gw: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  db = await openTestStore("pglite");
  gw = await startTestApp(db, { API_TOKEN: "operator-token-123" });
});
afterAll(async () => {
  await gw.close();
  await db.close();
});
const auth = { authorization: "Bearer operator-token-123" };

it("lists unconfirmed messages and resends one on an operator's word, once", async () => {
  const id = await unconfirmedRow(db, 1);
  const list = await gw.get("/v1/notifications/unconfirmed", auth);
  expect(list.status).toBe(200);
  expect(
    (list.body as { unconfirmed: { delivery_id: string; channel: string }[] }).unconfirmed,
  ).toMatchObject([{ delivery_id: id, channel: "slack" }]);
  const resent = await gw.post(`/v1/notifications/${id}/resend`, {}, auth);
  expect(resent.status).toBe(202);
  const row = await db.query<{ state: string; responses: { outcome: string }[] }>(
    "select state, responses from notify_outbox where delivery_id = $1",
    [id],
  );
  expect(row.rows[0]!.state).toBe("pending");
  expect(row.rows[0]!.responses.at(-1)!.outcome).toBe("operator_resend");
  // A second resend is refused: the row is no longer unconfirmed.
  const again = await gw.post(`/v1/notifications/${id}/resend`, {}, auth);
  expect(again.status).toBe(409);
  expect((await gw.post(`/v1/notifications/dlv_${"0".repeat(32)}/resend`, {}, auth)).status).toBe(404);
  expect((await gw.post("/v1/notifications/nope/resend", {}, auth)).status).toBe(422);
  expect((await gw.get("/v1/notifications/unconfirmed")).status).toBe(401);
});

it.skipIf(!inject("postgresUrl"))(
  "does the same from the command line",
  async () => {
    const url = await createTestDatabase();
    const pg = await openPostgres({ url });
    await migrate(pg);
    const id = await unconfirmedRow(pg, 2);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin", "eolgate.js"), "notifications", ...args], {
        cwd: ROOT,
        env: { ...process.env, EOLGATE_FROM_SOURCE: "1", DATABASE_URL: url, LOG_LEVEL: "warn" },
        encoding: "utf8",
        timeout: 60_000,
      });
    const listed = cli("unconfirmed");
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(id);
    const resent = cli("resend", "--all");
    expect(resent.status, resent.stderr).toBe(0);
    expect(resent.stdout).toContain(`resent ${id}`);
    expect(await listUnconfirmed(pg, 10)).toEqual([]);
    expect(cli("resend", id).status).toBe(1);
    await pg.close();
  },
  120_000,
);
