import { describe, expect, it } from "vitest";
import { extractFromText } from "./extract.ts";
import { isInvitation } from "./invitation.ts";

const now = new Date("2026-10-01T00:00:00Z");

describe("invitations and promotions", () => {
  it("knows an event, webinar or offer by its subject", () => {
    expect(isInvitation("Join us at embedded world, stand 4-310: obsolescence services", false, false)).toBe(
      true,
    );
    expect(isInvitation("Webinar: surviving last-time buys", false, false)).toBe(true);
    expect(isInvitation("Product Discontinuation Notice HX-PDN-2026-04", false, true)).toBe(false);
  });

  it("reads an invitation that names part families and last-time buys as no notice", () => {
    const got = extractFromText(
      [
        "Dear engineer,",
        "",
        "Our team keeps legacy lines running after the manufacturer's last time buy: die banking,",
        "re-manufactured devices (for example for the classic HX6809 and HX8031 families) and storage.",
        "",
        "Book a meeting on our website.",
      ].join("\n"),
      {
        now,
        subject: "Visit us at productronica, hall B2 booth 118 - EOL and LTB services",
        from: "events@broker.example",
      },
    );
    expect(got).toEqual({ is_lifecycle_notice: false, notices: [] });
  });

  it("still reads a notice whose subject invites but which carries a parts table or names its notice", () => {
    const table = extractFromText(
      "The parts below are discontinued.\n\nPart Number     Last Time Buy\nHX6809P         2026-12-31\n",
      { now, subject: "Meet us at productronica - and our EOL list", from: "pcn@maker.example" },
    );
    expect(table.notices.map((n) => n.mpn)).toEqual(["HX6809P"]);
    const named = extractFromText("The HX8031Q is discontinued; last time buy 2026-12-31.\n", {
      now,
      subject: "Invitation to review PDN HX-PDN-2026-07",
      from: "pcn@maker.example",
    });
    expect(named.notices.map((n) => n.mpn)).toEqual(["HX8031Q"]);
  });
});
