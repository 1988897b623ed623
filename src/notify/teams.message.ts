import {
  advice,
  attentionOf,
  cash,
  causeLine,
  changeLine,
  dateWithDays,
  ltbBuy,
  ltbUnlessDecide,
  maker,
  money,
  optionLabel,
  PROVISIONAL_NOTE,
  runOut,
  timeLine,
  title,
  workflowLine,
} from "./format.ts";
import { byExposure, digestIntro, type OutgoingMessage, type WeeklyDigest } from "./message.ts";
import { ASSUMPTIONS_NOTE, materialChanges, type NotificationCase } from "./notification.types.ts";

/**
 * Teams via a Workflows ("When a Teams webhook request is received") webhook: a `message` whose one
 * attachment is an Adaptive Card 1.4 (https://adaptivecards.io/explorer/). Teams renders
 * TextBlock/FactSet/Container/Action.OpenUrl; markdown in TextBlock is a small subset (bold, lists).
 */
type Element =
  | {
      type: "TextBlock";
      text: string;
      wrap?: boolean;
      weight?: "Bolder";
      size?: "Medium" | "Large" | "Small";
      isSubtle?: boolean;
      spacing?: "Medium" | "Small";
    }
  | { type: "FactSet"; facts: { title: string; value: string }[] }
  | { type: "Container"; items: Element[]; separator?: boolean };
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: "1.4";
  body: Element[];
  actions?: { type: "Action.OpenUrl"; title: string; url: string }[];
  msteams?: { width: "Full" };
}
export interface TeamsPayload {
  type: "message";
  attachments: {
    contentType: "application/vnd.microsoft.card.adaptive";
    contentUrl: null;
    content: AdaptiveCard;
  }[];
}

const card = (body: Element[], actions: AdaptiveCard["actions"] = []): TeamsPayload => ({
  type: "message",
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: {
        type: "AdaptiveCard",
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        version: "1.4",
        body,
        ...(actions.length ? { actions } : {}),
        msteams: { width: "Full" },
      },
    },
  ],
});
const text = (t: string, extra: Partial<Extract<Element, { type: "TextBlock" }>> = {}): Element => ({
  type: "TextBlock",
  text: t,
  wrap: true,
  ...extra,
});

export function renderTeams(m: OutgoingMessage): TeamsPayload {
  return m.kind === "case" ? teamsCase(m.case, m.deliveryId) : teamsDigest(m.cases, m.deliveryId, m.weekly);
}

function teamsCase(c: NotificationCase, deliveryId: string): TeamsPayload {
  const body: Element[] = [text(title(c), { weight: "Bolder", size: "Medium" })];
  if (c.provisional) body.push(text(PROVISIONAL_NOTE, { weight: "Bolder" }));
  const why = causeLine(c);
  if (why) body.push(text(why, { isSubtle: true }));
  const changed = materialChanges(c);
  if (c.event === "updated" && changed.length)
    body.push(text(`**What changed**\n\n${changed.map((ch) => `- ${changeLine(ch)}`).join("\n")}`));
  // Acting on it: severity, run-out and decide-by lead the facts; otherwise say why nothing is bought.
  const facts: { title: string; value: string }[] = [];
  if (attentionOf(c) !== "act") body.push(text(timeLine(c)!, { weight: "Bolder" }));
  else if (c.severity) {
    facts.push({ title: "Severity", value: c.severity.toUpperCase() });
    facts.push({
      title: "Stock runs out",
      value: c.run_out_date ? runOut(c) : "covers demand to end of production",
    });
    if (c.decision_by)
      facts.push({ title: "Decide by", value: dateWithDays(c.decision_by, c.days_to_decision ?? null) });
  }
  facts.push(
    { title: "Maker", value: maker(c) },
    { title: "MPN", value: c.mpn },
    { title: "Status", value: c.status },
  );
  // Money and buy dates only where something is bought (a review or watch case has none).
  if (attentionOf(c) === "act")
    facts.push(
      { title: "Revenue at risk", value: cash(c, c.revenue_at_risk) },
      { title: "LTB date", value: dateWithDays(c.ltb_date, c.days_to_ltb) },
      { title: "Last ship", value: dateWithDays(c.last_ship_date, c.days_to_last_ship) },
      {
        title: "Recommended",
        value:
          c.recommendation === "none"
            ? advice(c)
            : `${advice(c)} (P&L impact ${cash(c, c.recommendation_cost)})`,
      },
    );
  const buy = ltbBuy(c);
  if (buy) facts.push({ title: "Last-time buy", value: buy });
  body.push({ type: "FactSet", facts });
  if (c.options.length)
    body.push(
      text(
        `**Other feasible options**\n\n${c.options.map((o) => `- ${optionLabel(c, o.kind)}: ${cash(c, o.cost)}`).join("\n")}`,
      ),
    );
  body.push(
    text(
      `**Affected products (${c.affected.length})**\n\n${c.affected
        .slice(0, 30)
        .map((a) => `- ${a.assembly_id} ${a.name}: ${a.qty_per_unit} per unit`)
        .join("\n")}${c.affected.length > 30 ? `\n- …and ${c.affected.length - 30} more` : ""}`,
    ),
  );
  if (c.brief) body.push(text(c.brief));
  body.push({
    type: "Container",
    separator: true,
    items: [
      text(`Case ${c.case_id} · event v${c.version} · delivery ${deliveryId}`, {
        isSubtle: true,
        size: "Small",
      }),
      text(c.assumptions, { isSubtle: true, size: "Small" }),
    ],
  });
  return card(body, [{ type: "Action.OpenUrl", title: "Open case", url: c.case_url }]);
}

function teamsDigest(cases: NotificationCase[], deliveryId: string, weekly?: WeeklyDigest): TeamsPayload {
  const sorted = byExposure(cases);
  const total = sorted.reduce((s, c) => s + c.revenue_at_risk, 0);
  const currency = sorted[0]?.currency;
  const head = weekly
    ? `Week of ${weekly.week}: ${sorted.length} open obsolescence cases · ${money(total, currency)} at risk`
    : `Digest: ${sorted.length} obsolescence cases · ${money(total, currency)} at risk`;
  const body: Element[] = [
    text(head, { weight: "Bolder", size: "Medium" }),
    text(digestIntro(weekly), { isSubtle: true }),
    {
      type: "FactSet",
      facts: sorted.map((c) => ({
        title: `${c.case_id}`,
        value:
          `[${maker(c)} ${c.mpn}](${c.case_url}) ${c.status}${c.severity ? ` · ${c.severity.toUpperCase()}` : ""} · ` +
          `${cash(c, c.revenue_at_risk)} at risk` +
          (c.decision_by ? ` · decide by ${dateWithDays(c.decision_by, c.days_to_decision ?? null)}` : "") +
          `${ltbUnlessDecide(c)} · ${advice(c)}` +
          (c.event === "updated"
            ? ` · updated: ${materialChanges(c).map(changeLine).join("; ")}`
            : c.event === "reminder" || c.workflow
              ? ` · ${workflowLine(c)}`
              : ""),
      })),
    },
    {
      type: "Container",
      separator: true,
      items: [
        text(`delivery ${deliveryId}`, { isSubtle: true, size: "Small" }),
        text(sorted[0]?.assumptions || ASSUMPTIONS_NOTE, { isSubtle: true, size: "Small" }),
      ],
    },
  ];
  return card(body);
}
