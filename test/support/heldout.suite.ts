/**
 * The regression suite of a held-out labelled set (issue 19): its labels match what build.ts
 * writes, and extraction scores at or above the set's floors, with every miss shown on failure.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type LabelledMessage, scoreSet } from "./extraction.score.ts";

export interface Floors {
  /** Messages whose notice flag may be wrong. */
  flagMisses: number;
  f1: number;
  fieldAcc: number;
}

export function describeHeldoutSet(name: string, dir: URL, files: readonly string[], floors: Floors): void {
  const labels = () => JSON.parse(readFileSync(new URL("labels.json", dir), "utf8")) as LabelledMessage[];
  describe(name, () => {
    it("is what build.ts writes (labels and fixtures agree)", () => {
      expect(labels().map((l) => l.file)).toEqual(files);
    });

    it("scores mpn_f1 and field accuracy above the floors", async () => {
      const all = labels();
      const { flags, f1, fieldAcc, misses } = await scoreSet(dir, all);
      expect(flags, misses.join("\n")).toBeGreaterThanOrEqual(all.length - floors.flagMisses);
      expect(f1, misses.join("\n")).toBeGreaterThanOrEqual(floors.f1);
      expect(fieldAcc, misses.join("\n")).toBeGreaterThanOrEqual(floors.fieldAcc);
    });
  });
}
