import { describe, expect, it } from "vitest";
import { judgeMpn } from "./mpn.shape.ts";

describe("judgeMpn", () => {
  it.each([
    "TPS54331DRG4",
    "PIC16F877A-I/P",
    "LT1763CS8-3.3#TRPBF",
    "MAX232CSE+T",
    "BC847B,235",
    "R5F100LEAFB#V0",
    "0451002.MRL",
    "1206L050/15YR",
    "SI4410BDY-T1-E3",
    "2N7002",
  ])("accepts the part number %s in a sentence", (t) => {
    expect(judgeMpn(t, "prose").ok).toBe(true);
  });

  it.each([
    ["296-17732-5-ND", "distributor number"],
    ["579-PIC18F4550IP", "distributor number"],
    ["935295146557", "code that is never a part"],
    ["SP005432117", "code that is never a part"],
    ["1Z8V7W230312345678", "code that is never a part"],
    ["EAR99", "code that is never a part"],
    ["5A992", "code that is never a part"],
    ["SOT-23-3", "package outline"],
    ["LQFP100", "package outline"],
    ["600mA", "quantity with unit"],
    ["2026-07-15", "date or week"],
    ["16949:2016", "characters"],
  ])("rejects %s everywhere (%s)", (t, reason) => {
    expect(judgeMpn(t, "column")).toEqual({ ok: false, reason });
  });

  it.each([
    ["4500873312", "PO "],
    ["3A12477", "date code 2614 / lot "],
    ["7790", "tracking "],
    ["DS90003213B", "see migration guide "],
    ["AN-2291", "Application note "],
    ["972-555-0198", "Phone: +1 "],
    ["85224-6199", "Chandler, AZ "],
  ])("rejects %s after %j in prose", (t, before) => {
    expect(judgeMpn(t, "prose", before).ok).toBe(false);
  });

  it("accepts all-digit part numbers only under a part header or in a list", () => {
    expect(judgeMpn("0430450200", "column").ok).toBe(true);
    expect(judgeMpn("1744426-1", "list").ok).toBe(true);
    expect(judgeMpn("0430450200", "prose").ok).toBe(false);
    expect(judgeMpn("75", "column").ok).toBe(false);
  });
});
