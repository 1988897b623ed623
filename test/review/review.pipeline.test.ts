import { afterEach, beforeEach, expect, it } from "vitest";
import { deadLetters } from "../../src/pipeline/dead-letters.repository.ts";
import { replayDeadLetter } from "../../src/pipeline/dead-letters.service.ts";
import type { SqlDriver } from "../../src/store/driver.ts";
import { commitAlerts, startWorker, statusCounts, waitFor } from "../pipeline/pipeline.support.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";
import { importCorpusBom } from "../workflow/workflow.fixture.ts";

/**
 * Review items are an effect of the persist phase like the extracted notices: committed with the
 * phase record, so a persist that fails after writing them (rolled back) and a dead letter replayed
 * later leave exactly one item per unsure notice; a notice the extractor was sure of, and a
 * platform's structured alert, leave none.
 */
const forward = (body: string, key: string) => ({
  sender_domain: "components-relay.example",
  subject_line: "FYI parts news",
  body_content: body,
  idempotency_key: key,
});

describeEachStore("review items are filed once", (kind) => {
  let db: SqlDriver;
  const stops: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    db = await openTestStore(kind);
    await importCorpusBom(db);
  });
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
    await db.close();
  });

  const items = async () =>
    (
      await db.query<{ trace_id: string; notice_index: number; mpn: string; status: string }>(
        "select trace_id::text as trace_id, notice_index, notice->>'mpn' as mpn, status from review_items order by id",
      )
    ).rows;

  it("through a failed persist and a replayed dead letter, one item per unsure notice", async () => {
    const [unsure] = await commitAlerts(
      db,
      [forward("We heard TPS54331D will be discontinued, last time buy 2027-03-31.", "u1")],
      "email-forward",
    );
    const [sure] = await commitAlerts(
      db,
      [
        forward(
          "Texas Instruments PCN 20260113002\nProduct Discontinuance Notice\n\nPart Number | Status | Last Time Buy\nTLV70233DBVT | Obsolete | 2027-03-31\n",
          "s1",
        ),
      ],
      "email-forward",
    );
    const [alert] = await commitAlerts(db, [
      {
        source_platform: "SiliconExpert",
        manufacturer_code: "TI",
        part_number: "TPS54331D",
        lifecycle_status: "EOL",
        idempotency_key: "a1",
      },
    ]);
    let persistCalls = 0;
    let notifyBroken = true;
    const w = startWorker(db, {
      wrap: (p) => ({
        ...p,
        // The first persist of the unsure notice writes its effects, then fails: all rolled back.
        persist: async (ctx) => {
          const r = await p.persist(ctx);
          if (ctx.item.traceId !== unsure || persistCalls++ > 0 || r.kind !== "ok") return r;
          return {
            ...r,
            commit: async (tx) => {
              await r.commit?.(tx);
              throw new Error("store went away after the insert");
            },
          };
        },
        notify: async (ctx) =>
          ctx.item.traceId === unsure && notifyBroken
            ? { kind: "permanent", error: "refused by the test" }
            : p.notify(ctx),
      }),
    });
    stops.push(() => w.queue.close(1000));
    await waitFor(
      () => statusCounts(db),
      (c) => c.dead === 1 && c.completed === 2,
      "two completed, one dead letter",
    );
    expect(persistCalls).toBe(2);
    expect(await items()).toEqual([
      { trace_id: unsure, notice_index: 0, mpn: "TPS54331D", status: "pending" },
    ]);

    notifyBroken = false;
    const [letter] = await deadLetters.list(db, { limit: 10, includeReplayed: false });
    expect(await replayDeadLetter(db, letter!.id, "test")).toMatchObject({
      kind: "replayed",
      traceId: unsure,
    });
    await waitFor(
      () => statusCounts(db),
      (c) => c.completed === 3,
      "completion after replay",
    );
    expect(await items()).toEqual([
      { trace_id: unsure, notice_index: 0, mpn: "TPS54331D", status: "pending" },
    ]);
    const persisted = await db.query<{ output: { persisted: number; to_review?: number } }>(
      "select output from pipeline_phases where phase = 'persist' and trace_id = $1",
      [unsure],
    );
    expect(persisted.rows[0]!.output).toEqual({ persisted: 1, to_review: 1 });
    // The confident notice and the platform's alert were extracted and persisted, and filed nothing.
    const others = await db.query<{ trace_id: string; mpn: string }>(
      "select trace_id::text as trace_id, mpn from extracted_notices where trace_id <> $1 order by mpn",
      [unsure],
    );
    expect(others.rows).toEqual(
      expect.arrayContaining([
        { trace_id: sure, mpn: "TLV70233DBVT" },
        { trace_id: alert, mpn: "TPS54331D" },
      ]),
    );
  });
});
