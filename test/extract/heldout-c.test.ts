/**
 * Held-out set C of issue 19 (test/fixtures/extract/heldout-c, 46 messages, 110 notices, 40 makers
 * and 4 distributors/platforms in no earlier set, 10 hard negatives). It was the exam of the second
 * round: first score 0.740 / 0.819, scored once after the round at 0.755 / 0.954 (mpn_f1 / field
 * accuracy). Its misses have not been studied yet; the floors only keep what was reached from going
 * back (8 notice flags wrong today: 0.826 of 46).
 */
import { FIXTURES } from "../fixtures/extract/heldout-c/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set C",
  new URL("../fixtures/extract/heldout-c/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 8, f1: 0.74, fieldAcc: 0.94 },
);
