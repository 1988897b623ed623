import { describe, expect, it } from "vitest";
import { nearMisses, type StemCandidate } from "./near-misses.ts";
import { orderableStem } from "./orderable.stem.ts";

/**
 * Real ordering codes from makers' datasheets and PCNs. Each group shares a die and family and
 * differs in package, grade, temperature range, output voltage or packing; the stem must be one
 * per group and differ between groups.
 */
const GROUPS: Record<string, { maker: string; stem: string | null; codes: string[] }> = {
  "TI buck converter": {
    maker: "TI",
    stem: "TPS54331",
    codes: ["TPS54331D", "TPS54331DR", "TPS54331DDA", "TPS54331DDAR"],
  },
  "TI LDO": { maker: "TI", stem: "TPS7A4901", codes: ["TPS7A4901DGNR", "TPS7A4901DGNT"] },
  "TI single gate": {
    maker: "TI",
    stem: "SN74LVC1G08",
    codes: ["SN74LVC1G08DBVR", "SN74LVC1G08DCKR", "SN74LVC1G08YZPR"],
  },
  "TI MCU": {
    maker: "TI",
    stem: "MSP430G2553",
    codes: ["MSP430G2553IPW20R", "MSP430G2553IN20", "MSP430G2553IRHB32T"],
  },
  "TI/National LDO": {
    maker: "TI",
    stem: "LM1117",
    codes: ["LM1117MPX-3.3/NOPB", "LM1117IMP-ADJ", "LM1117DT-5.0/NOPB"],
  },
  "ADI (Linear) LDO": {
    maker: "ADI",
    stem: "LT1763",
    codes: ["LT1763CS8-3.3#TRPBF", "LT1763IS8-2.5#TRPBF", "LT1763CDE#PBF"],
  },
  "ADI LDO": {
    maker: "ADI",
    stem: "ADP7118",
    codes: ["ADP7118ARDZ-2.5-R7", "ADP7118ACPZN3.3-R7", "ADP7118AUJZ-5.0-R7"],
  },
  "ADI (Maxim) RS-232": { maker: "ADI", stem: "MAX232", codes: ["MAX232CSE+T", "MAX232EPE+", "MAX232ESE+T"] },
  "Microchip PIC16": {
    maker: "Microchip",
    stem: "PIC16F877",
    codes: ["PIC16F877A-I/PT", "PIC16F877A-E/P", "PIC16F877A-I/L"],
  },
  "Microchip PIC18": {
    maker: "Microchip",
    stem: "PIC18F45K22",
    codes: ["PIC18F45K22-I/PT", "PIC18F45K22-E/ML"],
  },
  "Microchip AVR": {
    maker: "Microchip",
    stem: "ATMEGA328",
    codes: ["ATMEGA328P-AU", "ATMEGA328P-PU", "ATMEGA328-MU"],
  },
  "Microchip CAN": {
    maker: "Microchip",
    stem: "MCP2515",
    codes: ["MCP2515-I/SO", "MCP2515-E/ST", "MCP2515T-I/SO"],
  },
  "ST STM32F1": {
    maker: "ST",
    stem: "STM32F103",
    codes: ["STM32F103C8T6", "STM32F103C8T6TR", "STM32F103RCT6", "STM32F103VET7"],
  },
  "ST regulator": { maker: "ST", stem: "L7805", codes: ["L7805CV", "L7805CD2T-TR", "L7805ABV"] },
  "ST EEPROM": { maker: "ST", stem: "M24C02", codes: ["M24C02-WMN6TP", "M24C02-RMN6TP", "M24C02-FDW6TP"] },
  "NXP LPC": { maker: "NXP", stem: "LPC1766", codes: ["LPC1766FBD100K", "LPC1766FBD100,551"] },
  "NXP Kinetis": {
    maker: "NXP",
    stem: "MKL25Z128",
    codes: ["MKL25Z128VLK4", "MKL25Z128VLH4", "MKL25Z128VFM4"],
  },
  "NXP CAN": { maker: "NXP", stem: "TJA1042", codes: ["TJA1042T/3", "TJA1042T/3/1J", "TJA1042TK/3"] },
  "Nexperia transistor": {
    maker: "Nexperia",
    stem: "BC807",
    codes: ["BC807-25,235", "BC807-25,215", "BC807-40,215"],
  },
  "Nexperia logic": {
    maker: "Nexperia",
    stem: "74HC14",
    codes: ["74HC14PW,112", "74HC14D,653", "74HC14BQ,115"],
  },
  "onsemi transistor": {
    maker: "onsemi",
    stem: "MMBT3904",
    codes: ["MMBT3904LT1G", "MMBT3904LT3G", "MMBT3904WT1G"],
  },
  "onsemi diode": { maker: "onsemi", stem: "BAS16", codes: ["BAS16LT1G", "BAS16LT3G", "BAS16HT1G"] },
  "onsemi LDO": {
    maker: "onsemi",
    stem: "NCP1117",
    codes: ["NCP1117ST33T3G", "NCP1117DT50RKG", "NCP1117LPST33T3G"],
  },
  "Infineon (Cypress) USB": {
    maker: "Infineon",
    stem: "CY7C68013",
    codes: ["CY7C68013A-56PVXC", "CY7C68013A-128AXC", "CY7C68013A-56LTXI"],
  },
  "Infineon MOSFET": { maker: "Infineon", stem: "IRLML6402", codes: ["IRLML6402TRPBF", "IRLML6402PBF"] },
  "Infineon MCU": {
    maker: "Infineon",
    stem: "XMC4500",
    codes: ["XMC4500-F100K1024 AC", "XMC4500-E144K1024 AC"],
  },
  "Renesas RL78": {
    maker: "Renesas",
    stem: "R5F1026",
    codes: ["R5F1026AASP#V0", "R5F1026AASP#X0", "R5F1026ANSP#V0"],
  },
  "Renesas (Intersil) RS-485": {
    maker: "Renesas",
    stem: "ISL3178",
    codes: ["ISL3178EIBZ-T", "ISL3178EIBZ", "ISL3178EIUZ"],
  },
  "Murata MLCC 0603 100 nF": {
    maker: "Murata",
    stem: "GRM188R71H104",
    codes: ["GRM188R71H104KA93D", "GRM188R71H104KA93J", "GRM188R71H104JA01D"],
  },
  "Murata MLCC 0805 100 nF": {
    maker: "Murata",
    stem: "GRM21BR71H104",
    codes: ["GRM21BR71H104KA01L", "GRM21BR71H104MA01L"],
  },
  "TDK MLCC 1206 4.7 uF": {
    maker: "TDK",
    stem: "C3216X7R1H475",
    codes: ["C3216X7R1H475K160AC", "C3216X7R1H475M160AB"],
  },
  "Samsung MLCC 0603 10 uF": {
    maker: "Samsung",
    stem: "CL10A106",
    codes: ["CL10A106KP8NNNC", "CL10A106MQ8NNNC"],
  },
  "KEMET MLCC 0603 100 nF": {
    maker: "KEMET",
    stem: "C0603C104",
    codes: ["C0603C104K5RACTU", "C0603C104J5RAC7867"],
  },
  "Vishay resistor 0603 10k": {
    maker: "Vishay",
    stem: "CRCW060310K0",
    codes: ["CRCW060310K0FKEA", "CRCW060310K0JNEA"],
  },
  "connector of digits only": { maker: "Molex", stem: "0430450600", codes: ["0430450600"] },
  "no die number": { maker: "TE", stem: null, codes: ["2-1445055-2", "NOT-A-PART-1"] },
};

describe("orderable stem (DESIGN §6b.7)", () => {
  it.each(Object.entries(GROUPS))("%s", (_name, g) => {
    for (const code of g.codes) expect({ code, stem: orderableStem(code) }).toEqual({ code, stem: g.stem });
  });

  it("tells apart dies of one family and passives of another value", () => {
    const stems = Object.values(GROUPS)
      .map((g) => g.stem)
      .filter((s) => s !== null);
    expect(new Set(stems).size).toBe(stems.length);
    const apart: [string, string][] = [
      ["PIC16F877A-I/PT", "PIC16F874A-I/P"],
      ["BC857C,235", "BC856B,235"],
      ["74HCT245PW,112", "74HC245PW,112"],
      ["STM32F103C8T6", "STM32F107VCT6"],
      ["GRM188R71H104KA93D", "GRM188R71H103KA01D"],
      ["GRM188R71H104KA93D", "GRM188R61E104KA01D"],
      ["CRCW060310K0FKEA", "CRCW06034K70FKEA"],
      ["MSP430G2553IPW20R", "MSP430F5529IPN"],
    ];
    for (const [a, b] of apart)
      expect({ a, b, same: orderableStem(a) === orderableStem(b) }).toMatchObject({ same: false });
  });

  it("reads case, spaces and Unicode dashes as the match key does", () => {
    expect(orderableStem(" tps54331ddar ")).toBe("TPS54331");
    expect(orderableStem("PIC16F877A\u2013I/PT")).toBe("PIC16F877");
  });
});

describe("near misses", () => {
  const part = (mpn: string, usedOn: string[] = ["PCB-1"]): StemCandidate => ({
    manufacturer: "Texas Instruments",
    mpn,
    status: "active",
    usedOn,
  });
  it("lists BOM parts of the same stem that the notice does not name, sorted, with where they are used", () => {
    const got = nearMisses("TPS54331D", { manufacturer: "Texas Instruments", mpn: "TPS54331D" }, [
      part("TPS54331DDA", ["PCB-2", "PCB-3"]),
      part("TPS54331D"),
      part("TPS543310"),
      part("TPS54331DR"),
    ]);
    expect(got).toEqual([
      {
        manufacturer: "Texas Instruments",
        mpn: "TPS54331DDA",
        lifecycle_status: "active",
        used_on: ["PCB-2", "PCB-3"],
      },
      {
        manufacturer: "Texas Instruments",
        mpn: "TPS54331DR",
        lifecycle_status: "active",
        used_on: ["PCB-1"],
      },
    ]);
  });

  it("finds them for a notice part the BOM does not hold, and none for a code without a stem", () => {
    expect(nearMisses("TPS54331DDAR", null, [part("TPS54331D")]).map((n) => n.mpn)).toEqual(["TPS54331D"]);
    expect(nearMisses("2-1445055-2", null, [part("2-1445055-3")])).toEqual([]);
  });
});
