/**
 * Held-out set E of issue 19 (test/fixtures/extract/heldout-e, 44 messages, 125 notices, 43 makers
 * and 2 distributors/platforms in no earlier set, 10 hard negatives; Japanese, Korean, Chinese,
 * German, French and Polish notices, platform alerts in HTML cards, parts only in attachments).
 * Written blind as the exam of the fourth round: first score 0.840 / 0.912 (mpn_f1 / field
 * accuracy), after the round 0.850 / 0.920; then the development set of the fifth, after which it
 * scores 1.000 / 0.982.
 */
import { FIXTURES } from "../fixtures/extract/heldout-e/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set E",
  new URL("../fixtures/extract/heldout-e/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 0, f1: 0.98, fieldAcc: 0.96 },
);
