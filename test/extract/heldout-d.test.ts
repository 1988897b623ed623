/**
 * Held-out set D of issue 19 (test/fixtures/extract/heldout-d, 44 messages, 116 notices, 42 makers
 * and 4 distributors/platforms in no earlier set, 10 hard negatives; Korean, Chinese, Japanese,
 * German, French, Italian and Spanish notices in their own charsets). Written blind as the exam of
 * the third round: first score 0.810 / 0.951 (mpn_f1 / field accuracy), after the round 0.914 /
 * 0.949; then the development set of the fourth, after which it scores 0.991 / 1.000.
 */
import { FIXTURES } from "../fixtures/extract/heldout-d/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set D",
  new URL("../fixtures/extract/heldout-d/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 0, f1: 0.98, fieldAcc: 0.98 },
);
