import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canonicalManufacturer,
  findManufacturerMentions,
  isDistributorDomain,
  MANUFACTURERS,
  manufacturerFromDomain,
} from "./manufacturers.ts";

const CORPUS = new URL("../../../shared/corpus/", import.meta.url);

describe("canonicalManufacturer", () => {
  it("maps every maker of the BOM corpus to itself", () => {
    const csv = readFileSync(new URL("bom/parts.csv", CORPUS), "utf8");
    const makers = new Set(
      csv
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(",")[0]!),
    );
    expect(makers.size).toBeGreaterThan(15);
    for (const m of makers) expect(canonicalManufacturer(m), m).toBe(m);
  });

  it("maps every canonical name of the e-mail corpus labels to itself", () => {
    const labels = JSON.parse(readFileSync(new URL("emails/labels.json", CORPUS), "utf8")) as {
      notices: { manufacturer: string | null }[];
    }[];
    const makers = new Set(
      labels.flatMap((l) => l.notices.map((n) => n.manufacturer)).filter((m) => m !== null),
    );
    expect(makers.size).toBeGreaterThan(10);
    for (const m of makers) expect(canonicalManufacturer(m), m).toBe(m);
  });

  it.each([
    ["TI", "Texas Instruments"],
    ["Texas Instruments Inc.", "Texas Instruments"],
    ["TEXAS INSTRUMENTS INCORPORATED", "Texas Instruments"],
    ["National Semiconductor", "Texas Instruments"],
    ["Burr-Brown", "Texas Instruments"],
    ["ADI", "Analog Devices"],
    ["Analog Devices, Inc.", "Analog Devices"],
    ["Linear Technology Corp", "Analog Devices"],
    ["Linear", "Analog Devices"],
    ["Maxim Integrated", "Analog Devices"],
    ["Maxim", "Analog Devices"],
    ["Hittite Microwave Corporation", "Analog Devices"],
    ["Analog Devices (Linear Technology)", "Analog Devices"],
    ["Microchip", "Microchip Technology"],
    ["Microchip Technology Inc.", "Microchip Technology"],
    ["MCHP", "Microchip Technology"],
    ["Atmel", "Microchip Technology"],
    ["Microsemi Corporation", "Microchip Technology"],
    ["Micrel", "Microchip Technology"],
    ["Cypress Semiconductor Corp.", "Infineon Technologies"],
    ["International Rectifier", "Infineon Technologies"],
    ["IR", "Infineon Technologies"],
    ["Infineon Technologies AG", "Infineon Technologies"],
    ["Spansion", "Infineon Technologies"],
    ["Fairchild Semiconductor", "onsemi"],
    ["ON Semiconductor", "onsemi"],
    ["ON Semi", "onsemi"],
    ["ONSEMI", "onsemi"],
    ["Xilinx", "AMD"],
    ["Altera", "Intel"],
    ["Intersil", "Renesas Electronics"],
    ["IDT", "Renesas Electronics"],
    ["Integrated Device Technology, Inc.", "Renesas Electronics"],
    ["Renesas", "Renesas Electronics"],
    ["Freescale Semiconductor", "NXP Semiconductors"],
    ["NXP", "NXP Semiconductors"],
    ["NXP B.V.", "NXP Semiconductors"],
    ["ST", "STMicroelectronics"],
    ["ST Microelectronics", "STMicroelectronics"],
    ["Vishay Siliconix", "Vishay"],
    ["Vishay Dale", "Vishay"],
    ["Dale", "Vishay"],
    ["AVX", "KYOCERA AVX"],
    ["Kyocera AVX Components Corporation", "KYOCERA AVX"],
    ["Murata Manufacturing Co., Ltd.", "Murata"],
    ["TDK Corporation", "TDK"],
    ["EPCOS AG", "TDK"],
    ["Tyco Electronics", "TE Connectivity"],
    ["Diodes Inc.", "Diodes Incorporated"],
    ["Nexperia B.V.", "Nexperia"],
    ["Würth Elektronik GmbH & Co. KG", "Wurth Elektronik"],
    ["Samsung Electro-Mechanics Co., Ltd.", "Samsung Electro-Mechanics"],
    ["Silicon Laboratories", "Silicon Labs"],
    ["u-blox AG", "u-blox"],
    ["Alpha and Omega Semiconductor", "Alpha & Omega Semiconductor"],
    ["J.S.T. Mfg. Co., Ltd.", "JST"],
    ["IXYS", "Littelfuse"],
    ["STMicroelectronics N.V.", "STMicroelectronics"],
    ["onsemi / Fairchild", "onsemi"],
    ["Analog Devices, Linear Technology", "Analog Devices"],
  ])("%s → %s", (input, canonical) => {
    expect(canonicalManufacturer(input)).toBe(canonical);
  });

  it("returns null when a combined name names different makers", () => {
    expect(canonicalManufacturer("Texas Instruments / Murata")).toBeNull();
    expect(canonicalManufacturer("Acme / TI")).toBeNull();
  });

  it("returns null for unknown, empty and missing names", () => {
    expect(canonicalManufacturer("Acme Widgets Ltd")).toBeNull();
    expect(canonicalManufacturer("")).toBeNull();
    expect(canonicalManufacturer("   ")).toBeNull();
    expect(canonicalManufacturer(null)).toBeNull();
    expect(canonicalManufacturer(undefined)).toBeNull();
    expect(canonicalManufacturer("Inc.")).toBeNull();
  });

  it("has unique canonical names and well-formed domains", () => {
    const names = MANUFACTURERS.map((m) => m.canonical);
    expect(new Set(names).size).toBe(names.length);
    for (const m of MANUFACTURERS) for (const d of m.domains) expect(d).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
  });
});

describe("manufacturerFromDomain / isDistributorDomain", () => {
  it.each([
    ["ti.com", "Texas Instruments"],
    ["e2e.ti.com", "Texas Instruments"],
    ["TI.COM.", "Texas Instruments"],
    ["pcn@notifications.microchip.com", "Microchip Technology"],
    ["analog.com", "Analog Devices"],
    ["linear.com", "Analog Devices"],
    ["maximintegrated.com", "Analog Devices"],
    ["nxp.com", "NXP Semiconductors"],
    ["st.com", "STMicroelectronics"],
    ["infineon.com", "Infineon Technologies"],
    ["cypress.com", "Infineon Technologies"],
    ["onsemi.com", "onsemi"],
    ["fairchildsemi.com", "onsemi"],
    ["renesas.com", "Renesas Electronics"],
    ["murata.com", "Murata"],
    ["tdk.com", "TDK"],
    ["vishay.com", "Vishay"],
    ["kemet.com", "KEMET"],
    ["molex.com", "Molex"],
    ["te.com", "TE Connectivity"],
    ["nexperia.com", "Nexperia"],
    ["diodes.com", "Diodes Incorporated"],
    ["littelfuse.com", "Littelfuse"],
  ])("%s → %s", (domain, maker) => {
    expect(manufacturerFromDomain(domain)).toBe(maker);
  });

  it("counts a maker's country sites, but not short names under other country codes", () => {
    expect(manufacturerFromDomain("infineon.com.cn")).toBe("Infineon Technologies");
    expect(manufacturerFromDomain("mail.vishay.de")).toBe("Vishay");
    expect(manufacturerFromDomain("nxp.co.jp")).toBe("NXP Semiconductors");
    expect(manufacturerFromDomain("st.de")).toBeNull();
    expect(manufacturerFromDomain("te.fr")).toBeNull();
    expect(manufacturerFromDomain("mouser.co.uk")).toBeNull();
  });

  it("does not match look-alike domains", () => {
    expect(manufacturerFromDomain("post.com")).toBeNull();
    expect(manufacturerFromDomain("notti.com")).toBeNull();
    expect(manufacturerFromDomain("ti.com.evil.example")).toBeNull();
    expect(manufacturerFromDomain("")).toBeNull();
    expect(manufacturerFromDomain("example.org")).toBeNull();
  });

  it.each([
    "arrow.com",
    "avnet.com",
    "digikey.com",
    "digikey.de",
    "mouser.com",
    "eu.mouser.com",
    "farnell.com",
    "newark.com",
    "rs-online.com",
    "tti.com",
    "futureelectronics.com",
  ])("%s is a distributor, not a maker", (domain) => {
    expect(isDistributorDomain(domain)).toBe(true);
    expect(manufacturerFromDomain(domain)).toBeNull();
  });

  it("says makers and unknown domains are not distributors", () => {
    expect(isDistributorDomain("ti.com")).toBe(false);
    expect(isDistributorDomain("arrowhead.com")).toBe(false);
    expect(isDistributorDomain("example.org")).toBe(false);
  });
});

describe("findManufacturerMentions", () => {
  it("finds makers of a digest in order, with their position and wording", () => {
    const text =
      "Digest: Texas Instruments PDN 12345; STMicroelectronics PCN; TI also lists NXP parts and ON Semiconductor (formerly Fairchild).";
    const found = findManufacturerMentions(text);
    expect(found.map((f) => f.name)).toEqual([
      "Texas Instruments",
      "STMicroelectronics",
      "Texas Instruments",
      "NXP Semiconductors",
      "onsemi",
      "onsemi",
    ]);
    for (const f of found) expect(text.slice(f.index, f.index + f.alias.length)).toBe(f.alias);
    expect(found[4]!.alias).toBe("ON Semiconductor");
  });

  it("matches across case and line breaks for long names", () => {
    const found = findManufacturerMentions("from MICROCHIP TECHNOLOGY and analog\r\ndevices");
    expect(found.map((f) => [f.name, f.alias])).toEqual([
      ["Microchip Technology", "MICROCHIP TECHNOLOGY"],
      ["Analog Devices", "analog\r\ndevices"],
    ]);
  });

  it("never reads English words or fragments as makers", () => {
    const prose =
      "Please act on this notice. The linear regulator uses diodes; national holidays apply. " +
      "Our dialog with the team stays on track. Lot ST1234, TIME, ti, st, Ir, Onboard, 10 micron.";
    expect(findManufacturerMentions(prose)).toEqual([]);
  });

  it("reads first names in signatures as people, not makers", () => {
    expect(findManufacturerMentions("Best regards,\nMaxim Petrov\nDale Cooper")).toEqual([]);
    expect(findManufacturerMentions("SHIP TO: 12 MAIN ST. SUITE 4")).toEqual([]);
    expect(findManufacturerMentions("formerly Maxim; Maxim Integrated").map((f) => f.alias)).toEqual([
      "Maxim",
      "Maxim Integrated",
    ]);
  });

  it("ignores e-mail addresses, domains and links", () => {
    expect(findManufacturerMentions("write to pcn@nxp.com or see www.ti.com/lit and st.com")).toEqual([]);
  });

  it("finds short forms only as standalone capitals", () => {
    expect(findManufacturerMentions("TI and ST and ADI").map((f) => f.name)).toEqual([
      "Texas Instruments",
      "STMicroelectronics",
      "Analog Devices",
    ]);
    expect(findManufacturerMentions("TIs STs ADIX")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(findManufacturerMentions("")).toEqual([]);
  });
});
