/**
 * What kind of notice the words say: a discontinuance, an obsolescence, NRND, a product change, a
 * cancelled EOL or a reactivation. Words count only when asserted: "NRND does not mean the parts
 * are discontinued", "No last time buy is needed", "any future discontinuation will be announced"
 * and questions say nothing about the parts' status.
 */
import type { LifecycleStatus, NoticeType } from "../parts/lifecycle.ts";

export type NoticeKind = "cancellation" | "reactivation" | "obsolete" | "discontinuance" | "nrnd" | "change";

/** Strongest first: a cancellation of an EOL mentions the EOL; an obsolescence mentions the discontinuance. */
export const KIND_PRIORITY: readonly NoticeKind[] = [
  "cancellation",
  "reactivation",
  "obsolete",
  "discontinuance",
  "nrnd",
  "change",
];

export const PATTERNS: Record<NoticeKind, RegExp> = {
  cancellation:
    /\b(?:cancel(?:s|led|lation|ling)?|retract(?:s|ed|ion)?|withdraw(?:s|n|al)?|rescind(?:s|ed)?|revoke[sd]?|revocation)\b/i,
  reactivation:
    /\b(?:re-?activat\w*|reinstat\w*|return(?:s|ed|ing)? to (?:active|production|full production)|back to active|restored to (?:active|production))\b/i,
  obsolete:
    /\b(?:(?:is|are|now|became|become|been|declared|reached)\s+(?:now\s+)?obsolete|obsolete status|status\W{1,3}obsolete|can no longer be (?:ordered|purchased|accepted|supplied)|no longer (?:be )?(?:orderable|available (?:for (?:order|purchase)|to order)))\b/i,
  discontinuance:
    /\b(?:discontinu\w*|end[- ]of[- ]life|eol|last[- ]time[- ]buy|ltb|lifetime buy|pdn|phas(?:e|ed|ing)[- ]?out|obsolescence notice|product withdrawal|cease (?:production|manufacturing)|will no longer be (?:manufactured|produced|available|supplied)|abkündig\w*|abgekündigt\w*|kündigt\s.{0,60}\sab|auslauf(?:artikel|modell|produkt)\w*|produktionseinstellung|fin de vie|arrêt de (?:la )?(?:fabrication|production|commercialisation)|avis d'obsolescence|fine (?:della )?(?:produzione|vita)|fuori produzione|(?:ritirat[oie]|uscit[oie]) dalla produzione|cessazione della produzione|non (?:sar[àa]|saranno) più (?:prodott|fabbricat|disponibil)\w*|fin de (?:la )?(?:vida|producci[óo]n|fabricaci[óo]n)|descatalogad\w*|dejar(?:á|a|án|an) de (?:fabricarse|producirse|suministrarse)|cese de (?:la )?(?:producci[óo]n|fabricaci[óo]n)|fim de (?:vida|produ[çc][ãa]o)|descontinu\w*|deixar(?:á|a|ão|ao) de ser (?:fabricad|produzid)\w*|einde (?:van )?(?:levensduur|productie)|zako[ńn]czeni\w* produkcji|wycofan\w* z (?:oferty|produkcji)|ukon[čc]en\w* v[ýy]roby|ukon[čc][íi]\w* v[ýy]robu|utg[åa]r|utfasning\w*|upph[öo]r\w* (?:att )?tillverk\w*|sonland[ıi]r\w*|[üu]retimi durdurul\w*)\b|生産終了|製造中止|販売終了|廃止品|ディスコン|生産中止|停产|停產|停止生产|停止生產|停止供货|停止销售|停售|产品终止|단종|생산\s*(?:중단|종료)|판매\s*중단/i,
  nrnd: /\b(?:nrnd|nrfnd|not recommended for new designs?|nicht für neue (?:designs|entwicklungen) empfohlen|non recommandé pour (?:les )?nouvelles? conceptions?|non raccomandat[oi] per (?:i )?nuovi (?:progetti|design)|no recomendad[oa]s? para (?:nuevos )?dise[ñn]os?(?: nuevos)?|n[ãa]o recomendad[oa]s? para novos projetos)\b|新規設計非推奨|不推荐(?:用于)?新设计|신규\s*설계\s*비권장/i,
  change:
    /\b(?:pcn|product change|process change|product\/process change|change notification|change notice|additional (?:wafer )?(?:fab|site|source|line|test site)|(?:assembly|test|fab|wafer fab|manufacturing|production) (?:site|location|line)|site (?:change|transfer)|material change|die (?:revision|shrink)|qualification of|plating|remains? (?:active|in (?:full )?production)|continu(?:e|es|ing) (?:in|into) (?:full |normal |regular |volume )?production|continu(?:e|es|ing) to be (?:manufactured|produced|available|supplied)|transfer(?:red)? (?:of|from|to)|lifecycle status change|tillverkas vidare|weiterhin (?:gefertigt|lieferbar|produziert)|wird weiter(?:hin)? (?:gefertigt|produziert))\b/i,
};

const NEGATION =
  /\b(?:no|not|never|without|nor|neither|cannot|none of|nicht|kein\w*|pas|aucun\w*|non|nessun\w*|ning[úu]n\w*|nenhum\w*|nie)\b|n't\b|并非|不是|并不|不会|没有|無し|아닙니다|않/i;
const HYPOTHETICAL =
  /\b(?:should|if|whether|in the future|future|would|could|might|in case|unless|separate (?:notice|pcn|pdn|notification)|will be (?:announced|issued|notified)|any (?:further|future|subsequent))\b/i;
const FUTURE = /\b(?:will|after|once|following|beyond|until)\b/i;
const MARKETING =
  /\b(?:webinar|register|learn (?:how|more)|subscribe|unsubscribe|newsletter|shop now|free shipping|promotion|discount|seats|whitepaper|e-?book|clearance|\d{1,2}\s?% off|sonderpreis\w*|sonderangebot\w*|restposten|rabatt\w*|abmelden|abonniert|solange der vorrat reicht|sconto|sconti|saldi|descuentos?|liquidaci[óo]n|promo[cç]\w*|soldes)\b|[-−–]\s?\d{1,2}\s?%/i;
const NOTICE_WORDS = /\b(?:pdn|pcn|eol|discontinu\w*|end[- ]of[- ]life|notice|notification|obsolescence)\b/i;
const ORDER_WORDS = /\border/i;
/** "Product Withdrawal Notice", "some of our products will be withdrawn": products end, not a notice. */
const PRODUCT_WITHDRAWAL =
  /\b(?:products?|full|version|partial|type) withdrawal\b|\bwithdrawal of (?:the |these |our )?products?\b|\b(?:products?|parts?|devices?|items?|types?)\b[^.;]{0,40}?\b(?:will be|are|is|are being|is being|to be|have been|has been)\s+withdrawn\b/i;

/** Sentences of a run of lines: wrapped lines are joined, bullets, labels and blank lines break. */
export function sentencesOf(lines: readonly string[]): string[] {
  const units: string[] = [];
  let cur = "";
  const flush = () => {
    if (cur.trim()) units.push(cur.trim());
    cur = "";
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    const startsItem = /^(?:[-*•·]\s|\d{1,2}[.)]\s|[A-Za-z][\w ./#()-]{0,40}:\s)/.test(line);
    if (startsItem || /[.!?:]$/.test(cur)) flush();
    cur = cur ? `${cur} ${line}` : line;
  }
  flush();
  // A section number stays with its heading ("1. PRODUCT CHANGE", "B. Toshiba").
  return units
    .flatMap((u) => u.split(/(?<=[.!?])(?<!^\s*(?:\d{1,2}|[A-Z])\.)\s+(?=[A-Z("“])|;\s+/))
    .filter((s) => s.trim());
}

/** The clause that leads up to `index`: from the last comma, colon, bracket or dash. */
function clauseBefore(sentence: string, index: number): string {
  const head = sentence.slice(0, index);
  const cut = Math.max(...[",", ";", ":", "(", ")", " - ", " – "].map((c) => head.lastIndexOf(c)));
  return head.slice(cut + 1);
}

/** Any kind's words at all: one pass that rules out most sentences before the per-kind rules run. */
const ANY_KIND = new RegExp(KIND_PRIORITY.map((k) => PATTERNS[k].source).join("|"), "i");

/** The kinds a sentence asserts. */
export function kindsInSentence(sentence: string): Set<NoticeKind> {
  const out = new Set<NoticeKind>();
  if (!ANY_KIND.test(sentence) || sentence.trim().endsWith("?") || MARKETING.test(sentence)) return out;
  const hypothetical = HYPOTHETICAL.test(sentence);
  for (const kind of KIND_PRIORITY) {
    const m = PATTERNS[kind].exec(sentence);
    if (!m) continue;
    if (NEGATION.test(clauseBefore(sentence, m.index))) continue;
    if (hypothetical && kind !== "change") continue;
    if (
      kind === "cancellation" &&
      (!NOTICE_WORDS.test(sentence) || ORDER_WORDS.test(sentence) || PRODUCT_WITHDRAWAL.test(sentence))
    )
      continue;
    // "will be obsolete after …" is yet to come; "Following the EOL notice, X are now obsolete" is not.
    if (kind === "obsolete" && FUTURE.test(sentence) && !/\bnow\b/i.test(m[0])) continue;
    out.add(kind);
  }
  return out;
}

/** "not", or "no"/"none of" before the products themselves ("NO products are discontinued"). */
const DENIAL =
  /\b(?:not|never|nicht|pas)\b|n't\b|并非|不是|并不|\b(?:no|none of (?:the|these|those|our|them)|neither of (?:the|these|those)|keine)\s+(?:\w+\s+)?(?:products?|parts?|devices?|items?|components?|models?|types?|produkte?|artikel|produits?)\b/i;

/**
 * The kinds a sentence denies outright ("the devices in this notice are NOT being discontinued"): the
 * kind's words with a negation in the clause before them, in a statement (not a question or an if).
 */
export function kindsDeniedInSentence(sentence: string): Set<NoticeKind> {
  const out = new Set<NoticeKind>();
  if (!ANY_KIND.test(sentence) || sentence.trim().endsWith("?") || HYPOTHETICAL.test(sentence)) return out;
  for (const kind of ["discontinuance", "obsolete"] as const) {
    const m = PATTERNS[kind].exec(sentence);
    if (m && DENIAL.test(clauseBefore(sentence, m.index))) out.add(kind);
  }
  return out;
}

/** Every kind asserted anywhere in the sentences (each sentence's kindsInSentence), with how often. */
export function kindCounts(sentences: readonly ReadonlySet<NoticeKind>[]): Map<NoticeKind, number> {
  const counts = new Map<NoticeKind, number>();
  for (const kinds of sentences) for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** The strongest kind present. */
export function decideKind(kinds: Iterable<NoticeKind>): NoticeKind | null {
  const set = new Set(kinds);
  return KIND_PRIORITY.find((k) => set.has(k)) ?? null;
}

/**
 * The kind a short status cell or heading names ("Obsolete", "EOL", "NRND", "PCN", "Last Time Buy",
 * "Production", "Product Change"). Short texts are read without the sentence rules.
 */
export function kindOfLabel(text: string): NoticeKind | null {
  // A transition ("Active -> Obsolete", "NRND → EOL") states its new value last.
  const t = text
    .toLowerCase()
    .split(/->|→|=>|\bto\b/)
    .pop()!;
  // NXP's and WeEn's "Full withdrawal" / "Version withdrawal" name a discontinuance, not a retraction.
  if (/\b(?:full|version|partial|product|type) withdrawal\b/.test(t)) return "discontinuance";
  if (/cancel|retract|withdrawn|rescind/.test(t)) return "cancellation";
  if (/re-?activat|reinstat/.test(t)) return "reactivation";
  if (/\bnrnd\b|nrfnd|not recommended/.test(t)) return "nrnd";
  if (
    /obsolete|obsolet[oa]s?\b|obsolète|no longer (?:manufactured|available|orderable)|\bobs\b|inactive|停止供货|已停产/.test(
      t,
    )
  )
    return "obsolete";
  if (
    /\beol\b|end[- ]of[- ]life|discontinu|descontinu|last[- ]time[- ]buy|\bltb\b|lifebuy|life buy|\bpdn\b|\bdn\b|phase[- ]?out|abgekündigt|abkündig|fin de vie|fine (?:vita|produzione)|fin de vida|fim de vida|生産終了|製造中止|生産中止|停产|단종/.test(
      t,
    )
  )
    return "discontinuance";
  if (/\bpcn\b|change|\bproduction\b|\bactive\b|in production|\bprod\b/.test(t)) return "change";
  return null;
}

/** Whether the discontinuance leaves a window to buy in (a known day or a vague period). */
export interface WindowEvidence {
  hasDate: boolean;
  window: boolean;
}

/** The canonical status and notice type a kind means (DESIGN §8, labels.json). */
export function statusOf(kind: NoticeKind, w: WindowEvidence): { status: LifecycleStatus; type: NoticeType } {
  switch (kind) {
    case "cancellation":
    case "reactivation":
      return { status: "active", type: "status_update" };
    case "obsolete":
      return { status: "obsolete", type: "discontinuance" };
    case "discontinuance":
      return { status: w.hasDate || w.window ? "ltb" : "eol", type: "discontinuance" };
    case "nrnd":
      return { status: "nrnd", type: "status_update" };
    case "change":
      return { status: "active", type: "product_change" };
  }
}
