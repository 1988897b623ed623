import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractLine } from "../cli/extract.command.ts";
import { parseMime } from "../mail/mime.ts";
import { extractFromEmail } from "./extract.email.ts";

/** The shared labelled corpus (30 real-shaped notices); its labels are the expected output. */
const DIR = "/work/shared/corpus/emails";
interface Label {
  file: string;
  is_lifecycle_notice: boolean;
  notices: Record<string, string | null>[];
}
const labels: Label[] = (() => {
  try {
    return JSON.parse(readFileSync(join(DIR, "labels.json"), "utf8")) as Label[];
  } catch {
    return [];
  }
})();

describe.skipIf(labels.length === 0)("labelled corpus", () => {
  it.each(labels.map((l) => [l.file, l] as const))("%s matches its label", async (_file, label) => {
    const email = await parseMime(readFileSync(join(DIR, label.file)), "json");
    const got = await extractFromEmail(email, { now: new Date(email.date ?? Date.now()) });
    expect(got.is_lifecycle_notice).toBe(label.is_lifecycle_notice);
    const strip = got.notices.map(
      ({ confidence, source, reasons, needs_review, matched_by, evidence, ...n }) => {
        expect(matched_by).toBe("rules");
        expect(reasons.length).toBeGreaterThan(0);
        expect(needs_review).toBe(confidence < 0.6);
        expect(evidence).toBeNull();
        expect(confidence).toBeGreaterThan(0);
        expect(source.part).toBeTruthy();
        return n;
      },
    );
    expect(strip).toEqual(label.notices);
  });
});

describe("eolgate extract line", () => {
  it("prints an error line for a file that cannot be read and for an empty message", async () => {
    const missing = await extractLine("nope.eml", () =>
      Promise.reject(Object.assign(new Error("x"), { code: "ENOENT" })),
    );
    expect(missing.ok).toBe(false);
    expect(JSON.parse(missing.line)).toMatchObject({
      file: "nope.eml",
      error: "file not found",
      notices: [],
    });
    const empty = await extractLine("empty.eml", async () => Buffer.alloc(0));
    expect(JSON.parse(empty.line)).toMatchObject({ error: "empty message" });
  });
});
