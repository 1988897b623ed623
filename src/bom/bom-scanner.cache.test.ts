import { describe, expect, it } from "vitest";
import type { BomRef } from "../extract/bom.scan.ts";
import { BomScannerCache } from "./bom-scanner.cache.ts";

const ref = (mpn: string): BomRef => ({ mpn, manufacturer: null, role: "part" });

describe("BomScannerCache", () => {
  it("builds once per version, shares one build between concurrent callers, rebuilds on a new version", async () => {
    let version = "v1";
    let loads = 0;
    let refs = [ref("TPS54331D")];
    const cache = new BomScannerCache({
      version: async () => version,
      refs: async () => {
        loads++;
        return refs;
      },
    });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    expect(a!.scan("TPS54331D").length).toBe(1);
    expect(await cache.get()).toBe(a);
    version = "v2";
    refs = [ref("LM358DR")];
    const c = await cache.get();
    expect(loads).toBe(2);
    expect(c!.scan("TPS54331D")).toEqual([]);
    expect(c!.scan("LM358DR").length).toBe(1);
  });

  it("answers null for an empty BOM and does not keep a failed load", async () => {
    let fail = true;
    const cache = new BomScannerCache({
      version: async () => "v1",
      refs: async () => {
        if (fail) throw new Error("store down");
        return [];
      },
    });
    await expect(cache.get()).rejects.toThrow("store down");
    fail = false;
    expect(await cache.get()).toBeNull();
  });
});
