import type { NotificationCase, OptionKind } from "./notification.types.ts";

/** Presentation helpers shared by the Slack, Teams and webhook renderers. Pure. */

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
export const money = (n: number | null): string => (n === null ? "—" : usd.format(n));

export const OPTION_LABEL: Record<OptionKind | "none", string> = {
  existing_stock: "Use existing stock",
  last_time_buy: "Last-time buy",
  alternate: "Qualify drop-in alternate",
  substitute: "Qualify substitute",
  broker: "Buy from broker (counterfeit risk)",
  redesign: "Redesign",
  none: "No action",
};

export function dateWithDays(date: string | null, days: number | null): string {
  if (!date) return "unknown";
  if (days === null) return date;
  if (days < 0) return `${date} (${-days} d ago)`;
  if (days === 0) return `${date} (today)`;
  return `${date} (${days} d left)`;
}

export const maker = (c: NotificationCase): string => c.manufacturer ?? "unknown maker";

const FIELD_LABEL: Record<string, string> = {
  status: "Status",
  ltb_date: "LTB date",
  last_ship_date: "Last ship date",
  recommendation: "Recommendation",
  manufacturer: "Manufacturer",
  mpn: "MPN",
};

export function changeLine(ch: { field: string; from: unknown; to: unknown }): string {
  const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
  return `${FIELD_LABEL[ch.field] ?? ch.field}: ${show(ch.from)} → ${show(ch.to)}`;
}

export function title(c: NotificationCase): string {
  if (c.event === "reminder" && c.reminder) {
    const r = c.reminder;
    const when =
      r.days_left < 0
        ? `Overdue: the decision was due ${r.decision_by} (${-r.days_left} d ago)`
        : `Reminder: decide by ${r.decision_by} (${r.days_left === 0 ? "today" : `${r.days_left} d left`})`;
    return `${when} — ${maker(c)} ${c.mpn} is ${c.status.toUpperCase()}, recommended: ${OPTION_LABEL[c.recommendation]}`;
  }
  const verb = c.event === "updated" ? "Update" : "New case";
  return `${verb}: ${maker(c)} ${c.mpn} is ${c.status.toUpperCase()} — ${OPTION_LABEL[c.recommendation]}`;
}

/** Where people are with a case, for digests and reminders: state, assignee, decide-by. */
export function workflowLine(c: NotificationCase): string {
  const parts: string[] = [c.workflow?.state ?? "open"];
  if (c.workflow?.assignee) parts.push(`assigned to ${c.workflow.assignee}`);
  if (c.reminder)
    parts.push(
      c.reminder.days_left < 0
        ? `decision overdue since ${c.reminder.decision_by}`
        : `decide by ${c.reminder.decision_by} (${c.reminder.days_left} d)`,
    );
  return parts.join(", ");
}

/** Cuts `s` to at most `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Joins lines until the next would pass `max` characters, then says how many were left out. */
export function joinWithin(lines: string[], max: number): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const more = `…and ${lines.length - i} more`;
    if (used + line.length + 1 + more.length + 1 > max && i < lines.length - 1) {
      out.push(more);
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return clip(out.join("\n"), max);
}
