import { describe, expect, it } from "vitest";
import { MpnAutomaton } from "./mpn.automaton.ts";

const bom = (...mpns: string[]) => MpnAutomaton.build(mpns.map((mpn) => ({ mpn, data: mpn })));
const found = (a: MpnAutomaton<string>, text: string) =>
  a.scan(text).map((h) => [h.entry.data, h.written, h.match, text.slice(h.start, h.end)]);

describe("MpnAutomaton: what counts as the part being named", () => {
  const a = bom("TPS54331D", "LT1763IS8-2.5#TRPBF", "TLV70233DBVR", "BC847B,235", "PIC16F877A-I/PT");

  it("finds an MPN in any case, with its packing or RoHS suffix, and says how it was written", () => {
    expect(found(a, "Affected: tps54331d and LT1763IS8-2.5 (was LT1763IS8-2.5#TRPBF).")).toEqual([
      ["TPS54331D", "tps54331d", "exact", "tps54331d"],
      ["LT1763IS8-2.5#TRPBF", "LT1763IS8-2.5", "suffix", "LT1763IS8-2.5"],
      ["LT1763IS8-2.5#TRPBF", "LT1763IS8-2.5#TRPBF", "exact", "LT1763IS8-2.5#TRPBF"],
    ]);
    expect(found(a, "TPS54331D/TR")).toEqual([["TPS54331D", "TPS54331D/TR", "suffix", "TPS54331D/TR"]]);
  });

  it("does not take a longer orderable for a shorter one, nor a part inside a word", () => {
    expect(found(a, "TPS54331DDA, TPS54331DR and XTPS54331D")).toEqual([]);
    expect(found(a, "SOT-TPS54331D")).toEqual([]);
  });

  it("reads an MPN through a line wrap, a soft hyphen, a zero-width space or one space", () => {
    expect(found(a, "the TLV702\n  33DBVR is")[0]?.slice(0, 3)).toEqual([
      "TLV70233DBVR",
      "TLV702\n  33DBVR",
      "exact",
    ]);
    expect(found(a, "TLV70\u00AD233\u200BDBVR")[0]?.[2]).toBe("exact");
    expect(found(a, "TLV702 33DBVR")[0]?.[2]).toBe("exact");
    expect(found(a, "> TLV702-\n> 33DBVR")[0]?.[2]).toBe("exact");
    expect(found(a, "LT1763IS8-\n2.5")[0]?.slice(0, 3)).toEqual([
      "LT1763IS8-2.5#TRPBF",
      "LT1763IS8-\n2.5",
      "suffix",
    ]);
  });

  it("does not join words across a column gap, a blank line or a table cell", () => {
    expect(found(a, "TLV702   33DBVR")).toEqual([]);
    expect(found(a, "TLV702\n\n33DBVR")).toEqual([]);
    expect(found(a, "TLV702 | 33DBVR")).toEqual([]);
  });

  it("takes other punctuation as a loose match, and keeps Nexperia packing codes and grades", () => {
    expect(found(a, "LT1763IS8 2.5")[0]?.slice(0, 3)).toEqual([
      "LT1763IS8-2.5#TRPBF",
      "LT1763IS8 2.5",
      "loose",
    ]);
    expect(found(a, "BC847B,235; PIC16F877A-I/PT.")).toEqual([
      ["BC847B,235", "BC847B,235", "exact", "BC847B,235"],
      ["PIC16F877A-I/PT", "PIC16F877A-I/PT", "exact", "PIC16F877A-I/PT"],
    ]);
  });

  it("separates parts listed with commas or slashes and no spaces", () => {
    const b = bom("LM358DR", "LM324DR");
    expect(found(b, "LM358DR/LM324DR,LM358DR").map((h) => h[0])).toEqual(["LM358DR", "LM324DR", "LM358DR"]);
  });

  it("prefers the MPN that needs no space over a longer one that does", () => {
    const b = bom("LM358", "LM358DR");
    expect(found(b, "LM358 DR").map((h) => h[0])).toEqual(["LM358"]);
    expect(found(b, "LM358DR").map((h) => h[0])).toEqual(["LM358DR"]);
  });

  it("finds a part glued to a distributor's numeric prefix, and full-width characters", () => {
    expect(found(a, "Mouser 595-TPS54331D")[0]?.[0]).toBe("TPS54331D");
    expect(found(a, "ＴＰＳ５４３３１Ｄ")[0]?.[2]).toBe("exact");
  });

  it("sets aside MPNs too short to scan for safely", () => {
    const b = bom("LM7", "12345", "0430450200", "AB12");
    expect(b.unscannable.map((e) => e.mpn)).toEqual(["LM7", "12345"]);
    expect(found(b, "0430450200 and AB12").map((h) => h[0])).toEqual(["0430450200", "AB12"]);
  });

  it("reports the same part as often as the text names it, with offsets into the text", () => {
    const text = "TPS54331D first, then tps54331d again";
    const hits = a.scan(text);
    expect(hits.map((h) => [h.start, h.end])).toEqual([
      [0, 9],
      [22, 31],
    ]);
  });

  it("is empty for an empty BOM", () => {
    expect(bom().scan("TPS54331D")).toEqual([]);
  });
});
