import { type Excerpt, excerptNaming } from "../extract/excerpt.ts";
import { inboxRepository } from "../inbox/inbox.repository.ts";
import type { Sql } from "../store/driver.ts";
import type { InboxItem } from "./phase.ts";
import { emailFromForward, readableText, storedEmail } from "./phases/message.read.ts";
import { phasesRepository } from "./phases.repository.ts";

/**
 * Where each notice of a case came from, for the person deciding it (DESIGN §12): the message's
 * subject and the stretch of its text that names the part, highlighted by offsets, with the
 * extractor's confidence and how it found the part. The excerpt is the extractor's own evidence when
 * it recorded one, else found again in the stored message; null when the message does not name the
 * part in words (the model read it, say).
 */
export interface NoticeRef {
  trace_id: string;
  notice_index: number;
  mpn: string;
}

export interface NoticeExcerpt extends NoticeRef {
  route: string;
  source: string;
  received_at: string;
  subject: string | null;
  excerpt: Excerpt | null;
  confidence: number | null;
  /** How the extractor found the part (`rules`, `bom_scan`, `llm`), when it recorded it. */
  matched_by: string | null;
  /** Where in the message: part (text, html, attachment:…), layout and line, when recorded. */
  location: { part: string; layout: string; line: number | null } | null;
}

/** At most this many messages are read for one answer (the most recent first). */
export const MAX_EXCERPT_MESSAGES = 50;

interface ExtractRecord {
  sources?: {
    confidence?: number;
    matched_by?: string;
    evidence?: Excerpt | null;
    source?: NoticeExcerpt["location"];
  }[];
}

interface MessageText {
  subject: string | null;
  text: string;
  /** Where to look when the text does not name the part: an alert's fields, an e-mail's subject. */
  fields?: string;
}

async function messageText(item: InboxItem): Promise<MessageText | null> {
  try {
    if (item.route === "component-alert") {
      const alert = JSON.parse(item.raw.toString("utf8")) as Record<string, unknown>;
      const field = (k: string) => (typeof alert[k] === "string" ? `${k}: ${alert[k]}` : null);
      return {
        subject: `${String(alert.source_platform ?? item.source)} alert`,
        text: typeof alert.raw_context === "string" ? alert.raw_context : "",
        fields: ["manufacturer_code", "part_number", "lifecycle_status", "ltb_date", "pcn_id"]
          .map(field)
          .filter(Boolean)
          .join(" · "),
      };
    }
    const email = item.route === "email-forward" ? emailFromForward(item) : await storedEmail(item);
    return { subject: email.subject, text: readableText(email), fields: email.subject };
  } catch {
    return null;
  }
}

export async function noticeExcerpts(db: Sql, refs: readonly NoticeRef[]): Promise<NoticeExcerpt[]> {
  const traces = [...new Set(refs.map((r) => r.trace_id))].slice(-MAX_EXCERPT_MESSAGES);
  const out: NoticeExcerpt[] = [];
  for (const traceId of traces) {
    const [row, raw, phases] = await Promise.all([
      inboxRepository.get(db, traceId),
      inboxRepository.getRaw(db, traceId),
      phasesRepository.forTrace(db, traceId),
    ]);
    if (!row || !raw) continue;
    const item: InboxItem = {
      traceId,
      route: row.route,
      source: row.source,
      provider: row.provider,
      contentType: raw.content_type,
      receivedAt: new Date(row.received_at),
      raw: raw.raw_payload,
    };
    const message = await messageText(item);
    const record = (phases.find((p) => p.phase === "extract")?.output ?? {}) as ExtractRecord;
    for (const ref of refs.filter((r) => r.trace_id === traceId)) {
      const scored = record.sources?.[ref.notice_index];
      const excerpt =
        scored?.evidence ??
        (message
          ? (excerptNaming(message.text, ref.mpn, 160, textLine(scored?.source)) ??
            (message.fields ? excerptNaming(message.fields, ref.mpn) : null))
          : null);
      out.push({
        ...ref,
        route: row.route,
        source: row.source,
        received_at: new Date(row.received_at).toISOString(),
        subject: message?.subject ?? null,
        excerpt,
        confidence: scored?.confidence ?? null,
        matched_by: scored?.matched_by ?? null,
        location: scored?.source ?? null,
      });
    }
  }
  return out;
}

/** The line of the message's text the extractor found the part on (0 when it names none). */
function textLine(source: NoticeExcerpt["location"] | undefined): number {
  return source && source.part === "text" && source.line !== null ? source.line : 0;
}
