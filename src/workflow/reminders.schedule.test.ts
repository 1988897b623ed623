import { describe, expect, it } from "vitest";
import { dueReminder, parseThresholds, weeklySlotDue } from "./reminders.schedule.ts";

const T = [90, 30, 7];
const day = (d: string) => new Date(`${d}T12:00:00Z`);

describe("reminder schedule", () => {
  it("is due at each threshold in turn, then overdue", () => {
    const by = "2027-03-31";
    expect(dueReminder(by, day("2026-12-30"), T, new Set())).toBeNull(); // 91 days
    expect(dueReminder(by, day("2026-12-31"), T, new Set())).toEqual({
      threshold: "90",
      daysLeft: 90,
      superseded: [],
    });
    expect(dueReminder(by, day("2027-01-15"), T, new Set(["90"]))).toBeNull(); // 75 days
    expect(dueReminder(by, day("2027-03-01"), T, new Set(["90"]))?.threshold).toBe("30");
    expect(dueReminder(by, day("2027-03-24"), T, new Set(["90", "30"]))?.threshold).toBe("7");
    expect(dueReminder(by, day("2027-03-31"), T, new Set(["90", "30", "7"]))).toBeNull(); // the day itself
    expect(dueReminder(by, day("2027-04-01"), T, new Set(["90", "30", "7"]))).toEqual({
      threshold: "overdue",
      daysLeft: -1,
      superseded: [],
    });
    expect(dueReminder(by, day("2027-05-01"), T, new Set(["90", "30", "7", "overdue"]))).toBeNull();
  });

  it("sends only the most urgent after a gap, and supersedes the larger ones", () => {
    expect(dueReminder("2027-03-31", day("2027-03-27"), T, new Set())).toEqual({
      threshold: "7",
      daysLeft: 4,
      superseded: ["90", "30"],
    });
    expect(dueReminder("2027-03-31", day("2027-06-01"), T, new Set(["90"]))).toEqual({
      threshold: "overdue",
      daysLeft: -62,
      superseded: ["30", "7"],
    });
  });

  it("reads REMINDER_DAYS", () => {
    expect(parseThresholds("7, 90,30")).toEqual([90, 30, 7]);
    expect(parseThresholds("")).toEqual({ error: "needs at least one number of days" });
    expect(parseThresholds("30,x")).toHaveProperty("error");
    expect(parseThresholds("30,30")).toEqual({ error: "lists a number twice" });
  });
});

describe("weekly digest slot", () => {
  it("is due from the hour on the weekday, for a day", () => {
    // 2026-11-30 is a Monday.
    expect(weeklySlotDue(new Date("2026-11-30T07:59:00Z"), "monday", 8)).toBeNull();
    expect(weeklySlotDue(new Date("2026-11-30T08:00:00Z"), "monday", 8)).toBe("2026-11-30");
    expect(weeklySlotDue(new Date("2026-12-01T07:59:00Z"), "monday", 8)).toBe("2026-11-30");
    expect(weeklySlotDue(new Date("2026-12-01T08:00:00Z"), "monday", 8)).toBeNull();
    expect(weeklySlotDue(new Date("2026-12-04T09:00:00Z"), "friday", 8)).toBe("2026-12-04");
    expect(weeklySlotDue(new Date("2026-12-06T23:00:00Z"), "sunday", 0)).toBe("2026-12-06");
  });
});
