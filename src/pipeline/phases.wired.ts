import { assessNotices, type CaseOutcome } from "../cases/cases.service.ts";
import type { Config } from "../config.ts";
import type { NormalizedEmail } from "../email/normalized-email.ts";
import { normalizeStoredEmail, StoredEmailUnreadable } from "../email/stored.ts";
import { extractFromEmail } from "../extract/extract.email.ts";
import { ExtractedNotice, type ExtractionResult, type ScoredNotice } from "../extract/notice.ts";
import { impactSettingsFromConfig } from "../impact/impact.settings.ts";
import { EmailForwardSchema } from "../ingest/ingest.schemas.ts";
import { assistExtraction, briefFactsFromImpact, type Llm, type LlmUsage, writeBrief } from "../llm/index.ts";
import { enqueueNotifications } from "../notify/enqueue.ts";
import {
  ASSUMPTIONS_NOTE,
  caseUrl,
  daysUntil,
  type NotificationCase,
  OPTION_KINDS,
} from "../notify/notification.types.ts";
import type { Routing } from "../notify/routing.ts";
import type { Sql, SqlDriver } from "../store/driver.ts";
import type { Downstreams } from "./downstream.ts";
import type { AssessOutput, ExtractOutput, PhaseDeps } from "./phases.default.ts";
import type { InboxItem, PhaseContext, PhaseResult } from "./phases.ts";

/**
 * The production phases over the other areas' modules: extraction (rules, then the optional model),
 * match & assess through the cases service, and stakeholder notification through the outbox.
 * Component alerts and persistence keep `buildPhases`' own implementations. Each effect is keyed by
 * the trace id (cases) or committed with the phase record (outbox rows), so a retried or replayed
 * notice never makes a second effect.
 */
export interface WiredPhaseDeps {
  config: Config;
  db: SqlDriver;
  downstreams: Downstreams;
  llm: Llm | null;
  routing: Routing;
}

export function wiredPhaseDeps(deps: WiredPhaseDeps): PhaseDeps {
  const settings = impactSettingsFromConfig(deps.config);
  return {
    downstreams: deps.downstreams,
    extractEmail: (item, ctx) => extractMessage(deps, item, ctx),
    async assess(extracted, ctx) {
      // Writes cases, reports and links in its own transaction, keyed by trace id: a repeat after a
      // crash returns the first answer and adds nothing.
      const outcomes = await assessNotices(deps.db, {
        traceId: ctx.item.traceId,
        receivedAt: ctx.item.receivedAt,
        notices: extracted.notices,
        settings,
      });
      const output: AssessOutput & { outcomes: CaseOutcome[] } = {
        assessments: outcomes.map((o) => ({
          notice_index: o.notice_index,
          case_id: o.case_id,
          revenue_at_risk: o.impact?.revenue_at_risk ?? 0,
          recommendation: o.impact?.recommendation ?? "none",
          ...(o.kind === "no_match" ? { note: "no part of the BOM matches: exposure 0" } : {}),
        })),
        outcomes,
      };
      return { kind: "ok", output };
    },
    notify: (_assessed, _extracted, ctx) => notifyCases(deps, ctx),
  };
}

/** Extract for every route: structured alerts map field by field; emails go through the rules. */
async function extractMessage(
  deps: WiredPhaseDeps,
  item: InboxItem,
  ctx: PhaseContext,
): Promise<PhaseResult> {
  let email: NormalizedEmail;
  try {
    email = item.route === "email-forward" ? emailFromForward(item) : await storedEmail(deps, item);
  } catch (err) {
    if (err instanceof StoredEmailUnreadable || err instanceof PayloadBroken) {
      return { kind: "permanent", error: err.message };
    }
    throw err;
  }
  const now = email.date ? new Date(email.date) : item.receivedAt;
  const rules = await extractFromEmail(email, { now });
  const { result, usage } = await assistExtraction(deps.llm, {
    text: readableText(email),
    subject: email.subject,
    from: email.from,
    rules,
    now,
  });
  ctx.logger.info(
    {
      trace_id: item.traceId,
      notices: result.notices.length,
      lifecycle: result.is_lifecycle_notice,
      llm: usage,
    },
    "extracted",
  );
  return { kind: "ok", output: extractOutput(result, usage, email) };
}

/**
 * The extract phase's record: the notices (read by later phases) plus whether and how the model took
 * part and where each notice was found (people checking a result need both).
 */
type RecordedExtraction = ExtractOutput & {
  llm: LlmUsage;
  sources: { confidence: number; source: ScoredNotice["source"] }[];
  message: { id: string | null; from: string | null; subject: string; flags: string[] };
  /** Attachments the provider delivered damaged, with the reason (the rest of the message was read). */
  unreadable_attachments: { filename: string | null; reason: string }[];
  warnings: string[];
};

function extractOutput(
  result: ExtractionResult,
  usage: LlmUsage,
  email: NormalizedEmail,
): RecordedExtraction {
  const unreadable = email.attachments.flatMap((a) =>
    a.unreadable ? [{ filename: a.filename, reason: a.unreadable }] : [],
  );
  return {
    is_lifecycle_notice: result.is_lifecycle_notice,
    notices: result.notices.map((n) => ExtractedNotice.parse(n)),
    llm: usage,
    sources: result.notices.map((n) => ({ confidence: n.confidence, source: n.source })),
    message: { id: email.messageId, from: email.from, subject: email.subject, flags: email.flags ?? [] },
    unreadable_attachments: unreadable,
    warnings: unreadable.map((a) => `attachment ${a.filename ?? "(unnamed)"} is unreadable: ${a.reason}`),
  };
}

class PayloadBroken extends Error {
  override readonly name = "PayloadBroken";
}

function emailFromForward(item: InboxItem): NormalizedEmail {
  let json: unknown;
  try {
    json = JSON.parse(item.raw.toString("utf8"));
  } catch {
    throw new PayloadBroken("email forward payload is not JSON");
  }
  const r = EmailForwardSchema.safeParse(json);
  if (!r.success) throw new PayloadBroken("email forward payload breaks its schema");
  const f = r.data;
  const isHtml = /<(html|table|body|div|p|br)\b/i.test(f.body_content);
  return {
    provider: "json",
    messageId: f.message_id,
    from: `notices@${f.sender_domain.toLowerCase()}`,
    to: [],
    subject: f.subject_line,
    date: null,
    text: isHtml ? null : f.body_content,
    html: isHtml ? f.body_content : null,
    attachments: [],
    auth: { spf: null, dkim: null, dmarc: null, spamScore: null },
  };
}

function storedEmail(deps: WiredPhaseDeps, item: InboxItem): Promise<NormalizedEmail> {
  if (!item.provider) throw new PayloadBroken(`route ${item.route} stored no provider`);
  return normalizeStoredEmail(item.provider, item.contentType, item.raw, deps.config);
}

/**
 * The text the model reads and its guard checks against: the text body, else the HTML with cells
 * and rows kept apart (flattening cells together would glue part numbers to their neighbours).
 */
function readableText(email: NormalizedEmail): string {
  if (email.text?.trim()) return email.text;
  return (email.html ?? "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(td|th)>/gi, " | ")
    .replace(/<(br|\/tr|\/p|\/div|\/li|\/h\d)\b[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/[ \t]+/g, " ");
}

/** One outbox row per destination for each case this notice created or materially changed. */
async function notifyCases(deps: WiredPhaseDeps, ctx: PhaseContext): Promise<PhaseResult> {
  const outcomes = (ctx.outputs.assess as { outcomes?: CaseOutcome[] } | undefined)?.outcomes ?? [];
  const events = outcomes.filter(
    (o): o is CaseOutcome & { case_id: string; impact: NonNullable<CaseOutcome["impact"]> } =>
      (o.kind === "created" || o.kind === "updated") && o.case_id !== null && o.impact !== null,
  );
  if (events.length === 0) return { kind: "ok", output: { cases: 0, enqueued: 0 } };
  const assemblies = await assemblyInfo(
    ctx.db,
    events.flatMap((e) => e.impact.affected.map(([id]) => id)),
  );
  const cases: NotificationCase[] = [];
  for (const e of events) {
    const lastShip = await lastShipDate(ctx.db, e.case_id);
    const brief = await writeBrief(
      deps.llm,
      briefFactsFromImpact({
        caseId: e.case_id,
        impact: e.impact,
        lastShipDate: lastShip,
        productNames: new Map([...assemblies].map(([id, a]) => [id, a.name])),
      }),
    );
    cases.push(notificationCase(deps.config, e, lastShip, assemblies, brief.text, ctx.now));
  }
  return {
    kind: "ok",
    output: { cases: cases.length, case_ids: cases.map((c) => c.case_id) },
    commit: async (tx: Sql) => {
      for (const c of cases) await enqueueNotifications(tx, c, deps.routing, ctx.now);
    },
  };
}

function notificationCase(
  config: Config,
  e: CaseOutcome & { case_id: string; impact: NonNullable<CaseOutcome["impact"]> },
  lastShip: string | null,
  assemblies: Map<string, { name: string; notify_channel: string | null }>,
  brief: string,
  now: Date,
): NotificationCase {
  const r = e.impact;
  const recommendation = r.recommendation;
  return {
    case_id: e.case_id,
    version: e.report_version ?? 1,
    event: e.kind === "created" ? "created" : "updated",
    changes: e.changes.map((c) => ({ field: c.field, from: c.from, to: c.to })),
    manufacturer: r.part?.manufacturer ?? null,
    mpn: r.part?.mpn ?? e.part?.mpn ?? "?",
    status: r.status,
    ltb_date: r.ltb_date,
    last_ship_date: lastShip,
    days_to_ltb: daysUntil(r.ltb_date, now),
    days_to_last_ship: daysUntil(lastShip, now),
    revenue_at_risk: r.revenue_at_risk,
    recommendation,
    recommendation_cost: recommendation === "none" ? null : r.pnl_impact,
    options: OPTION_KINDS.flatMap((kind) => {
      const cost = r.options[kind];
      return cost === null || kind === recommendation ? [] : [{ kind, cost }];
    }),
    ltb_cash_outlay: r.last_time_buy_outlay,
    affected: r.affected.map(([id, qty]) => ({
      assembly_id: id,
      name: assemblies.get(id)?.name ?? id,
      qty_per_unit: qty,
      notify_channel: assemblies.get(id)?.notify_channel ?? null,
    })),
    case_url: caseUrl(config.PUBLIC_BASE_URL, e.case_id),
    brief,
    assumptions: ASSUMPTIONS_NOTE,
  };
}

async function assemblyInfo(db: Sql, ids: string[]) {
  const out = new Map<string, { name: string; notify_channel: string | null }>();
  if (ids.length === 0) return out;
  const r = await db.query<{ assembly_id: string; name: string; notify_channel: string | null }>(
    "select assembly_id, name, notify_channel from assemblies where assembly_id = any($1::text[])",
    [[...new Set(ids)]],
  );
  for (const a of r.rows) out.set(a.assembly_id, { name: a.name, notify_channel: a.notify_channel });
  return out;
}

async function lastShipDate(db: Sql, caseId: string): Promise<string | null> {
  const r = await db.query<{ last_ship_date: string | Date | null }>(
    "select last_ship_date from cases where id = $1::uuid",
    [caseId],
  );
  const v = r.rows[0]?.last_ship_date ?? null;
  return v instanceof Date ? v.toISOString().slice(0, 10) : v;
}
