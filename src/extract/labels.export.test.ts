import { describe, expect, it } from "vitest";
import { reviewedAsLabels } from "./labels.export.ts";
import type { ExtractedNotice } from "./notice.ts";

const notice = (mpn: string, over: Partial<ExtractedNotice> = {}): ExtractedNotice => ({
  manufacturer: "Texas Instruments",
  mpn,
  lifecycle_status: "ltb",
  notice_type: "discontinuance",
  pcn_id: "PDN-1",
  ltb_date: "2027-01-31",
  last_ship_date: null,
  replacement_mpn: null,
  ...over,
});

describe("reviewedAsLabels", () => {
  it("writes confirmed and corrected notices per message in the labels.json schema", () => {
    const labels = reviewedAsLabels([
      { trace_id: "b-2", verdict: "rejected", notice: notice("JESD48") },
      { trace_id: "a-1", verdict: "confirmed", notice: notice("TPS54331D") },
      { trace_id: "a-1", verdict: "corrected", notice: notice("LM358DR", { ltb_date: "2027-02-28" }) },
      {
        trace_id: "a-1",
        verdict: "corrected",
        notice: notice("tps54331d", { replacement_mpn: "TPS54331DR" }),
      },
    ]);
    expect(labels).toEqual([
      {
        file: "a-1.eml",
        is_lifecycle_notice: true,
        notices: [
          notice("LM358DR", { ltb_date: "2027-02-28" }),
          notice("tps54331d", { replacement_mpn: "TPS54331DR" }),
        ],
      },
      { file: "b-2.eml", is_lifecycle_notice: false, notices: [] },
    ]);
  });

  it("refuses a correction that breaks the notice schema", () => {
    expect(() =>
      reviewedAsLabels([
        { trace_id: "c", verdict: "corrected", notice: notice("X1", { ltb_date: "31.01.2027" }) },
      ]),
    ).toThrow();
  });
});
