/**
 * Held-out set G of issue 19 (test/fixtures/extract/heldout-g, 44 messages, 138 notices): written
 * blind as the exam of the sixth round, with the mix of notices an engineer's inbox really gets
 * (mostly English maker notices, some relayed or forwarded, a minority in other languages, hard
 * negatives an inbox gets). First score 0.937 / 0.923 (mpn_f1 / field accuracy, on the extractor
 * round 5 left), after round 6 0.967 / 0.921. Its misses have not been read: it is the exam the next
 * round should be judged on before it is studied. The floors keep what was reached.
 */
import { FIXTURES } from "../fixtures/extract/heldout-g/build.ts";
import { describeHeldoutSet } from "../support/heldout.suite.ts";

describeHeldoutSet(
  "held-out set G",
  new URL("../fixtures/extract/heldout-g/", import.meta.url),
  FIXTURES.map((f) => f.file),
  { flagMisses: 2, f1: 0.95, fieldAcc: 0.9 },
);
