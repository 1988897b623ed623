/**
 * Held-out set C of issue 19 (test/fixtures/extract/heldout-c, 46 messages, 110 notices, 40 makers
 * and 4 distributors/platforms in no earlier set, 10 hard negatives). It was the exam of the second
 * round (first score 0.740 / 0.819, after the round 0.755 / 0.954: mpn_f1 / field accuracy) and the
 * development set of the third, after which it scores 0.995 / 0.984. The floors keep that from going
 * back, with room for one changed notice.
 */
import { FIXTURES } from "../fixtures/extract/heldout-c/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set C",
  new URL("../fixtures/extract/heldout-c/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 0, f1: 0.98, fieldAcc: 0.97 },
);
