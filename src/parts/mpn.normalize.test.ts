import { describe, expect, it } from "vitest";
import { foldMpn, mpnEquals, normalizeMpn } from "./mpn.normalize.ts";

describe("normalizeMpn: folding", () => {
  it("folds case, whitespace, non-breaking spaces and Unicode dashes", () => {
    expect(normalizeMpn(" tps54331d ")).toBe("TPS54331D");
    expect(normalizeMpn("PIC16F877A\u2013I/P")).toBe("PIC16F877A-I/P");
    expect(normalizeMpn("BC847B,\u00A0235")).toBe("BC847B,235");
    expect(normalizeMpn("GRM188 R71H 104KA93D")).toBe("GRM188R71H104KA93D");
    expect(foldMpn("ab\u2212cd")).toBe("AB-CD");
  });

  it("is idempotent", () => {
    for (const m of [
      "LT1763IS8-2.5#TRPBF",
      "MAX232CSE+T",
      "STM32F103C8T6TR",
      "IRF7413TRPBF",
      "ADM3053BRWZ-REEL7",
    ]) {
      expect(normalizeMpn(normalizeMpn(m))).toBe(normalizeMpn(m));
    }
  });
});

describe("normalizeMpn: packaging and RoHS suffixes that are stripped", () => {
  it.each([
    ["LT1763IS8-2.5#TRPBF", "LT1763IS8-2.5"],
    ["LT1763IS8-2.5#PBF", "LT1763IS8-2.5"],
    ["LT1763CS8-3.3#TR", "LT1763CS8-3.3"],
    ["IRF7413TRPBF", "IRF7413"],
    ["IRF7413PBF", "IRF7413"],
    ["IRLML6402TRPBF", "IRLML6402"],
    ["IRF540NSTRLPBF", "IRF540NS"],
    ["LM1117MPX-3.3/NOPB", "LM1117MPX-3.3"],
    ["XC6206P332MR/TR", "XC6206P332MR"],
    ["AD8605ART-TR", "AD8605ART"],
    ["LM358-T&R", "LM358"],
    ["STM32F103C8T6TR", "STM32F103C8T6"],
    ["L6234PD013TR", "L6234PD013"],
    ["ADM3053BRWZ-REEL7", "ADM3053BRWZ"],
    ["ADM3053BRWZ-REEL", "ADM3053BRWZ"],
    ["AD8065ARTZ-RL7", "AD8065ARTZ"],
    ["ADP7118ARDZ-2.5-R7", "ADP7118ARDZ-2.5"],
    ["MAX232CSE+T", "MAX232CSE"],
    ["MAX232CSE+", "MAX232CSE"],
    ["MAX17043G+T10", "MAX17043G"],
    ["DS3231SN#T&R", "DS3231SN"],
    ["DS1307Z+T&R", "DS1307Z"],
    ["DS3231SN#", "DS3231SN"],
    ["ISL3178EIBZ-T", "ISL3178EIBZ"],
    ["ISL8117FRZ-T7A", "ISL8117FRZ"],
    ["ISL8117FRZ-T13", "ISL8117FRZ"],
    ["ADP3338AKCZ-3.3-RL7", "ADP3338AKCZ-3.3"],
    ["AD8606ARZ-REEL7", "AD8606ARZ"],
  ])("%s → %s", (input, key) => {
    expect(normalizeMpn(input)).toBe(key);
  });

  it("matches LT parts across lead-free and reel variants", () => {
    expect(mpnEquals("LT1763IS8-2.5#TRPBF", "LT1763IS8-2.5#PBF")).toBe(true);
    expect(mpnEquals("LT1763CS8-3.3#PBF", "lt1763cs8-3.3#trpbf")).toBe(true);
    expect(mpnEquals("MAX232CSE+T", "MAX232CSE")).toBe(true);
    expect(mpnEquals("STM32F103C8T6", "STM32F103C8T6TR")).toBe(true);
  });
});

describe("normalizeMpn: what must NOT be stripped", () => {
  it.each([
    // Microchip grade/temperature and package codes.
    "PIC16F877A-I/P",
    "PIC16F877A-I/PT",
    "PIC16F877A-E/SO",
    "MCP1700T-3302E/TT",
    // TI single-letter reel size: TPS54331D and TPS54331DR are distinct orderables.
    "TPS54331D",
    "TPS54331DR",
    "TLV70233DBVT",
    "SN74LVC1G14DBVRG4",
    // onsemi Pb-free G and T1/T3 reel.
    "MMBT3904LT1G",
    "MMBT3904LT3G",
    "NCP1117ST33T3G",
    // Nexperia packing codes (",235" is replaced by ",215" in the corpus).
    "BC807-25,235",
    "BC807-25,215",
    "74HCT245PW,112",
    // Vishay finish, Diodes reel + lead-free.
    "SI4410BDY-T1-E3",
    "SI4410BDY-T1-GE3",
    "1N4148WS-7-F",
    "AP2112K-3.3TRG1",
    // Renesas spec codes.
    "R5F100LEAFB#V0",
    "R5F100LEAFB#30",
    "R7F100GAF3CSP#AA0",
    // Cypress trailing T, Littelfuse and TE forms.
    "CY7C68013A-56LTXCT",
    "1206L050/15YR",
    "2-1445055-2",
    "0451005.MRL",
    // IDT reel digit, Vishay/Diodes reel codes inside the MPN.
    "5P49V5901B000NLGI8",
    "SI2301CDS-T1-GE3",
    "DMG2302U-7",
  ])("%s keeps its suffix", (mpn) => {
    expect(normalizeMpn(mpn)).toBe(mpn.toUpperCase());
  });

  it("keeps distinct orderables distinct", () => {
    expect(mpnEquals("TPS54331D", "TPS54331DR")).toBe(false);
    expect(mpnEquals("BC807-25,235", "BC807-25,215")).toBe(false);
    expect(mpnEquals("MMBT3904LT1G", "MMBT3904LT3G")).toBe(false);
    expect(mpnEquals("R5F100LEAFB#V0", "R5F100LEAFB#30")).toBe(false);
    expect(mpnEquals("SI4410BDY-T1-E3", "SI4410BDY-T1-GE3")).toBe(false);
    expect(mpnEquals("PIC16F877A-I/P", "PIC16F877A-E/P")).toBe(false);
    expect(mpnEquals("1206L050/15YR", "1206L050YR")).toBe(false);
  });

  it("never strips a part down to a fragment, and empty never matches", () => {
    expect(normalizeMpn("A+T")).toBe("A+T");
    expect(normalizeMpn("12TR")).toBe("12TR");
    expect(normalizeMpn("")).toBe("");
    expect(mpnEquals("", "")).toBe(false);
    expect(mpnEquals("  ", "")).toBe(false);
  });
});
