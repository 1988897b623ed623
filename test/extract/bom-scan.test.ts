/**
 * BOM-anchored matching through extraction (issue 19): every BOM part a notice names is reported —
 * by the rules, or by the scan as `matched_by: "bom_scan"` with its evidence, for review — and the
 * scan adds nothing the text names as something else (a replacement, a part not affected).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBomRefs } from "../../src/cli/bom-refs.file.ts";
import { type BomRef, buildBomScanner } from "../../src/extract/bom.scan.ts";
import { extractFromEmail } from "../../src/extract/extract.email.ts";
import { extractFromText } from "../../src/extract/extract.ts";
import { parseMime } from "../../src/mail/mime.ts";
import { normalizeMpn } from "../../src/parts/mpn.normalize.ts";

const CORPUS = "/work/shared/corpus";
const now = new Date("2026-06-01T00:00:00Z");
const refs = (...mpns: string[]): BomRef[] =>
  mpns.map((mpn) => ({ mpn, manufacturer: "Texas Instruments", role: "part" }));

describe("BOM scan on the labelled corpus with its BOM", () => {
  const labels = JSON.parse(readFileSync(join(CORPUS, "emails/labels.json"), "utf8")) as {
    file: string;
    notices: { mpn: string }[];
  }[];
  const bom = buildBomScanner(readBomRefs(join(CORPUS, "bom")));
  const bomKeys = new Set(readBomRefs(join(CORPUS, "bom")).map((r) => normalizeMpn(r.mpn)));

  it("reports every labelled BOM part and no part the labels do not name", async () => {
    let bomParts = 0;
    for (const l of labels) {
      const email = await parseMime(readFileSync(join(CORPUS, "emails", l.file)), "json");
      const got = await extractFromEmail(email, { now: new Date(email.date ?? now), bom });
      const have = new Set(got.notices.map((n) => normalizeMpn(n.mpn)));
      const want = new Set(l.notices.map((n) => normalizeMpn(n.mpn)));
      for (const k of want) if (bomKeys.has(k)) bomParts++;
      for (const k of want) expect(have.has(k), `${l.file}: ${k}`).toBe(true);
      for (const k of have) expect(want.has(k), `${l.file}: extra ${k}`).toBe(true);
    }
    // The premise: the corpus notices do name BOM parts.
    expect(bomParts).toBeGreaterThan(20);
  });
});

describe("BOM scan of one message", () => {
  const bom = buildBomScanner([
    ...refs("TPS54331D", "TLV70233DBVR", "LM358DR", "OPA2134PA"),
    { mpn: "OPA2156IDR", manufacturer: "Texas Instruments", role: "alternate" },
  ]);
  const notice = (body: string) =>
    extractFromText(body, { now, subject: "Product discontinuance PDN-77-001", from: "pcn@ti.com", bom });

  it("reports a BOM part the rules missed, with its evidence, for review", () => {
    const r = notice(
      [
        "The parts below are discontinued. Last time buy: 2027-01-31.",
        "",
        "| Part number | Replacement |",
        "|---|---|",
        "| LM317TG | None |",
        "",
        "The same applies to the TPS5433-",
        "1D in the SOIC package.",
      ].join("\n"),
    );
    const scanned = r.notices.find((n) => n.matched_by === "bom_scan");
    expect(scanned).toMatchObject({
      mpn: "TPS54331D",
      manufacturer: "Texas Instruments",
      lifecycle_status: "ltb",
      ltb_date: "2027-01-31",
      pcn_id: "PDN-77-001",
      needs_review: true,
      evidence: { bom_mpn: "TPS54331D", match: "exact", written: "TPS5433-\n1D" },
    });
    const ev = scanned!.evidence!;
    expect(ev.excerpt.slice(ev.start, ev.end)).toBe("TPS5433- 1D");
    expect(ev.excerpt).toContain("The same applies to the");
    expect(r.notices.find((n) => n.mpn === "LM317TG")?.matched_by).toBe("rules");
  });

  it("marks a rule notice whose part is on the BOM, and adds no second notice for it", () => {
    const r = notice("Affected devices\nDevice\tReplacement\nOPA2134PA\tOPA2156IDR\n");
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatchObject({
      mpn: "OPA2134PA",
      matched_by: "rules",
      replacement_mpn: "OPA2156IDR",
    });
    expect(r.notices[0]!.reasons).toContain("bom_part_exact");
  });

  it("adds no notice for a BOM part named as a replacement or as not affected", () => {
    const r = notice(
      [
        "Affected part numbers:",
        "- OPA2134PA  Replacement: OPA2156IDR",
        "",
        "The TLV70233DBVR and LM358DR are not affected by this notice.",
      ].join("\n"),
    );
    expect(r.notices.map((n) => n.mpn)).toEqual(["OPA2134PA"]);
  });

  it("adds nothing for a message that speaks of no lifecycle event", () => {
    const r = extractFromText("New in stock this week: TPS54331D, LM358DR. Shop now!", {
      now,
      subject: "Mouser weekly",
      from: "news@mouser.com",
      bom,
    });
    expect(r).toEqual({ is_lifecycle_notice: false, notices: [] });
  });
});
