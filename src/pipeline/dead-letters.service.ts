import type { ClaimedNotice } from "../inbox/inbox.repository.ts";
import { inboxClaims } from "../inbox/inbox.repository.ts";
import type { SqlDriver } from "../store/driver.ts";
import { deadLetters, type ReplayOutcome } from "./dead-letters.repository.ts";
import { phasesRepository } from "./phases.repository.ts";

/**
 * Filing and replaying dead letters, each one transaction over the repositories it touches.
 * A replay puts the notice back on the replay lane with a fresh attempt budget; the phases already
 * recorded as done are kept (never rerun), the failed one's record is dropped so it runs again.
 */

/** Marks the claimed notice dead and files its dead letter; null when this worker no longer holds it. */
export function fileDeadLetter(
  db: SqlDriver,
  c: ClaimedNotice,
  worker: string,
  failure: { phase: string; error: string; permanent: boolean },
): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (!(await inboxClaims.dead(tx, c, worker, failure))) return null;
    return deadLetters.add(tx, c, failure);
  });
}

export function replayDeadLetter(db: SqlDriver, id: number, actor: string): Promise<ReplayOutcome> {
  return db.transaction(async (tx) => {
    const r = await deadLetters.markReplayed(tx, id);
    if (r.kind !== "replayed") return r;
    await inboxClaims.requeueForReplay(tx, r.traceId, actor, id);
    await phasesRepository.dropFailed(tx, r.traceId);
    return r;
  });
}
