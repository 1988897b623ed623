import { describe, expect, it } from "vitest";
import {
  makerNamedAsRelayed,
  makerNamedByDomain,
  makerNamedBySubject,
  makerNamedInText,
  ownerLabel,
} from "./manufacturer.infer.ts";

describe("ownerLabel", () => {
  it.each([
    ["pcn@knowles.com", "knowles"],
    ["eol@mail.rubycon.co.jp", "rubycon"],
    ["quality@epc-co.com", "epc-co"],
    ["info@HONEYWELL.com>", "honeywell"],
  ])("%s → %s", (addr, label) => {
    expect(ownerLabel(addr)).toBe(label);
  });

  it.each([
    "dave.k@gmail.com",
    "buyer@example.com",
    "events@aftermarket-supply.example",
    "lifecycle@farnell.com",
    "alerts@z2data.com",
    "no-reply@siliconexpert.com",
    "nohost",
  ])("names no maker for %s (mail provider, example, distributor, platform)", (addr) => {
    expect(ownerLabel(addr)).toBeNull();
  });
});

describe("makerNamedByDomain", () => {
  it("names the maker as the message spells its domain", () => {
    expect(makerNamedByDomain("pcn@knowles.com", "Knowles Electronics, LLC\nKnowles EOL Notice")).toBe(
      "Knowles",
    );
    expect(makerNamedByDomain("info@tracopower.com", "TRACO POWER announces the end of life")).toBe(
      "TRACO Power",
    );
    expect(makerNamedByDomain("x@meanwell.com", "MEAN WELL ENTERPRISES CO., LTD.")).toBe("Mean Well");
  });

  it("completes an abbreviated last word and reads a partial spelling", () => {
    expect(makerNamedByDomain("info@navitassemi.com", "Regards,\nNavitas Semiconductor, Torrance")).toBe(
      "Navitas Semiconductor",
    );
    expect(makerNamedByDomain("quality@epc-co.com", "EPC, 909 N. Pacific Coast Highway")).toBe("EPC");
  });

  it("prefers the short name written alone as often as the long one", () => {
    expect(makerNamedByDomain("pm@recom-power.com", "RECOM kündigt ab.\nRECOM Power GmbH, Gmunden")).toBe(
      "RECOM",
    );
  });

  it("takes the next word after a generic one (analog.com, power.com)", () => {
    expect(makerNamedByDomain("pcn@analog.com", "Analog Devices announces … Analog Devices, Inc.")).toBe(
      "Analog Devices",
    );
    expect(makerNamedByDomain("pcn@power.com", "Power Integrations PCN 26A-07")).toBe("Power Integrations");
  });

  it("keeps the table's canonical name when the table knows the spelling", () => {
    expect(makerNamedByDomain("pcn@linear-news.com", "Linear Technology announces")).toBeNull();
    expect(makerNamedByDomain("pcn@lineartech.com", "Linear Technology announces")).toBe("Analog Devices");
    expect(makerNamedByDomain("eol@fairchildsemi.com", "Fairchild Semiconductor")).toBe("onsemi");
  });

  it("ignores spellings inside addresses, codes and words that only start like the name", () => {
    expect(makerNamedByDomain("pcn@knowles.com", "Questions: pcn@knowles.com, www.knowles.com")).toBeNull();
    expect(makerNamedByDomain("info@ablic.com", "Notice ABL-DN-2026-08\nABLIC Inc.")).toBe("ABLIC");
    expect(makerNamedByDomain("pcn@knowles.com", "Know your parts.")).toBeNull();
  });
});

describe("makerNamedBySubject", () => {
  it("reads the name before the notice words when the domain starts with it or the text repeats it", () => {
    expect(makerNamedBySubject("C&K PCN CK-26-0310: transfer", "pcn@ckswitches.com", "")).toBe("C&K");
    expect(makerNamedBySubject("Fwd: Vortex EOL notice VX-7", null, "Vortex announces… Vortex Ltd")).toBe(
      "Vortex",
    );
  });

  it("reads no name from notice words or an unsupported capitalised word", () => {
    expect(
      makerNamedBySubject("RE: Discontinuation notice DN-2026-014", null, "Discontinuation notice"),
    ).toBeNull();
    expect(makerNamedBySubject("Important PCN update", "x@acme.com", "")).toBeNull();
  });
});

describe("makerNamedAsRelayed", () => {
  it("names the maker after the relay words", () => {
    expect(makerNamedAsRelayed("unser Lieferant Pulse Electronics hat uns die Abkündigung mitgeteilt")).toBe(
      "Pulse Electronics",
    );
    expect(makerNamedAsRelayed("On behalf of Foobar Devices, we inform you")).toBe("Foobar Devices");
    expect(makerNamedAsRelayed("the manufacturer notice below")).toBeNull();
  });
});

describe("makerNamedInText", () => {
  it("reads a company that announces, else one that signs with a legal form", () => {
    expect(makerNamedInText("Exxelia vous informe de l'arrêt de fabrication")).toBe("Exxelia");
    expect(makerNamedInText("Dear customer,\nregards\nZentri Photonics GmbH, Berlin")).toBe(
      "Zentri Photonics",
    );
  });

  it("never names a distributor, an opening word or a notice word", () => {
    expect(makerNamedInText("Dear Customer announces nothing")).toBeNull();
    expect(makerNamedInText("Mouser Electronics, Inc.")).toBeNull();
    expect(makerNamedInText("Product Withdrawal Notice\nDiscontinuation Notice Ltd.")).toBeNull();
  });

  it("reads a legal-form name after an article in running text", () => {
    expect(makerNamedInText("die Qorvex Devices Ltd. hat die Abkündigung bekannt gegeben.")).toBe(
      "Qorvex Devices",
    );
    expect(makerNamedInText("We received a notice from Halvorsen Microwave Inc. today.")).toBe(
      "Halvorsen Microwave",
    );
  });

  it("never names a distributor whose name folds an umlaut the way its domain spells it", () => {
    // Bürklin writes buerklin.com: "Bürklin" must be known as the distributor, however often it signs.
    const text = "Bürklin GmbH & Co. KG\n\ndie Qorvex Devices Ltd. hat …\n\nBürklin GmbH & Co. KG, München";
    expect(makerNamedInText(text)).toBe("Qorvex Devices");
    expect(makerNamedInText("Bürklin GmbH & Co. KG, München")).toBeNull();
  });
});
