import { describe, expect, it } from "vitest";
import { excerptNaming } from "./excerpt.ts";

const marked = (e: { excerpt: string; start: number; end: number } | null) =>
  e
    ? e.excerpt.slice(0, e.start) + "[" + e.excerpt.slice(e.start, e.end) + "]" + e.excerpt.slice(e.end)
    : null;

describe("excerptNaming", () => {
  it("finds the part as written, any case, and marks it", () => {
    expect(marked(excerptNaming("Last time buy for tps54331d is 2027-03-31.", "TPS54331D"))).toBe(
      "Last time buy for [tps54331d] is 2027-03-31.",
    );
  });

  it("finds a part split by punctuation or a line wrap", () => {
    expect(marked(excerptNaming("Affected: TPS54331-\n  D (SOIC-8)", "TPS54331D"))).toBe(
      "Affected: [TPS54331- D] (SOIC-8)",
    );
  });

  it("does not match inside a longer word", () => {
    expect(excerptNaming("XTPS54331D only", "TPS54331D")?.start).toBe(1);
    expect(excerptNaming("AB-C", "ABCD")).toBeNull();
  });

  it("cuts long text at word boundaries around the part and says so", () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    words.splice(100, 0, "LM317T");
    const e = excerptNaming(words.join(" "), "LM317T", 40)!;
    expect(e.excerpt.startsWith("… word")).toBe(true);
    expect(e.excerpt.endsWith(" …")).toBe(true);
    expect(e.excerpt.slice(e.start, e.end)).toBe("LM317T");
    expect(e.excerpt.length).toBeLessThan(110);
  });

  it("prefers the mention at or after the line the extractor names", () => {
    const text = "Subject: EOL of LM317T\nDear customer,\nthe LM317T in TO-220 is discontinued.";
    expect(marked(excerptNaming(text, "LM317T", 20, 3))).toBe("… Dear customer, the [LM317T] in TO-220 is …");
    expect(excerptNaming(text, "LM317T", 20, 0)?.excerpt.startsWith("Subject")).toBe(true);
    expect(excerptNaming("only LM317T here", "LM317T", 20, 9)?.start).toBe(5);
  });

  it("answers null when the text does not name the part", () => {
    expect(excerptNaming("nothing here", "LM317T")).toBeNull();
    expect(excerptNaming("", "LM317T")).toBeNull();
  });
});
