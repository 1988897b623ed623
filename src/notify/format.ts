import type { Attention, NotificationCase, OptionKind } from "./notification.types.ts";

/** Presentation helpers shared by the Slack, Teams and webhook renderers. Pure. */

const formats = new Map<string, Intl.NumberFormat>();
/** Money with its currency (the CURRENCY setting, carried by each case; USD before it existed). */
export function money(n: number | null, currency = "USD"): string {
  if (n === null) return "—";
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency });
    formats.set(currency, f);
  }
  return f.format(n);
}
/** A case's money figure in its own currency. */
export const cash = (c: NotificationCase, n: number | null): string => money(n, c.currency ?? "USD");
const units = (n: number) => n.toLocaleString("en-US");

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
  severity: "Severity",
  decision_by: "Decide by",
  revenue_at_risk: "Revenue at risk",
};

export function changeLine(ch: { field: string; from: unknown; to: unknown }): string {
  const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
  return `${FIELD_LABEL[ch.field] ?? ch.field}: ${show(ch.from)} → ${show(ch.to)}`;
}

/** A payload enqueued before the time view has no attention: it was always a case to act on. */
export const attentionOf = (c: NotificationCase): Attention => c.attention ?? "act";

const NO_BUY: Record<Exclude<Attention, "act">, string> = {
  review: "Review the change: still orderable, no buy needed",
  watch: "Watch: still orderable, no buy needed",
};

/**
 * An option as something to do: which alternate or substitute to qualify, how many units a
 * last-time buy buys. Falls back to the bare label for payloads enqueued before these were carried.
 */
export function optionLabel(c: NotificationCase, kind: OptionKind | "none"): string {
  const label = OPTION_LABEL[kind];
  const part = kind === "alternate" ? c.alternate_part : kind === "substitute" ? c.substitute_part : null;
  if (part) return `${label} ${part.manufacturer} ${part.mpn}`;
  if (kind === "last_time_buy" && c.ltb_quantity !== undefined && c.ltb_quantity !== null)
    return `${label} of ${units(c.ltb_quantity)} units`;
  return label;
}

/** The advice in a few words: the recommended option, or "Review…"/"Watch…" when nothing is bought. */
export function advice(c: NotificationCase): string {
  const a = attentionOf(c);
  return a === "act" ? optionLabel(c, c.recommendation) : NO_BUY[a];
}

/** The cash a last-time buy needs now, beside its P&L cost: "12,345 units, cash outlay $55,000.00". */
export function ltbBuy(c: NotificationCase): string | null {
  if (c.ltb_cash_outlay === null) return null;
  const q = c.ltb_quantity;
  return `${q !== undefined && q !== null ? `${units(q)} units, ` : ""}cash outlay ${cash(c, c.ltb_cash_outlay)}`;
}

/** Why this message comes now when a re-evaluation made it (the notice itself may be months old). */
export function causeLine(c: NotificationCase): string | null {
  if (c.cause?.kind !== "reevaluation") return null;
  return (
    `Re-evaluated after BOM import v${c.cause.bom_version}: notice ${c.cause.notice_trace_id} arrived ` +
    "before the BOM held this part or before the part's BOM data changed."
  );
}

/** Said near the top of a provisional case's message (issue 19), in plain words. */
export const PROVISIONAL_NOTE =
  "Provisional: eolgate was not sure it read the notice behind this case correctly, and nobody has " +
  "checked it yet. Check the notice before acting on it; the case stops being provisional once someone " +
  "confirms or corrects it in the review queue.";

export function title(c: NotificationCase): string {
  const t = caseTitle(c);
  return c.provisional ? `Provisional — ${t}` : t;
}

function caseTitle(c: NotificationCase): string {
  if (c.event === "reminder" && c.reminder) {
    const r = c.reminder;
    const when =
      r.days_left < 0
        ? `Overdue: the decision was due ${r.decision_by} (${-r.days_left} d ago)`
        : `Reminder: decide by ${r.decision_by} (${r.days_left === 0 ? "today" : `${r.days_left} d left`})`;
    return `${when} — ${maker(c)} ${c.mpn} is ${c.status.toUpperCase()}, recommended: ${OPTION_LABEL[c.recommendation]}`;
  }
  const verb = c.event === "updated" ? "Update" : "New case";
  const why = c.cause?.kind === "reevaluation" ? " (re-evaluation)" : "";
  return `${verb}${why}: ${maker(c)} ${c.mpn} is ${c.status.toUpperCase()} — ${advice(c)}`;
}

/**
 * The time view in one line (DESIGN §6b): "Severity HIGH · stock runs out 2027-04-05 (4.1 months)
 * · decide by 2027-03-31 (120 d left)". For a review or watch case, why there is nothing to buy.
 * Null for a payload enqueued before the time view.
 */
export function timeLine(c: NotificationCase): string | null {
  const a = attentionOf(c);
  if (a !== "act")
    return a === "watch"
      ? "Still orderable as usual (not recommended for new designs): a watch item, no buy advice."
      : "Still orderable as usual: a review item (check the change against our products), no buy advice.";
  if (c.severity === undefined || c.severity === null) return null;
  const parts = [`Severity ${c.severity.toUpperCase()}`];
  if (c.run_out_date) parts.push(`stock runs out ${runOut(c)}`);
  else if (c.severity === "none") parts.push("stock covers demand to end of production");
  if (c.decision_by) parts.push(`decide by ${dateWithDays(c.decision_by, c.days_to_decision ?? null)}`);
  return parts.join(" · ");
}

/** The run-out date with the months of stock left: "2027-04-05 (4.1 months)". */
export function runOut(c: NotificationCase): string {
  if (!c.run_out_date) return "—";
  const m = c.coverage_months;
  return m === undefined || m === null ? c.run_out_date : `${c.run_out_date} (${m.toFixed(1)} months)`;
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

/** The LTB date in a digest line, unless it is already the decide-by date shown beside it. */
export function ltbUnlessDecide(c: NotificationCase): string {
  if (c.ltb_date && c.ltb_date === c.decision_by) return "";
  return ` · LTB ${dateWithDays(c.ltb_date, c.days_to_ltb)}`;
}
