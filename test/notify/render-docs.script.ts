/**
 * Regenerates the examples in docs/notifications/: the Slack Block Kit and Teams payloads of a
 * sample case, an update and a digest (JSON, exactly what is POSTed), and a PNG of each Slack
 * message drawn in Slack's layout (HTML in a temp folder, screenshot by headless chromium if installed):
 *   node --import tsx test/notify/render-docs.script.ts
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutgoingMessage } from "../../src/notify/message.ts";
import { renderSlack, type SlackBlock } from "../../src/notify/slack.message.ts";
import { renderTeams } from "../../src/notify/teams.message.ts";
import { notificationCase } from "./cases.fixture.ts";

const out = join(import.meta.dirname, "../../docs/notifications");
mkdirSync(out, { recursive: true });

const sample = notificationCase(42, {
  case_id: "c-7f3a9e",
  manufacturer: "Texas Instruments",
  mpn: "TPS7A4700RGWR",
  revenue_at_risk: 1_284_350.4,
  recommendation_cost: 4_812.3,
  ltb_cash_outlay: 48_123,
  ltb_quantity: 9_625,
  alternate_part: { manufacturer: "Texas Instruments", mpn: "TPS7A4701RGWR" },
  currency: "USD",
  case_url: "https://eolgate.example.com/cases/c-7f3a9e",
  affected: [
    { assembly_id: "PSU-200", name: "Lab power supply", qty_per_unit: 2, notify_channel: "instruments" },
    { assembly_id: "LOG-10", name: "Field data logger", qty_per_unit: 1, notify_channel: "field" },
    { assembly_id: "CTL-3", name: "Controller board (via LOG-10)", qty_per_unit: 1, notify_channel: null },
  ],
  severity: "high",
  run_out_date: "2027-02-14",
  coverage_months: 2.5,
  decision_by: "2027-03-31",
  days_to_decision: 123,
  brief:
    "TI will stop taking orders for TPS7A4700RGWR on 2027-03-31. Three assemblies use it; a last-time buy of 9,625 units covers demand to end of production. Stock runs out on 2027-02-14 (2.5 months): decide by 2027-03-31.",
});
const update = {
  ...sample,
  event: "updated" as const,
  version: 2,
  changes: [
    { field: "status", from: "nrnd", to: "ltb" },
    { field: "ltb_date", from: null, to: "2027-03-31" },
    // As NRND the part was still orderable: nothing to decide. Now it is.
    { field: "severity", from: "none", to: "high" },
    { field: "decision_by", from: null, to: "2027-03-31" },
  ],
};
// A product change on a part that stays orderable (DESIGN §6 step 0): a review, no buy advice.
const review = notificationCase(43, {
  case_id: "c-2b81d4",
  manufacturer: "STMicroelectronics",
  mpn: "STM32F103C8T6TR",
  status: "active",
  attention: "review",
  ltb_date: null,
  days_to_ltb: null,
  last_ship_date: null,
  days_to_last_ship: null,
  revenue_at_risk: 0,
  recommendation: "none",
  recommendation_cost: null,
  options: [],
  ltb_cash_outlay: null,
  severity: "none",
  run_out_date: null,
  coverage_months: 61,
  decision_by: null,
  days_to_decision: null,
  case_url: "https://eolgate.example.com/v1/cases/c-2b81d4",
  affected: [
    { assembly_id: "LOG-10", name: "Field data logger", qty_per_unit: 8, notify_channel: "field" },
    { assembly_id: "CTL-3", name: "Controller board (via LOG-10)", qty_per_unit: 8, notify_channel: null },
  ],
  brief:
    "ST adds a wafer fab for STM32F103C8T6TR (PCN MDG/26/14182). The part stays active: nothing to buy now. Review the change against the products that use it.",
});
// A notice received before the BOM held its part, made a case by the re-evaluation after the import.
const reevaluated = notificationCase(44, {
  case_id: "c-91d0e2",
  manufacturer: "Infineon Technologies",
  mpn: "CY7C68013A-56PVXC",
  ltb_date: "2027-01-29",
  days_to_ltb: 56,
  last_ship_date: null,
  days_to_last_ship: null,
  revenue_at_risk: 7_013_955,
  recommendation: "alternate",
  recommendation_cost: 41_000,
  alternate_part: { manufacturer: "Infineon Technologies", mpn: "CY7C68013A-56LTXC" },
  options: [
    { kind: "last_time_buy", cost: 34_772 },
    { kind: "broker", cost: 181_954 },
  ],
  ltb_cash_outlay: 90_977,
  ltb_quantity: 13_379,
  currency: "EUR",
  severity: "high",
  run_out_date: "2027-01-13",
  coverage_months: 1.3,
  decision_by: "2027-01-29",
  days_to_decision: 56,
  cause: { kind: "reevaluation", notice_trace_id: "3f5c2a7e-8b1d-4c9e-a0f4-6d2b7e9c1a58", bom_version: 3 },
  case_url: "https://eolgate.example.com/cases/c-91d0e2",
  brief:
    "Infineon ends CY7C68013A-56PVXC: last orders 2027-01-29. The gateway board uses one per unit; stock runs out on 2027-01-13. The QFN variant CY7C68013A-56LTXC is a drop-in alternate.",
});
const messages: Record<string, OutgoingMessage> = {
  "case-created": { kind: "case", deliveryId: "dlv_5c1e0b2f9a7d4e36b8f0c2a1d9e7b3f4", case: sample },
  "case-updated": { kind: "case", deliveryId: "dlv_0a9b8c7d6e5f40312233445566778899", case: update },
  "case-acknowledged": {
    kind: "case",
    deliveryId: "(updated in place)",
    case: {
      ...sample,
      workflow: {
        state: "acknowledged",
        assignee: null,
        decision: null,
        last: { actor: "Dan Decider", action: "acknowledge", at: "2026-12-02T09:44:00Z" },
      },
    },
  },
  "case-decided": {
    kind: "case",
    deliveryId: "(updated in place)",
    case: {
      ...sample,
      workflow: {
        state: "decided",
        assignee: "Dan Decider",
        decision: {
          option: "last_time_buy",
          quantity: 9625,
          decided_by: "Dan Decider",
          decided_at: "2026-12-02T09:46:00Z",
        },
        last: { actor: "Dan Decider", action: "decide", at: "2026-12-02T09:46:00Z" },
      },
    },
  },
  reminder: {
    kind: "case",
    deliveryId: "rem_3b1c2d4e5f60718293a4b5c6d7e8f901",
    case: {
      ...sample,
      event: "reminder" as const,
      days_to_ltb: 30,
      days_to_decision: 30,
      reminder: { threshold: "30", decision_by: "2027-03-31", days_left: 30 },
      workflow: {
        state: "acknowledged",
        assignee: "Dan Decider",
        decision: null,
        last: { actor: "Dan Decider", action: "acknowledge", at: "2026-12-02T09:44:00Z" },
      },
    },
  },
  weekly: {
    kind: "digest",
    deliveryId: "wk_9a8b7c6d5e4f30211203948576abcdef",
    weekly: { week: "2026-12-07" },
    cases: Array.from({ length: 5 }, (_, i) =>
      notificationCase(i + 1, {
        event: "reminder",
        workflow: {
          state: (["open", "acknowledged", "decided", "mitigating", "open"] as const)[i]!,
          assignee: i % 2 ? "Dan Decider" : null,
          decision: null,
          last: null,
        },
      }),
    ),
  },
  "case-review": { kind: "case", deliveryId: "dlv_77e1c0a4b2d94f0e8a6b5c3d2e1f0a9b", case: review },
  "case-reevaluated": { kind: "case", deliveryId: "dlv_3c4d5e6f708192a3b4c5d6e7f8091a2b", case: reevaluated },
  digest: {
    kind: "digest",
    deliveryId: "dg_1f2e3d4c5b6a79881726354453627180",
    cases: Array.from({ length: 6 }, (_, i) => notificationCase(i + 1)),
  },
};

const escHtml = (s: string) => s.replace(/&(?!(amp|lt|gt);)/g, "&amp;").replace(/"/g, "&quot;");
/** Slack mrkdwn subset we emit: *bold*, _italic_, <url|label>, newlines. Input is already Slack-escaped. */
function mrkdwn(s: string): string {
  return escHtml(s)
    .replace(/&lt;(https?:[^|]+?)\|([^&]*?)&gt;/g, '<a href="$1">$2</a>')
    .replace(/<(https?:[^|>]+)\|([^>]*)>/g, '<a href="$1">$2</a>')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>")
    .replace(/\n/g, "<br>");
}
function block(b: SlackBlock): string {
  switch (b.type) {
    case "header":
      return `<div class="header">${escHtml(b.text.text)}</div>`;
    case "section":
      return `<div class="section">${b.text ? `<div>${mrkdwn(b.text.text)}</div>` : ""}${
        b.fields
          ? `<div class="fields">${b.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join("")}</div>`
          : ""
      }</div>`;
    case "context":
      return `<div class="context">${b.elements.map((e) => `<span>${mrkdwn(e.text)}</span>`).join("")}</div>`;
    case "divider":
      return "<hr>";
    case "actions":
      return `<div class="actions">${b.elements.map((e) => `<a class="button ${e.style ?? ""}" href="${e.url ?? "#"}">${escHtml(e.text.text)}</a>`).join(" ")}</div>`;
  }
}
const CSS = `body{font-family:"Lato","Helvetica Neue",Arial,sans-serif;font-size:15px;color:#1d1c1d;background:#fff;margin:0;padding:16px;width:760px}
.msg{display:flex;gap:8px}.avatar{width:36px;height:36px;border-radius:4px;background:#4a154b;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.name{font-weight:900}.name small{font-weight:400;color:#616061;margin-left:6px}.badge{background:#e8e8e8;color:#616061;font-size:10px;padding:1px 3px;border-radius:2px;margin-left:4px}
.header{font-size:18px;font-weight:900;margin:6px 0}.section{margin:8px 0;line-height:1.45}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 24px;margin-top:4px}.context{color:#616061;font-size:12px;margin:6px 0}.context span{display:block;margin:2px 0}
hr{border:0;border-top:1px solid #ddd;margin:10px 0}a{color:#1264a3;text-decoration:none}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:4px 12px;color:#1d1c1d;font-weight:700;font-size:13px}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}`;
function html(blocks: SlackBlock[]): string {
  return `<!doctype html><meta charset="utf-8"><style>${CSS}</style><div class="msg"><div class="avatar">EG</div><div style="flex:1"><div class="name">eolgate<span class="badge">APP</span><small>09:41</small></div>${blocks.map(block).join("")}</div></div>`;
}

const chromium = ["chromium", "chromium-browser"].find(
  (c) => spawnSync("sh", ["-c", `command -v ${c}`]).status === 0,
);
for (const [name, m] of Object.entries(messages)) {
  const slack = renderSlack(m);
  writeFileSync(join(out, `slack-${name}.json`), `${JSON.stringify(slack, null, 2)}\n`);
  writeFileSync(join(out, `teams-${name}.json`), `${JSON.stringify(renderTeams(m), null, 2)}\n`);
  const page = join(mkdtempSync(join(tmpdir(), "eolgate-docs-")), `slack-${name}.html`);
  writeFileSync(page, html(slack.blocks));
  if (!chromium) continue;
  const height =
    { digest: 640, weekly: 640, "case-updated": 960, "case-review": 700, "case-reevaluated": 920 }[name] ??
    900;
  const r = spawnSync(chromium, [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--window-size=800,${height}`,
    `--screenshot=${join(out, `slack-${name}.png`)}`,
    `file://${page}`,
  ]);
  if (r.status !== 0) console.error(`chromium failed for ${name}: ${r.stderr}`);
}
console.log(chromium ? "rendered JSON, HTML and PNG" : "chromium not found: rendered JSON and HTML only");
