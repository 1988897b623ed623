import { describe, expect, it } from "vitest";
import type { ExtractedNotice } from "../extract/notice.ts";
import { excerptOf } from "./review.excerpt.ts";
import { itemsToReview } from "./review.filing.ts";

const notice = (mpn: string, manufacturer: string | null = null): ExtractedNotice => ({
  manufacturer,
  mpn,
  lifecycle_status: "ltb",
  notice_type: "discontinuance",
  pcn_id: null,
  ltb_date: "2027-03-31",
  last_ship_date: null,
  replacement_mpn: null,
});
const signals = (needs_review: boolean, confidence: number) => ({
  confidence,
  reasons: ["layout:prose"],
  needs_review,
  matched_by: "rules" as const,
  evidence: null,
  source: { part: "text", layout: "prose", line: 3 },
  excerpt: null,
});

describe("itemsToReview", () => {
  it("files exactly the notices marked needs_review, with where they stand and the maker's key", () => {
    const items = itemsToReview({
      notices: [notice("TPS54331D"), notice("LT1763CS8", "Linear Technology")],
      sources: [signals(false, 0.9), signals(true, 0.41)],
      message: { id: "<m1@example>", from: "a@b.example", subject: "PDN" },
    });
    expect(items).toEqual([
      {
        noticeIndex: 1,
        notice: notice("LT1763CS8", "Linear Technology"),
        confidence: 0.41,
        reasons: ["layout:prose"],
        matchedBy: "rules",
        evidence: null,
        source: {
          part: "text",
          layout: "prose",
          line: 3,
          excerpt: null,
          message: { id: "<m1@example>", from: "a@b.example", subject: "PDN" },
        },
        // Linear is Analog Devices now: the maker filter finds it under either name.
        manufacturerKey: "analog devices",
      },
    ]);
  });

  it("files nothing for a message without signals, or whose signals do not line up with its notices", () => {
    expect(itemsToReview({ notices: [notice("TPS54331D")] })).toEqual([]);
    expect(itemsToReview({ notices: [notice("A1"), notice("B2")], sources: [signals(true, 0.2)] })).toEqual(
      [],
    );
  });
});

describe("excerptOf", () => {
  it("finds the part across case, a line wrap, spaces and hyphens, and marks it", () => {
    const text = "Dear customer,\nthe devices TPS54\n331-d and others will be discontinued in 2027.";
    const e = excerptOf(text, "TPS54331D")!;
    expect(e.text.slice(e.start, e.end)).toBe("TPS54 331-d");
    expect(e.text).toBe("Dear customer, the devices TPS54 331-d and others will be discontinued in 2027.");
  });

  it("prefers the part standing alone over a longer part that starts with it", () => {
    const e = excerptOf("Replacement: TPS54331DR. Affected: TPS54331D only.", "TPS54331D")!;
    expect(e.text.slice(e.start, e.end)).toBe("TPS54331D");
    expect(e.text.slice(e.end)).toBe(" only.");
  });

  it("keeps some context on each side, and says null when the text does not name the part", () => {
    const long = `${"x ".repeat(200)}PART-1 ${"y ".repeat(200)}`;
    const e = excerptOf(long, "PART-1")!;
    expect(e.start).toBeLessThanOrEqual(80);
    expect(e.text.length).toBeLessThanOrEqual(80 * 2 + 6);
    expect(excerptOf("nothing here", "ABC123")).toBeNull();
    expect(excerptOf("anything", "  ")).toBeNull();
  });
});
