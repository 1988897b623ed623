import { ASSUMPTIONS_NOTE, type NotificationCase } from "../../src/notify/notification.types.ts";
import type { Routing } from "../../src/notify/routing.ts";
import { routingFromSettings } from "../../src/notify/routing.ts";

/** A realistic case event; `i` varies the ids and money so sets of cases sort deterministically. */
export function notificationCase(i: number, over: Partial<NotificationCase> = {}): NotificationCase {
  return {
    case_id: `case-${String(i).padStart(4, "0")}`,
    version: 1,
    event: "created",
    changes: [],
    manufacturer: "Texas Instruments",
    mpn: `LM317-${i}`,
    status: "ltb",
    ltb_date: "2027-03-31",
    last_ship_date: "2027-09-30",
    days_to_ltb: 123,
    days_to_last_ship: 306,
    revenue_at_risk: 10_000 + i * 137.25,
    recommendation: "last_time_buy",
    recommendation_cost: 1234.5,
    options: [
      { kind: "alternate", cost: 41_000 },
      { kind: "broker", cost: 9_876.5 },
      { kind: "redesign", cost: 1_118_000 },
    ],
    ltb_cash_outlay: 6_172.5,
    attention: "act",
    severity: "high",
    run_out_date: "2027-02-14",
    coverage_months: 2.5,
    decision_by: "2027-03-31",
    days_to_decision: 123,
    affected: [
      { assembly_id: "A-100", name: "Bench power supply", qty_per_unit: 2, notify_channel: "instruments" },
      { assembly_id: "A-200", name: "Field logger", qty_per_unit: 1, notify_channel: null },
    ],
    case_url: `https://eolgate.example.com/cases/case-${String(i).padStart(4, "0")}`,
    assumptions: ASSUMPTIONS_NOTE,
    ...over,
  };
}

/** Routing with every case (route `default`) going to the given destinations. */
export function routingTo(
  specs: string[],
  extra: Record<string, string[]> = {},
  minRevenueAtRisk = 0,
): Routing {
  return routingFromSettings({
    NOTIFY_ROUTES: JSON.stringify({ default: specs, ...extra }),
    NOTIFY_MIN_REVENUE_AT_RISK: minRevenueAtRisk,
  });
}

export const silentLogger = { info() {}, warn() {}, error() {} };
