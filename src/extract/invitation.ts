/**
 * Messages that speak like notices and announce nothing: invitations and promotions (a booth, a
 * webinar, an offer, a newsletter that says so), surveys, price letters, and advisories (counterfeit
 * warnings, document changes). Invitations speak of end of life and last-time buys to sell a service
 * and may name part families. Known mostly by the subject, which is what the sender wants read
 * first; a message that carries a parts table or names a notice ID in its subject is read as a
 * notice all the same.
 */
const INVITATION_SUBJECT =
  /\b(?:meet us|visit us|join us|see us|invitation|you(?:'re| are) invited|webinar|register (?:now|today|here)|booth|stand \d|trade ?show|exhibition|save the date|newsletter|special offer|promotion|\d+\s?% off)\b/i;

/** A newsletter says so in its own text ("You receive this newsletter because you subscribed"). */
const NEWSLETTER_TEXT =
  /\b(?:this newsletter|our newsletter|newsletter abbestellen|diese[nm]? newsletter|cette newsletter|esta newsletter|questa newsletter)\b/i;

export function isInvitation(
  subject: string,
  hasPartsTable: boolean,
  subjectNamesNotice: boolean,
  text = "",
): boolean {
  if (hasPartsTable || subjectNamesNotice) return false;
  return INVITATION_SUBJECT.test(subject) || NEWSLETTER_TEXT.test(text);
}

/** A survey or questionnaire about notices asks for an opinion; it announces nothing. */
const SURVEY_SUBJECT =
  /\b(?:survey|questionnaire|your opinion|feedback request|umfrage|enquête|encuesta|sondaggio|pesquisa)\b|アンケート|问卷|설문/i;
/** A price letter names parts and an order cut-off at the old price, not the end of the parts. */
const PRICE_SUBJECT =
  /\b(?:price (?:adjustment|increase|change|update)s?|pricing (?:update|change)|preis(?:anpassung|erhöhung|änderung)\w*|augmentation (?:de|des) (?:prix|tarifs)|hausse (?:de|des) (?:prix|tarifs)|aumento (?:de|dei) prec?(?:ios?|zzi)|adeguamento (?:dei )?(?:prezzi|listini))\b|価格改定|价格调整|涨价|가격\s*(?:인상|조정)/i;

/**
 * Surveys and price letters: known by the subject. A survey is never a notice unless it carries a
 * parts table or names a notice in its subject; a price letter is one only when its text announces
 * a discontinuance, an obsolescence or NRND of its own (`asserts`).
 */
export function isSurveyOrPriceLetter(
  subject: string,
  hasPartsTable: boolean,
  subjectNamesNotice: boolean,
  asserts: boolean,
): boolean {
  if (SURVEY_SUBJECT.test(subject)) return !hasPartsTable && !subjectNamesNotice;
  return PRICE_SUBJECT.test(subject) && !asserts && !subjectNamesNotice;
}

const COUNTERFEIT_SUBJECT =
  /\b(?:counterfeit|fake|f[äa]lschung\w*|contrefa[çc]on\w*|falsificad\w*|contraffa\w*)\b|假冒|偽造|模倣品/i;
const DOCUMENT_CHANGE_SUBJECT =
  /\b(?:document(?:ation)? change|datasheet (?:change|revision|update)|drawing (?:change|revision)|dcn)\b/i;
const NOT_A_PRODUCT_CHANGE =
  /\b(?:(?:is|this is) not a (?:product|process) change|no (?:product|process) change|documentation only|not a pcn)\b/i;

/**
 * Advisories that name parts and lifecycle words without announcing anything: a counterfeit warning
 * that says the maker has announced no end of life (`deniesEnd`), a document or drawing change that
 * says it is not a product change.
 */
export function isAdvisory(subject: string, text: string, deniesEnd: boolean): boolean {
  if (COUNTERFEIT_SUBJECT.test(subject) && deniesEnd) return true;
  return DOCUMENT_CHANGE_SUBJECT.test(subject) && NOT_A_PRODUCT_CHANGE.test(text);
}
