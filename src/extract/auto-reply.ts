/**
 * Out-of-office and automatic replies: they quote notices or name parts but announce nothing. A
 * body that merely mentions being away still counts as a notice when it carries a parts table
 * (a colleague forwarding a PDN before leaving).
 */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:auto(?:matic)?[- ]?(?:reply|response|antwort)|automatische antwort|abwesenheitsnotiz|out of (?:the )?office|ooo\b|réponse automatique|respuesta automática|risposta automatica|absence)/i;
const AUTO_REPLY_BODY =
  /\b(?:out of (?:the )?office|i am (?:currently )?(?:away|out|on leave|on vacation)|nicht im büro|limited access to (?:my )?e-?mail)\b/i;

/** `head` is the message's opening text (its first lines). */
export function isAutoReply(subject: string, head: string, hasPartsTable: boolean): boolean {
  return AUTO_REPLY_SUBJECT.test(subject) || (AUTO_REPLY_BODY.test(head) && !hasPartsTable);
}
