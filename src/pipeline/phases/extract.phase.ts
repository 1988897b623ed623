import { z } from "zod";
import { StoredEmailUnreadable } from "../../email/stored.ts";
import type { BomScanner } from "../../extract/bom.scan.ts";
import { extractFromEmail } from "../../extract/extract.email.ts";
import { ExtractedNotice, type ExtractionResult, ScoredNotice } from "../../extract/notice.ts";
import { normalizeComponentAlert } from "../../ingest/component-alert.normalize.ts";
import { ComponentAlertSchema } from "../../ingest/ingest.schemas.ts";
import { assistExtraction, type LlmAssist, type LlmUsage } from "../../llm/index.ts";
import type { NormalizedEmail } from "../../mail/normalized-email.ts";
import { Excerpt, excerptOf } from "../../review/review.excerpt.ts";
import type { InboxItem, Phase, PhaseContext, PhaseResult } from "../phase.ts";
import { phasesRepository } from "../phases.repository.ts";
import { REEVALUATE_ROUTE, ReevaluationRef } from "../reevaluation.ts";
import { emailFromForward, PayloadBroken, readableText, storedEmail } from "./message.read.ts";

/**
 * Extract: the notices a message states. A structured component alert maps field by field
 * (src/ingest normalisation); an email (forwarded as JSON, or a provider's stored body re-parsed)
 * goes through the rules (src/extract), then the optional model where the rules were unsure.
 */
/**
 * What the extractor said of each notice (by index) and which message it read: the persist phase
 * files the notices that need review from it (issue 19). Optional, and dropped rather than failing
 * when a recorded output lacks or garbles it (component alerts have none).
 */
const NoticeSignals = ScoredNotice.pick({
  confidence: true,
  reasons: true,
  needs_review: true,
  matched_by: true,
  evidence: true,
  source: true,
}).extend({ excerpt: Excerpt.nullable().optional() });
export type NoticeSignals = z.infer<typeof NoticeSignals>;
const MessageRef = z.object({ id: z.string().nullable(), from: z.string().nullable(), subject: z.string() });

export const ExtractOutput = z.object({
  is_lifecycle_notice: z.boolean(),
  notices: z.array(ExtractedNotice),
  sources: z.array(NoticeSignals).optional().catch(undefined),
  message: MessageRef.optional().catch(undefined),
  /** Values kept but not understood, or parts of the message that could not be read, in words. */
  warnings: z.array(z.string()).optional(),
  /** Set when this trace re-evaluates an earlier notice (src/pipeline/reevaluation.ts). */
  reevaluation: ReevaluationRef.optional(),
});
export type ExtractOutput = z.infer<typeof ExtractOutput>;

export interface ExtractPhaseDeps {
  /** The language model's help, or null when LLM_PROVIDER=none. */
  llm: LlmAssist | null;
  /**
   * The BOM scan (issue 19): the automaton of the BOM as it is now (null when the BOM is empty),
   * and the confidence below which a notice needs review. Absent: no scan, the default threshold.
   */
  extract?: { bom: () => Promise<BomScanner | null>; reviewThreshold: number };
}

export function extractPhase(deps: ExtractPhaseDeps): Phase<InboxItem, ExtractOutput> {
  return async (ctx) => {
    if (ctx.item.route === "component-alert") return extractComponentAlert(ctx.item);
    if (ctx.item.route === REEVALUATE_ROUTE) return recordedExtraction(ctx);
    let email: NormalizedEmail;
    try {
      email = ctx.item.route === "email-forward" ? emailFromForward(ctx.item) : await storedEmail(ctx.item);
    } catch (err) {
      if (err instanceof StoredEmailUnreadable || err instanceof PayloadBroken) {
        return { kind: "permanent", error: err.message };
      }
      throw err;
    }
    const now = email.date ? new Date(email.date) : ctx.item.receivedAt;
    const bom = (await deps.extract?.bom()) ?? null;
    const rules = await extractFromEmail(email, {
      now,
      bom,
      reviewThreshold: deps.extract?.reviewThreshold,
    });
    const { result, usage } = await assistExtraction(deps.llm, {
      text: readableText(email),
      subject: email.subject,
      from: email.from,
      rules,
      now,
    });
    ctx.logger.info(
      {
        trace_id: ctx.item.traceId,
        notices: result.notices.length,
        lifecycle: result.is_lifecycle_notice,
        llm: usage,
      },
      "extracted",
    );
    return {
      kind: "ok",
      output: extractOutput(result, usage, email, `${email.subject}\n${readableText(email)}`),
    };
  };
}

function extractComponentAlert(item: InboxItem): PhaseResult<ExtractOutput> {
  let json: unknown;
  try {
    json = JSON.parse(item.raw.toString("utf8"));
  } catch {
    return { kind: "permanent", error: "component alert payload is not JSON" };
  }
  const alert = ComponentAlertSchema.safeParse(json);
  if (!alert.success)
    return {
      kind: "permanent",
      error: `component alert breaks its schema: ${alert.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    };
  const { notice, warnings } = normalizeComponentAlert(alert.data);
  const output: ExtractOutput = {
    is_lifecycle_notice: true,
    notices: [notice],
    warnings,
  };
  return { kind: "ok", output };
}

/**
 * A re-evaluation reads nothing again: it takes the notices its notice's extract phase recorded
 * (the same rules' and model's answer, so a re-evaluation never differs by extraction or costs a
 * model call), and carries the reference forward for the phases that say a re-evaluation made it.
 */
async function recordedExtraction(ctx: PhaseContext<InboxItem>): Promise<PhaseResult<ExtractOutput>> {
  let ref: ReevaluationRef;
  try {
    ref = ReevaluationRef.parse(JSON.parse(ctx.item.raw.toString("utf8")));
  } catch {
    return { kind: "permanent", error: "re-evaluation payload breaks its schema" };
  }
  const rec = (await phasesRepository.forTrace(ctx.db, ref.notice_trace_id)).find(
    (p) => p.phase === "extract" && p.status === "ok",
  );
  const original = ExtractOutput.safeParse(rec?.output);
  if (!original.success)
    return {
      kind: "permanent",
      error: `notice ${ref.notice_trace_id} has no recorded extraction to re-evaluate`,
    };
  return {
    kind: "ok",
    output: {
      is_lifecycle_notice: original.data.is_lifecycle_notice,
      notices: original.data.notices,
      reevaluation: ref,
    },
  };
}

/**
 * The extract phase's record: the notices (read by later phases) plus whether and how the model took
 * part and where each notice was found (people checking a result need both).
 */
type RecordedExtraction = ExtractOutput & {
  llm: LlmUsage;
  sources: NoticeSignals[];
  message: { id: string | null; from: string | null; subject: string; flags: string[] };
  /** Attachments the provider delivered damaged, with the reason (the rest of the message was read). */
  unreadable_attachments: { filename: string | null; reason: string }[];
  warnings: string[];
};

function extractOutput(
  result: ExtractionResult,
  usage: LlmUsage,
  email: NormalizedEmail,
  text: string,
): RecordedExtraction {
  const unreadable = email.attachments.flatMap((a) =>
    a.unreadable ? [{ filename: a.filename, reason: a.unreadable }] : [],
  );
  return {
    is_lifecycle_notice: result.is_lifecycle_notice,
    notices: result.notices.map((n) => ExtractedNotice.parse(n)),
    llm: usage,
    sources: result.notices.map((n) => ({
      confidence: n.confidence,
      reasons: n.reasons,
      needs_review: n.needs_review,
      matched_by: n.matched_by,
      evidence: n.evidence,
      source: n.source,
      // A reviewer sees where the message names the part (the BOM scan's evidence already shows it).
      ...(n.needs_review && !n.evidence ? { excerpt: excerptOf(text, n.mpn) } : {}),
    })),
    message: { id: email.messageId, from: email.from, subject: email.subject, flags: email.flags ?? [] },
    unreadable_attachments: unreadable,
    warnings: unreadable.map((a) => `attachment ${a.filename ?? "(unnamed)"} is unreadable: ${a.reason}`),
  };
}
