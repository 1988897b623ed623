import { z } from "zod";
import { ExtractedNotice } from "../extract/notice.ts";

/**
 * What the model is asked for an extraction, and the shape its answer must have: the notices'
 * own zod schema (src/extract/notice.ts), so that the JSON schema sent to the API, the validation
 * of the answer and the pipeline's notices are one definition.
 */
export const EXTRACTION_PROMPT_VERSION = "extract-v1";
export const EXTRACTION_SCHEMA_NAME = "lifecycle_notices";

export const ModelExtraction = z.object({
  is_lifecycle_notice: z.boolean(),
  notices: z.array(ExtractedNotice),
});
export type ModelExtraction = z.infer<typeof ModelExtraction>;

/** The message text sent is capped; the guard still checks against the whole text. */
export const MAX_PROMPT_TEXT_CHARS = 24_000;

export const EXTRACTION_SYSTEM_PROMPT = `You read e-mails about electronic components and extract lifecycle notices
(end-of-life, last-time-buy, not-recommended-for-new-designs, product change, obsolescence).

Return one notice per affected orderable part number. Rules:
- mpn: the orderable part number exactly as written in the message. Never a distributor number,
  a 12NC, an internal or customer part number. Parts the message says are NOT affected are left out.
- manufacturer: the current maker's name, or null.
- lifecycle_status: ltb (discontinued, buy window open), eol (discontinued, no window or dates yet),
  obsolete (can no longer be ordered), nrnd, active (product change only), unknown.
- notice_type: discontinuance, product_change or status_update (NRND, or a cancelled EOL).
- pcn_id: the notice identifier exactly as written, without a leading word ("PDN 26_0021" -> "26_0021"), or null.
- ltb_date, last_ship_date: YYYY-MM-DD only when the message gives an exact calendar day; otherwise null.
  Resolve "next year" and dates without a year from the date the message was received.
- replacement_mpn: the replacement part exactly as written, or null.
Copy every identifier and date from the message; never guess or complete one. When unsure, use null.
If the message is not a lifecycle notice, return is_lifecycle_notice false and no notices.`;

export function extractionUserPrompt(input: {
  subject: string;
  from: string | null;
  text: string;
  receivedDay: string;
}): string {
  const text =
    input.text.length > MAX_PROMPT_TEXT_CHARS
      ? `${input.text.slice(0, MAX_PROMPT_TEXT_CHARS)}\n[message truncated]`
      : input.text;
  return [
    `Received: ${input.receivedDay}`,
    `From: ${input.from ?? "(unknown)"}`,
    `Subject: ${input.subject}`,
    "",
    text,
  ].join("\n");
}
