/**
 * Messages that are not lifecycle notices by their kind, whatever words they quote: newsletters and
 * promotions, automatic replies, delivery reports. When the rules found no notice in such a message,
 * the model is not asked either: it would cost a call (and budget) to confirm the obvious, and a
 * newsletter's "webinar on end-of-life notices" is exactly what it might misread. Pure.
 */
export type NonNoticeKind = "auto_reply" | "delivery_report" | "newsletter";

const AUTO_REPLY_SUBJECT =
  /^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|automatische antwort|abwesenheit(?:snotiz)?|out of (?:the )?office|r[ée]ponse automatique|respuesta autom[áa]tica|risposta automatica|resposta autom[áa]tica|自動応答|自动回复)\b/iu;
const DELIVERY_SUBJECT =
  /^\s*(?:undeliverable|undelivered mail|delivery status notification|mail delivery (?:failed|failure|subsystem)|returned mail|non[- ]?delivery)\b/i;
const DAEMON_FROM = /^(?:mailer-daemon|postmaster)@/i;

/** Marketing cues; two distinct ones make a newsletter (one "register" in a PCN is not enough). */
const MARKETING_CUES: readonly RegExp[] = [
  /\bunsubscribe\b/i,
  /\bview (?:this|the) (?:e-?mail|message|newsletter) (?:in|on) (?:your|a) (?:web )?browser\b/i,
  /\bnewsletter\b/i,
  /\bwebinar\b/i,
  /\bnew products?\b/i,
  /\bfree shipping\b/i,
  /\bshop now\b/i,
  /\b(?:promotion|promo code|discount|% off)\b/i,
  /\b(?:whitepaper|e-?book)\b/i,
  /\bseats are limited\b|\bregister (?:now|today|here)\b/i,
];

export function nonNoticeKind(m: {
  subject: string;
  from: string | null;
  text: string;
}): NonNoticeKind | null {
  if (AUTO_REPLY_SUBJECT.test(m.subject)) return "auto_reply";
  if (DELIVERY_SUBJECT.test(m.subject) || DAEMON_FROM.test(m.from ?? "")) return "delivery_report";
  const all = `${m.subject}\n${m.text}`;
  const cues = MARKETING_CUES.filter((re) => re.test(all)).length;
  return cues >= 2 ? "newsletter" : null;
}
