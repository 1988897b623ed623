import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, inject, it } from "vitest";
import { importBom } from "../../src/bom/bom.import.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type Gateway, startGateway } from "../../src/main.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { runEolgate } from "../support/process.ts";
import { createTestDatabase } from "../support/stores.ts";
import { alertBody, silent, waitFor } from "./pipeline.support.ts";

/**
 * Dead letters through the HTTP API and the command line, on the real gateway whose notify phase
 * fails: the store refuses its outbox rows (a check constraint the test adds and later drops), and
 * with MAX_RETRIES=0 the first failure is the last.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const csv = (name: string, body: string) => ({ name, open: () => Readable.from([body]) });

/** A BOM on which the alerts' parts (LM1001DR…) have exposure, so the notify phase has messages to write. */
async function exposeAlertParts(db: SqlDriver): Promise<void> {
  const ids = [1, 2, 5].map((i) => `LM${1000 + i}DR`);
  const r = await importBom(db, {
    assemblies: csv(
      "assemblies.csv",
      "assembly_id,name,annual_demand,unit_price,end_of_production\nPRD-1,Product 1,1000,250,2031-12-31\n",
    ),
    parts: csv(
      "parts.csv",
      `manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status\n${ids.map((m) => `Texas Instruments,${m},1.5,0,0,active`).join("\n")}\n`,
    ),
    bom: csv(
      "bom.csv",
      `parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per\n${ids.map((m) => `PRD-1,part,${m},Texas Instruments,1`).join("\n")}\n`,
    ),
  });
  expect(r.kind).toBe("imported");
}

/** The outbox refuses new rows until `fix` (the notification channel's "outage"). */
async function breakNotify(db: SqlDriver): Promise<void> {
  await db.exec(
    "alter table notify_outbox add constraint notification_channel_refused check (false) not valid",
  );
}
async function fixNotify(db: SqlDriver): Promise<void> {
  await db.exec("alter table notify_outbox drop constraint notification_channel_refused");
}

async function gateway(env: Record<string, string>, alertUrl?: string): Promise<Gateway> {
  // Stakeholder messages go to a channel of their own, so the engineering alerts can be counted alone.
  const stakeholders = await startFakeSlack();
  cleanups.push(() => stakeholders.close());
  const config: Config = loadConfig({
    SLACK_WEBHOOK_URL: stakeholders.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    PIPELINE_POLL_MS: "50",
    MAX_RETRIES: "0",
    ...(alertUrl ? { ENGINEERING_WEBHOOK_URL: alertUrl } : {}),
    ...env,
  });
  const gw = await startGateway(config, silent, "all");
  cleanups.push(() => gw.close());
  return gw;
}

async function post(url: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("dead letters over HTTP (embedded gateway)", () => {
  it("lists a failure out of retries, alerts once, and a replay after the fix completes it", {
    timeout: 120_000,
  }, async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const dir = mkdtempSync(join(tmpdir(), "eolgate-dl-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const token = "management-token-1";
    const gw = await gateway({ DATA_DIR: dir, API_TOKEN: token }, slack.url);
    await exposeAlertParts(gw.db);
    await breakNotify(gw.db);
    const url = gw.url ?? "";
    const acks = await Promise.all([1, 2].map((i) => post(url, "/v1/ingest/component-alert", alertBody(i))));
    const ids = acks.map((a) => String(a.body.trace_id));
    const listed = await waitFor(
      () => post(url, "/v1/dead-letters", undefined, token),
      (r) => (r.body.dead_letters as unknown[] | undefined)?.length === 2,
      "two dead letters",
    );
    const letters = listed.body.dead_letters as {
      id: number;
      trace_id: string;
      phase: string;
      error: string;
    }[];
    expect(letters.map((l) => l.trace_id).sort()).toEqual([...ids].sort());
    expect(letters[0]).toMatchObject({ phase: "notify", permanent: false, attempts: 1 });
    expect(letters[0]?.error).toContain("notification_channel_refused");
    // Rate-limited: the first failure is posted at once; the second waits, aggregated, for the next window.
    await waitFor(
      async () => slack.accepted().length,
      (n) => n >= 1,
      "engineering alert",
    );
    expect(slack.accepted()).toHaveLength(1);
    expect(JSON.stringify(slack.accepted()[0]?.json)).toContain("dead-lettered in notify");

    const status = await post(url, `/v1/notices/${ids[0]}`, undefined, token);
    expect(status.body).toMatchObject({ status: "dead", phase: "notify", attempts: 1 });
    expect((status.body.phases as { phase: string }[]).map((p) => p.phase)).toEqual([
      "extract",
      "assess",
      "persist",
    ]);
    expect(JSON.stringify(status.body.errors)).toContain("notification_channel_refused");

    expect((await post(url, "/v1/dead-letters")).status).toBe(401);
    expect((await post(url, "/v1/dead-letters/abc/replay", {}, token)).status).toBe(422);
    expect((await post(url, "/v1/dead-letters?limit=0", undefined, token)).status).toBe(422);
    expect((await post(url, "/v1/dead-letters/99999/replay", {}, token)).status).toBe(404);

    await fixNotify(gw.db);
    const id = letters[0]?.id ?? 0;
    const replay = await post(url, `/v1/dead-letters/${id}/replay`, {}, token);
    expect(replay).toEqual({ status: 202, body: { replayed: true, id, trace_id: letters[0]?.trace_id } });
    expect((await post(url, `/v1/dead-letters/${id}/replay`, {}, token)).status).toBe(409);
    const done = await waitFor(
      () => post(url, `/v1/notices/${letters[0]?.trace_id}`, undefined, token),
      (r) => r.body.status === "completed",
      "replayed notice completed",
    );
    expect(done.body.notices).toHaveLength(1);
    const open = await post(url, "/v1/dead-letters", undefined, token);
    expect((open.body.dead_letters as unknown[]).length).toBe(1);
    expect(slack.accepted()).toHaveLength(1);
  });
});

const noPg = inject("postgresUrl") ? null : `no test PostgreSQL: ${inject("postgresSkipReason")}`;

const cli = (args: string[], env: Record<string, string>) => runEolgate(["dead-letters", ...args], env);

describe.skipIf(noPg !== null)(`eolgate dead-letters (PostgreSQL)${noPg ? ` skipped: ${noPg}` : ""}`, () => {
  it("lists and replays; refuses bad ids with clear errors", { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: await createTestDatabase() };
    const gw = await gateway(env);
    await exposeAlertParts(gw.db);
    await breakNotify(gw.db);
    const ack = await post(gw.url ?? "", "/v1/ingest/component-alert", alertBody(5));
    await waitFor(
      () =>
        gw.db.query<{ status: string }>("select status from inbox where trace_id = $1", [ack.body.trace_id]),
      (r) => r.rows[0]?.status === "dead",
      "dead letter",
    );
    await fixNotify(gw.db);
    await gw.close();

    const list = await cli(["list", "--json"], env);
    expect(list.code).toBe(0);
    const letter = JSON.parse(list.out.trim().split("\n")[0] ?? "{}") as { id: number; trace_id: string };
    expect(letter.trace_id).toBe(ack.body.trace_id);

    const usage = await cli(["replay", "abc"], env);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("dead-letter ID must be a positive integer");
    const missing = await cli(["replay", "424242"], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("dead letter 424242: not found");

    const replay = await cli(["replay", String(letter.id)], env);
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.out).toContain(`replayed ${letter.id}`);
    const again = await cli(["replay", "--all"], env);
    expect(again.out).toContain("no dead letters to replay");

    const gw2 = await gateway(env);
    await waitFor(
      () =>
        gw2.db.query<{ status: string; lane: string }>("select status, lane from inbox where trace_id = $1", [
          ack.body.trace_id,
        ]),
      (r) => r.rows[0]?.status === "completed",
      "completed after CLI replay",
    );
  });
});
