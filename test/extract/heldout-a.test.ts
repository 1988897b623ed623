/**
 * Held-out set A of issue 19 (test/fixtures/extract/heldout-a, 48 messages modelled on published
 * notices of 43 makers in neither earlier set), kept as a regression set once the rules passed it:
 * first score mpn_f1 0.698 / field 0.853, reached 0.953 / 0.954, then 0.981 / 0.990 in the second
 * round. The floors sit a little under the level reached, so a rule that stops generalising fails
 * here. Set B has its own test (heldout-b.test.ts).
 */
import { FIXTURES } from "../fixtures/extract/heldout-a/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set A",
  new URL("../fixtures/extract/heldout-a/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 0, f1: 0.98, fieldAcc: 0.97 },
);
