import type { EmailAuthVerdicts } from "../mail/normalized-email.ts";

/** A provider's verdict word ("Pass", "PASS", "softfail (…)") as the lower-case result keyword. */
export function verdict(value: string | null | undefined): string | null {
  const m = value ? /^\s*([A-Za-z_]+)/.exec(value) : null;
  return m ? m[1]!.toLowerCase() : null;
}

export function score(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}

/** Drops absent verdicts so that parseMime falls back to the message's own Authentication-Results. */
export function known(v: Partial<EmailAuthVerdicts>): Partial<EmailAuthVerdicts> {
  const out: Partial<EmailAuthVerdicts> = {};
  if (v.spf) out.spf = v.spf;
  if (v.dkim) out.dkim = v.dkim;
  if (v.dmarc) out.dmarc = v.dmarc;
  if (v.spamScore !== null && v.spamScore !== undefined) out.spamScore = v.spamScore;
  return out;
}
