/**
 * Invitations and promotions: a trade-show booth, a webinar, an offer. They speak of end of life
 * and last-time buys to sell a service and may name part families, but announce nothing about any
 * part. Known by the subject, which is what the sender wants read first; a message that carries a
 * parts table or names a notice ID in its subject is read as a notice all the same.
 */
const INVITATION_SUBJECT =
  /\b(?:meet us|visit us|join us|see us|invitation|you(?:'re| are) invited|webinar|register (?:now|today|here)|booth|stand \d|trade ?show|exhibition|save the date|newsletter|special offer|promotion|\d+\s?% off)\b/i;

export function isInvitation(subject: string, hasPartsTable: boolean, subjectNamesNotice: boolean): boolean {
  return INVITATION_SUBJECT.test(subject) && !hasPartsTable && !subjectNamesNotice;
}
