import { z } from "zod";
import { assessNotices } from "../cases/cases.service.ts";
import type { Config } from "../config.ts";
import { normalizeStoredEmail, StoredEmailUnreadable } from "../email/stored.ts";
import { extractFromEmail } from "../extract/extract.email.ts";
import { extractFromText } from "../extract/extract.ts";
import { impactSettingsFromConfig } from "../impact/impact.settings.ts";
import type { SqlDriver } from "../store/driver.ts";
import type { Downstreams } from "./downstream.ts";
import type { AssessOutput, ExtractOutput, PhaseDeps } from "./phases.default.ts";
import type { InboxItem, PhaseResult } from "./phases.ts";

/**
 * The phases over the modules the other areas have landed: email re-parsing and extraction
 * (src/email, src/extract) and match & assess into cases (src/cases, idempotent per trace id).
 * Notification stays the default (logged) until the notify area's case mapping is wired; the lead
 * adds it here, as `notify`.
 */
export function wiredPhaseDeps(config: Config, db: SqlDriver, downstreams: Downstreams): PhaseDeps {
  const settings = impactSettingsFromConfig(config);
  return {
    downstreams,
    extractEmail: (item, ctx) => extractEmail(item, config, ctx.now),
    async assess(extracted: ExtractOutput, ctx): Promise<PhaseResult> {
      // Writes cases, reports and links in its own transaction, keyed by trace id: a repeat after a
      // crash returns the first answer and adds nothing.
      const outcomes = await assessNotices(db, {
        traceId: ctx.item.traceId,
        receivedAt: ctx.item.receivedAt,
        notices: extracted.notices,
        settings,
      });
      const output: AssessOutput & { outcomes: unknown[] } = {
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
  };
}

const EmailForward = z.looseObject({
  sender_domain: z.string(),
  subject_line: z.string(),
  body_content: z.string(),
});

async function extractEmail(item: InboxItem, config: Config, now: Date): Promise<PhaseResult> {
  if (item.route === "email-forward") {
    let json: unknown;
    try {
      json = JSON.parse(item.raw.toString("utf8"));
    } catch {
      return { kind: "permanent", error: "email-forward payload is not JSON" };
    }
    const f = EmailForward.safeParse(json);
    if (!f.success) return { kind: "permanent", error: "email-forward payload breaks its schema" };
    const r = extractFromText(f.data.body_content, {
      now,
      subject: f.data.subject_line,
      from: f.data.sender_domain,
    });
    return { kind: "ok", output: r };
  }
  if (item.route.startsWith("email/") && item.provider) {
    try {
      const email = await normalizeStoredEmail(item.provider, item.contentType, item.raw, config);
      return { kind: "ok", output: await extractFromEmail(email, { now }) };
    } catch (err) {
      if (err instanceof StoredEmailUnreadable) return { kind: "permanent", error: err.message };
      throw err;
    }
  }
  return { kind: "permanent", error: `no extractor for route ${item.route}` };
}
