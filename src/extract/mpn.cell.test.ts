import { describe, expect, it } from "vitest";
import { expandSlashFamily, leadingPart, mpnsInCell } from "./mpn.cell.ts";
import { partsInSentence } from "./parts.prose.ts";

describe("mpnsInCell", () => {
  it("keeps a Nexperia packing code and drops trailing words", () => {
    expect(mpnsInCell("BC847B,235")).toEqual(["BC847B,235"]);
    expect(mpnsInCell("TPS54331D (NRND)")).toEqual(["TPS54331D"]);
    expect(mpnsInCell("TPS54331D, TPS54332DDA")).toEqual(["TPS54331D", "TPS54332DDA"]);
    expect(mpnsInCell("No direct replacement")).toEqual([]);
  });

  it("reads several parts joined by 'and' or 'or'", () => {
    expect(mpnsInCell("EPC2045, EPC2016C and EPC2218 (all packing options)", "list")).toEqual([
      "EPC2045",
      "EPC2016C",
      "EPC2218",
    ]);
    expect(mpnsInCell("LM317T or LM337T")).toEqual(["LM317T", "LM337T"]);
  });

  it("joins a series name and its model number written a space apart", () => {
    expect(mpnsInCell("TMR 3-2411")).toEqual(["TMR 3-2411"]);
    expect(mpnsInCell("TEN 5-2411WI")).toEqual(["TEN 5-2411WI"]);
  });

  it("does not join counts, weeks, standards or packages with the number after them", () => {
    for (const cell of ["KW 26/2027", "EN 62368-1", "SOT 23-3", "REV 2.1", "WW 27-10"])
      expect(mpnsInCell(cell).map((p) => p.replace(/\s/g, ""))).not.toContain(cell.replace(/\s/g, ""));
  });

  it("keeps an option code or a lead-free word written after a space", () => {
    expect(mpnsInCell("CMZ5918B TR13")).toEqual(["CMZ5918B TR13"]);
    expect(mpnsInCell("KSC221J LFS")).toEqual(["KSC221J LFS"]);
    expect(mpnsInCell("KSC221J LFS tactile switch")).toEqual(["KSC221J LFS"]);
  });

  it("spreads a slash family into its parts", () => {
    expect(mpnsInCell("NV6113/15/17")).toEqual(["NV6113", "NV6115", "NV6117"]);
  });
});

describe("expandSlashFamily", () => {
  it.each([
    ["NV6113/15/17", ["NV6113", "NV6115", "NV6117"]],
    ["TPS7A4700/01", ["TPS7A4700", "TPS7A4701"]],
    ["BAT54A/C/S", ["BAT54A", "BAT54C", "BAT54S"]],
  ])("%s → %j", (token, parts) => {
    expect(expandSlashFamily(token)).toEqual(parts);
  });

  it.each(["WM8731SEDS/RV", "RAC05-05SK/277", "1206L050/15YR", "PIC16F877A-I/P", "RS-25-5/12", "150/208"])(
    "leaves %s whole (a packing code, a part with a slash, or no stem)",
    (token) => {
      expect(expandSlashFamily(token)).toEqual([token]);
    },
  );
});

describe("leadingPart", () => {
  it("joins an option code only as the second of two words outside prose", () => {
    expect(leadingPart(["G5V-1", "DC5"], "column")?.mpn).toBe("G5V-1 DC5");
    expect(leadingPart(["G5V-1", "DC5", "relay"], "column")?.mpn).toBe("G5V-1");
    expect(leadingPart(["G5V-1", "DC5"], "prose")?.mpn).toBe("G5V-1");
  });
});

describe("partsInSentence", () => {
  it("reads series models, lead-free words and slash families in a sentence", () => {
    expect(partsInSentence("The TMR 3-2411 and TEN 5-2411 are discontinued.")).toEqual([
      "TMR 3-2411",
      "TEN 5-2411",
    ]);
    expect(partsInSentence("The variant PTS645SM43SMTR92 LFS will not move.")).toEqual([
      "PTS645SM43SMTR92 LFS",
    ]);
    expect(partsInSentence("The NV6113/15/17 (5x6 mm PQFN) move to NRND.")).toEqual([
      "NV6113",
      "NV6115",
      "NV6117",
    ]);
  });

  it("reads no part from a ZIP code, a week or a standard", () => {
    expect(partsInSentence("Dole, CA 90245, from WW 2702 per EN 62368-1 and KW 26/2027.")).toEqual([]);
  });
});
