import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../src/store/migrate.ts";
import { openPostgres } from "../../src/store/postgres.driver.ts";
import { type Proc, spawnEolgate } from "../pipeline/processes.support.ts";
import { createTestDatabase } from "../support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "./workflow.fixture.ts";

/**
 * Two API processes on one PostgreSQL, the same action with the same version sent to both at the
 * same moment: exactly one is applied (200), the other is told the case moved (409 with the current
 * case), round after round; the history has one event per version.
 */
const reason = inject("postgresSkipReason");
const ADMIN = "concurrency-admin-token-0123";

(reason ? describe.skip : describe)(
  `concurrent actions from two processes [postgres]${reason ? ` skipped: ${reason}` : ""}`,
  () => {
    let procs: Proc[] = [];
    let caseId: string;
    beforeAll(async () => {
      const url = await createTestDatabase();
      const db = await openPostgres({ url });
      await migrate(db);
      await importCorpusBom(db);
      const [o] = await assess(db, "t-1", new Date("2026-12-01T09:00:00Z"), [ltbNotice()]);
      caseId = o!.case_id!;
      await db.close();
      procs = await Promise.all(
        [0, 1].map(() => spawnEolgate(["serve", "--role", "api"], { DATABASE_URL: url, API_TOKEN: ADMIN })),
      );
    }, 120_000);
    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
    });

    it("exactly one of two simultaneous actions wins, every round", async () => {
      const send = (p: Proc, version: number, text: string) =>
        fetch(`${p.url}/v1/cases/${caseId}/actions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({ action: "comment", version, text }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      for (let version = 1; version <= 10; version++) {
        const answers = await Promise.all([
          send(procs[0]!, version, `a${version}`),
          send(procs[1]!, version, `b${version}`),
        ]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
        const lost = answers.find((a) => a.status === 409)!;
        expect(lost.body).toMatchObject({
          error: "version_conflict",
          case: { id: caseId, version: version + 1 },
        });
      }
      const ev = await fetch(`${procs[0]!.url}/v1/cases/${caseId}/events`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const events = ((await ev.json()) as { events: { version: number; action: string }[] }).events;
      expect(events.map((e) => e.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });
  },
);
