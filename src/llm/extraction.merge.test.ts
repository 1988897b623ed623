import { describe, expect, it } from "vitest";
import type { ExtractedNotice, ScoredNotice } from "../extract/notice.ts";
import { MODEL_NOTICE_CONFIDENCE, mergeExtractions } from "./extraction.merge.ts";

const base: ExtractedNotice = {
  manufacturer: null,
  mpn: "AD8606ARZ",
  lifecycle_status: "unknown",
  notice_type: "discontinuance",
  pcn_id: null,
  ltb_date: null,
  last_ship_date: null,
  replacement_mpn: null,
};
const scored = (n: ExtractedNotice, reasons: string[] = ["layout:prose"]): ScoredNotice => ({
  ...n,
  confidence: 0.3,
  reasons,
  needs_review: true,
  matched_by: "rules",
  evidence: null,
  source: { part: "text", layout: "prose", line: 1 },
});

describe("mergeExtractions", () => {
  it("fills the rules' gaps, keeps the rules' values, adds distinct orderables the model found", () => {
    const rules = {
      is_lifecycle_notice: true,
      notices: [scored({ ...base, pcn_id: "PDN-1" })],
    };
    const out = mergeExtractions(rules, {
      is_lifecycle_notice: true,
      notices: [
        { ...base, mpn: "ad8606arz", lifecycle_status: "ltb", pcn_id: "PDN-2", ltb_date: "2027-01-31" },
        { ...base, mpn: "AD8606ARZ-REEL7", lifecycle_status: "ltb" },
      ],
    });
    expect(out.notices).toEqual([
      scored({ ...base, pcn_id: "PDN-1", lifecycle_status: "ltb", ltb_date: "2027-01-31" }, [
        "layout:prose",
        "model_filled_ltb_date",
        "model_filled_lifecycle_status",
      ]),
      {
        ...base,
        mpn: "AD8606ARZ-REEL7",
        lifecycle_status: "ltb",
        confidence: MODEL_NOTICE_CONFIDENCE,
        reasons: ["found_by_model"],
        needs_review: true,
        matched_by: "llm",
        evidence: null,
        source: { part: "llm", layout: "model", line: null },
      },
    ]);
    expect(rules.notices[0]!.lifecycle_status).toBe("unknown");
  });

  it("turns a message into a lifecycle notice only with a part the model found", () => {
    const none = { is_lifecycle_notice: false, notices: [] };
    expect(mergeExtractions(none, { is_lifecycle_notice: true, notices: [] }).is_lifecycle_notice).toBe(
      false,
    );
    expect(mergeExtractions(none, { is_lifecycle_notice: true, notices: [base] }).is_lifecycle_notice).toBe(
      true,
    );
    expect(mergeExtractions(none, { is_lifecycle_notice: false, notices: [base] }).is_lifecycle_notice).toBe(
      false,
    );
  });
});
