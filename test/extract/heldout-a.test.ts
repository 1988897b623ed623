/**
 * Held-out set A of issue 19 (test/fixtures/extract/heldout-a, 48 messages modelled on published
 * notices of 43 makers in neither earlier set), kept as a regression set once the rules passed it:
 * first score mpn_f1 0.698 / field 0.853, reached 0.953 / 0.954, then 0.981 / 0.990 in the second
 * round. The floors sit a little under the level reached, so a rule that stops generalising fails
 * here. Set B has its own test (heldout-b.test.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../fixtures/extract/heldout-a/build.ts";
import { type LabelledMessage, scoreSet } from "../support/extraction.score.ts";

const DIR = new URL("../fixtures/extract/heldout-a/", import.meta.url);

describe("held-out set A", () => {
  it("is what build.ts writes (labels and fixtures agree)", () => {
    const labels = JSON.parse(readFileSync(new URL("labels.json", DIR), "utf8")) as LabelledMessage[];
    expect(labels.map((l) => l.file)).toEqual(FIXTURES.map((f) => f.file));
  });

  it("scores mpn_f1 and field accuracy above the floors", async () => {
    const labels = JSON.parse(readFileSync(new URL("labels.json", DIR), "utf8")) as LabelledMessage[];
    const { flags, f1, fieldAcc, misses } = await scoreSet(DIR, labels);
    expect(flags, misses.join("\n")).toBeGreaterThanOrEqual(labels.length - 2);
    expect(f1, misses.join("\n")).toBeGreaterThanOrEqual(0.96);
    expect(fieldAcc, misses.join("\n")).toBeGreaterThanOrEqual(0.96);
  });
});
