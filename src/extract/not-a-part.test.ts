import { describe, expect, it } from "vitest";
import { isMpn } from "./mpn.shape.ts";
import { notAPart } from "./not-a-part.ts";

describe("notAPart: vocabularies of what looks like a part and is not", () => {
  it.each([
    ["SOT-23-3", "package or pin count"],
    ["QFN-16", "package or pin count"],
    ["TO-220AB", "package or pin count"],
    ["HTSOP-J8", "package or pin count"],
    ["PDIP-8C", "package or pin count"],
    ["SOD-123F", "package or pin count"],
    ["4-pin", "package or pin count"],
    ["24-ball", "package or pin count"],
    ["EIA/JESD48", "standard"],
    ["JESD22-A108F", "standard"],
    ["J-STD-020E", "standard"],
    ["AEC-Q101", "standard"],
    ["MIL-STD-750-1", "standard"],
    ["IEC60127-2/3", "standard"],
    ["ISO9001", "standard"],
    ["IPC-A-610", "standard"],
    ["MXL-PDN-26-017", "notice or document number"],
    ["Quectel-EOL-2026-07", "notice or document number"],
    ["202605012DN", "notice or document number"],
    ["PCN#26A-07", "notice or document number"],
    ["HSPN-2026-117", "notice or document number"],
    ["NVT-LC-2026-02", "notice or document number"],
    ["WW2651", "week code"],
    ["KW19", "week code"],
    ["8x6-mm", "dimension"],
    ["208mil", "dimension"],
    ["C0G/X7R", "dielectric"],
    ["25.000MHz", "value with unit"],
    ["128Mb", "value with unit"],
    ["12VDC", "value with unit"],
    ["www.example.com/pcn/2026-0419", "web or mail address"],
    ["pcn@example.com", "web or mail address"],
  ])("%s is a %s", (token, reason) => {
    expect(notAPart(token)).toBe(reason);
    expect(isMpn(token, "list")).toBe(false);
  });

  it.each([
    "ISO7721DR",
    "EN5311QI",
    "SMBJ24CA",
    "TOP223YN",
    "ISO1050DUBR",
    "ABM8-25.000MHZ-B2-T",
    "MX25L6406EM2I-12G",
    "TPS54331DDA",
    "1SMB5930B",
    "X1A000141000312",
    "EN6337QI",
    "22-23-2021",
    "RS-25-5",
    "TMR 3-2411",
    "SC16IS740IPW",
  ])("keeps the real part %s", (mpn) => {
    expect(notAPart(mpn)).toBeNull();
  });
});
