/**
 * Message-level facts stated as "label: value" (or "label ...... value", or a label and value two
 * spaces apart): the notice ID, the last-time-buy and last-ship dates, the maker. Each fact keeps
 * its position so that a part takes the facts of its own notice when one message holds several.
 * Dates stated only in sentences ("the last-time-buy window closed on 30-Jun-2025") are facts of
 * lower rank, used when no label states them.
 */
import { findDates, isUnsetDate, type VagueDate, vagueDate } from "./dates.ts";

export type FactKind = "pcn" | "ltb" | "lts" | "maker";

export interface Fact {
  kind: FactKind;
  /** The ID, the ISO date or the maker as written; null when the value is a vague period or TBD. */
  value: string | null;
  vague: VagueDate | null;
  /** Position of the block in the Doc. */
  pos: number;
  rank: "label" | "prose";
}

/**
 * "label: value" in any script; a full-width colon (Japanese "最終受注日：…") counts, and so does a
 * numbered or bulleted label ("２．最終受注日　　2027年3月31日", "■ 최종 주문일: 2027년 4월 30일").
 */
const KV =
  /^\s*(?:[-*•■□◆◇●○▶►※・]\s*|\d{1,2}[.)．]\s*|[(（]\d{1,2}[)）]\s*)?(\p{L}[^:：]{0,60}?)\s*(?:[:：]|\.{3,}|\s{2,}|\t)\s*(\S.*)$/u;

const PCN_WORD =
  /\b(?:pcn|pdn|pd|dn|eol|cin|notice|notification|bulletin|announcement|abkündigung\w*|mitteilung|avis(?: de fin de vie)?|avviso|comunicazione|riferimento|aviso|comunicado|referencia|refer[êe]ncia|referenz|kennisgeving|meddelande|bildirim)\b|\bozn[áa]men(?:[íi]|i)(?![a-zà-ž])|(?:通知|文書|案内|文件|公告)?(?:番号|编号|編號)|통지\s*번호|문서\s*번호/i;
const ID_WORD =
  /(?:\bno\b\.?|\bnr\b\.?|\bnumber\b|#|\bid\b|\bref\b\.?|\breference\b|\briferimento\b|\breferencia\b|\brefer[êe]ncia\b|\breferenz\b|\bn[úu]mero\b|\bnumero\b|\bnummer\b|[čc][íi]slo|n°|nº|番号|编号|編號|번호)/i;
const NOT_PCN_LABEL =
  /\b(?:date|type|status|subject|title|category|customer|account|acct|order|quotation|quote|report|ccb|invoice|tracking|phone|tel|fax|cancels|supersedes|replaces|original)\b/i;
/** Last-time-buy labels in English, German, French, Italian, Spanish, Portuguese, Dutch, Japanese, Chinese and Korean. */
export const LTB_LABEL =
  /\b(?:last[- ]?time[- ]?(?:buy|order)|ltb|last[- ]?(?:order|buy)(?:ing)?|final (?:order|buy)|last order acceptance|order (?:deadline|cut-?off)|last date (?:to order|(?:of|for) (?:order\w*|purchase))|letzte[rsn]? (?:bestell\w*|kaufgelegenheit|auftrags\w*)|letzter (?:bestell|auftrags)\w*|bestellannahme\w*|date limite de commande|fecha l[íi]mite de (?:pedido|compra)s?|data limite (?:per l'|di )?ordin\w*|derni[èe]re(?:s)? (?:date de )?commandes?|ultim[oa] (?:ordine|acquisto|ordinazione)|laatste (?:bestel\w*|order\w*)|ostatni\w* zam[óo]wie\w*|sista best[äa]llning\w*|posledn[íi] objedn[áa]v\w*)\b|\bson sipari[şs](?![a-zçğıöşü])|(?<![a-zà-ÿ])[úu]ltim[oa] (?:pedido|compra|orden|encomenda)\b|最終(?:受注|注文|発注|購入)|最后(?:购买|下单|订货|订购|接单)|最後(?:訂購|下單|採購|訂貨)|최종\s*(?:주문|발주|구매)/i;
/** Last-ship labels in the same languages. */
export const LTS_LABEL =
  /\b(?:last[- ]?time[- ]?(?:ship\w*|deliver\w*)|lts|ltd|last[- ]?(?:ship\w*|deliver\w*)|last date (?:of|for) (?:ship|deliver)\w*|final (?:ship\w*|deliver\w*)|letzte[rn]? (?:aus)?liefer\w*|letzter liefertermin|derni[èe]re(?:s)? (?:date de )?livraisons?|date de derni[èe]re livraison|fecha l[íi]mite de (?:entrega|env[íi]o)s?|data limite (?:di |per la )?consegn\w*|ultim[oa] (?:consegna|spedizione)|laatste (?:lever\w*|verzend\w*)|ostatni\w* (?:dostaw\w*|wysy[łl]k\w*)|sista leverans\w*|son sevkiyat\w*|posledn[íi] (?:expedice|dod[áa]v\w*))\b|(?<![a-zà-ÿ])[úu]ltim[oa] (?:env[íi]o|entrega|despacho|remessa)\b|最終(?:出荷|納品|納入)|最后(?:出货|发货|交货|供货)|最後(?:出貨|交貨|供貨)|최종\s*(?:출하|납품|선적)/i;
/** A label with words between "last" and its noun ("Last Product Discontinuance Order Date"). */
const LOOSE_LTB =
  /\b(?:last|final)\b(?:\s+[\w-]+){1,4}?\s+(?:order(?:s|ing)?|buy|purchase)\b(?!\s+(?:no|nr|number|#))/i;
const LOOSE_LTS = /\b(?:last|final)\b(?:\s+[\w-]+){1,4}?\s+(?:ship(?:ment|ping)?|deliver(?:y|ies)?)\b/i;
const SUPERSEDED_LABEL = /\b(?:original|old|previous|superseded|former|initial|rev\.?\s*0)\b/i;
const SUPERSEDED_BEFORE = /\b(?:was|previously|originally|formerly|old|superseded|instead of|from)\s*:?\s*$/i;
const MAKER_LABEL =
  /^(?:manufacturer|mfr|mfg|maker|vendor|brand|supplier|hersteller|fabricant|メーカー)\.?(?: name)?$/i;

/** A label that is a notice word and its ID ("Notice ZE-OB-26-07", "PDN 26_0112"). */
const NAMED_ID =
  /^(?:pcn|pdn|eol|notice|notification|bulletin)\s*(?:no\.?|nr\.?|#)?\s*([A-Z0-9][A-Z0-9_/.-]*\d[A-Z0-9_/.-]*)$/i;

/** Splits a "label: value" line; null when the line is not one. */
export function splitLabel(line: string): { label: string; value: string } | null {
  const m = KV.exec(line);
  if (!m) return null;
  const label = m[1]!.trim();
  // Sentences are not labels: a label is a few words without a full stop inside.
  if (label.split(/\s+/).length > 7 || /[.!?]\s/.test(label)) return null;
  return { label, value: m[2]!.trim() };
}

const ID_TOKEN = /^[A-Z0-9][A-Z0-9_/.#-]*/i;
const LEADING_WORD =
  /^(?:(?:pcn|pdn|eol|dn|cin|pd|notice|notification|ref\.?|no\.?|nr\.?|number)\s*(?:#\s*|:\s*|\s+(?=[A-Z0-9#])))+/i;

/**
 * A notice ID as labels.json writes it: a separate leading word goes ("PDN 26_0021" → "26_0021",
 * "PDN #26118" → "26118"), an attached one stays ("PDN-2026-0419"), a revision goes ("Rev.1").
 */
export function cleanNoticeId(raw: string): string | null {
  let v = raw.trim().replace(/^#\s*/, "");
  const stripped = v.replace(LEADING_WORD, "").replace(/^#\s*/, "");
  if (stripped && /\d/.test(stripped)) v = stripped;
  const m = ID_TOKEN.exec(v);
  if (!m) return null;
  const id = m[0]
    .replace(/[.#/-]+$/, "")
    .replace(/[-_ ]?rev(?:ision)?\.?\s*[0-9A-Z]{1,2}$/i, "")
    .replace(/[.#/-]+$/, "");
  if (id.length < 3 || !/\d/.test(id) || findDates(id).length > 0) return null;
  return id;
}

function isPcnLabel(label: string): boolean {
  if (NOT_PCN_LABEL.test(label) || !PCN_WORD.test(label)) return false;
  return ID_WORD.test(label) || /(?:notice|notification|pcn|pdn|mitteilung)\s*$/i.test(label);
}

/** The date a value states, skipping superseded ones ("2027-03-31 (was 2026-12-18)"). */
export function dateOfValue(value: string): { iso: string | null; vague: VagueDate | null } {
  const dates = findDates(value).filter((d) => !SUPERSEDED_BEFORE.test(value.slice(0, d.index)));
  const last = dates[dates.length - 1];
  if (last) return { iso: last.iso, vague: null };
  return { iso: null, vague: vagueDate(value) };
}

/** Facts a "label: value" pair states. */
export function factsOfLabel(label: string, valueAsWritten: string, pos: number): Fact[] {
  let value = valueAsWritten;
  const out: Fact[] = [];
  if (isPcnLabel(label)) {
    const id = cleanNoticeId(value);
    if (id) out.push({ kind: "pcn", value: id, vague: null, pos, rank: "label" });
    return out;
  }
  // "Notice ZE-OB-26-07: production has ended", "PDN 26_0112: last time buy …": the label is the ID.
  const named = NAMED_ID.exec(label);
  if (named) {
    const id = cleanNoticeId(named[1]!);
    if (id) out.push({ kind: "pcn", value: id, vague: null, pos, rank: "label" });
  }
  if (SUPERSEDED_LABEL.test(label)) return out;
  const isLts = LTS_LABEL.test(label) || LOOSE_LTS.test(label);
  const isLtb = !isLts && (LTB_LABEL.test(label) || LOOSE_LTB.test(label));
  if (isLtb || isLts) {
    // "Last order date: 18 December 2026. Last shipment date: 18 June 2027.": the value ends where
    // the next label begins, and that label's date is read on its own.
    const next = (isLtb ? LTS_LABEL : LTB_LABEL).exec(value);
    if (next && next.index > 0) {
      const rest = splitLabel(value.slice(next.index));
      if (rest) out.push(...factsOfLabel(rest.label, rest.value, pos));
      value = value.slice(0, next.index);
    }
    const d = dateOfValue(value);
    if (d.iso || d.vague)
      out.push({ kind: isLtb ? "ltb" : "lts", value: d.iso, vague: d.vague, pos, rank: "label" });
  } else if (MAKER_LABEL.test(label.trim())) {
    out.push({ kind: "maker", value: value.trim(), vague: null, pos, rank: "label" });
  }
  return out;
}

const PROSE_LTB =
  /\borders?\b(?:\s+[\w()-]+){0,6}?\s+(?:will\s+be\s+|are\s+|can\s+be\s+|shall\s+be\s+)?accepted\s+(?:until|through|till|up\s+to)\b|\b(?:last[- ]time[- ]buys?|ltb|last[- ]orders?|final orders?|last buys?|ultim[oi] (?:acquist[oi]|ordin[ei])|derni[èe]res? commandes?|letzte[nr]? bestellung(?:en)?|ostatnie zam[óo]wienia|objedn[áa]vky\b[^.]{0,40}?p[řr]ij[íi]m[áa]me do)\b|(?<![a-zà-ÿ])[úu]ltim[oa]s? (?:compras?|pedidos?)\b|最終受注|最后(?:下单|订货|购买)|최종\s*주문/gi;
const PROSE_LTS =
  /\b(?:for\s+)?deliver(?:y|ies)\s+(?:no\s+later\s+than|until|by)\b|\b(?:last[- ]time[- ]ship\w*|lts|last[- ]ship\w*|final ship\w*|last[- ]deliver\w*|final deliver\w*|last time deliver\w*|ultim[ea] (?:consegn[ae]|spedizion[ei])|derni[èe]res? livraisons?|letzte[nr]? lieferung(?:en)?|ostatnie dostawy|posledn[íi] expedice)\b|(?<![a-zà-ÿ])[úu]ltim[oa]s? (?:entregas?|env[íi]os?)\b|最終出荷|最后(?:出货|发货)|최종\s*출하/gi;

/**
 * "… accept last orders until 31 December 2026 and ship them until 30 June 2027": in a sentence
 * about the last orders, shipping until a date states the last-ship date.
 */
const SHIP_UNTIL = /\b(?:ship|deliver)\w*\s+(?:[\w-]+\s+){0,3}?(?:until|through|till|by|before)\b/gi;

const PROSE_KEY = new RegExp(`${PROSE_LTB.source}|${PROSE_LTS.source}`, "i");

/** What may stand between a keyword and its date ("last order date 15 December", "LTB: 12/18/2026", "last shipment date is"). */
const KEY_TO_DATE =
  /^[\w-]*\s*(?:date|day|window|period)?\s*(?:is|was|will be|of|on|closes|ends|expires|closing|ending)?\s*(?:on|by)?\s*[:=]?\s*$/i;

/** Where one clause of a sentence ends and the next begins ("… until 30 June 2027 and final shipments …"). */
const CLAUSE_BREAK = /;\s|,\s(?!\d)|\s(?:and|while|whereas|but|with)\s/gi;

/**
 * Dates in a sentence tied to a last-time-buy or last-ship keyword: a keyword right after the date
 * ("the 30-Jun-2027 last ship date") names it, else the first keyword of the date's own clause
 * ("LTB orders are accepted until 30 June 2027 and final shipments end on 31 December 2027"), else
 * the sentence's first keyword ("Final shipments against last-time-buy orders were completed by
 * 31-Dec-2025" is a ship date).
 */
export function proseDateFacts(sentence: string, pos: number): Fact[] {
  if (!PROSE_KEY.test(sentence)) return [];
  const dates = findDates(sentence);
  const keys = [
    ...[...sentence.matchAll(PROSE_LTB)].map((m) => ({
      kind: "ltb" as const,
      index: m.index,
      end: m.index + m[0].length,
    })),
    ...[...sentence.matchAll(PROSE_LTS), ...sentence.matchAll(SHIP_UNTIL)].map((m) => ({
      kind: "lts" as const,
      index: m.index,
      end: m.index + m[0].length,
    })),
  ].sort((a, b) => a.index - b.index);
  if (keys.length === 0) return [];
  if (dates.length === 0) return windowFacts(sentence, keys, pos);
  const breaks = [...sentence.matchAll(CLAUSE_BREAK)]
    .map((m) => m.index)
    .filter((i) => !dates.some((d) => i >= d.index && i < d.index + d.length));
  const out: Fact[] = [];
  for (const d of dates) {
    // "LTB 12/18/2026 LTS 06/18/2027": a keyword right before the date names it, before one right after.
    const before = keys
      .filter((k) => k.end <= d.index && KEY_TO_DATE.test(sentence.slice(k.end, d.index)))
      .pop();
    const after = before
      ? undefined
      : keys.find((k) => k.index >= d.index + d.length && k.index - (d.index + d.length) <= 4);
    const from = Math.max(-1, ...breaks.filter((b) => b < d.index));
    const inClause = keys.find((k) => k.index > from && k.index < d.index);
    const chosen = before ?? after ?? inClause ?? keys[0]!;
    out.push({ kind: chosen.kind, value: d.iso, vague: null, pos, rank: "prose" });
  }
  return out;
}

/**
 * "The last time buy (LTB) date is six months after the date of this notice": a keyword followed,
 * before the next keyword, by a relative period or a quarter states a buy window whose day is not
 * known yet; "dates have not been set yet and will be announced about three months from now" does not.
 */
function windowFacts(
  sentence: string,
  keys: readonly { kind: "ltb" | "lts"; end: number; index: number }[],
  pos: number,
): Fact[] {
  const out: Fact[] = [];
  keys.forEach((k, i) => {
    const tail = sentence.slice(k.end, keys[i + 1]?.index ?? sentence.length);
    if (vagueDate(tail) === "window" && !isUnsetDate(tail) && !out.some((f) => f.kind === k.kind))
      out.push({ kind: k.kind, value: null, vague: "window", pos, rank: "prose" });
  });
  return out;
}

const SUBJECT_ID =
  /(?:\b(?:PCN|PDN|EOL|DN|CIN|PD|Notice|Notification|Bulletin|(?:Produkt)?Abkündigung(?:smitteilung)?|Mitteilung|Avis(?: de fin de vie)?|Avviso|Comunicazione(?: di fine (?:produzione|vita))?|Aviso(?: de (?:fin|fim) de vida)?|Comunicado|Kennisgeving|Powiadomienie|Ozn[áa]men[íi]|Bildirim\w*|Ref|Reference|Riferimento|Referencia|Refer[êe]ncia|Referenz)\b|(?:通知|文書|文件|公告)?(?:番号|编号|編號)|통지\s*번호)(?:\s*(?:No\.?|Nr\.?|Number|n°|nº|n\.|#|:|\.))*\s*#?\s*([A-Z0-9][A-Z0-9_/.-]*\d[A-Z0-9_/.-]*)/i;
/** An ID with a notice word inside, the maker's prefix kept ("MW-EOL-2026-0012", "ABL-DN-2026-08"). */
const ATTACHED_ID =
  /\b((?:(?=[A-Z0-9]{0,9}[A-Z])[A-Z0-9]{1,10}[-_]){0,2}(?:PCN|PDN|EOL|DN|PD|CIN|LCN)[-_][A-Z0-9_/.-]*\d[A-Z0-9_/.-]*)/i;

const SUBJECT_IDS = new RegExp(SUBJECT_ID.source, "gi");
const ATTACHED_IDS = new RegExp(ATTACHED_ID.source, "gi");

/** The notice ID a subject line or sentence names ("TI PDN #20260113002: …", "(ref. PDN 24_0187)"). */
export function noticeIdInText(text: string): string | null {
  const m = SUBJECT_ID.exec(text) ?? ATTACHED_ID.exec(text);
  return m ? cleanNoticeId(m[1]!) : null;
}

/** Every notice ID a text names, with where it stands, in order. */
export function noticeIdsInText(text: string): { id: string; index: number }[] {
  const out: { id: string; index: number }[] = [];
  for (const re of [SUBJECT_IDS, ATTACHED_IDS])
    for (const m of text.matchAll(re)) {
      const id = cleanNoticeId(m[1]!);
      // The ID closes the match: its index is where the ID itself starts.
      if (id && !out.some((o) => o.id === id)) out.push({ id, index: m.index + m[0].length - m[1]!.length });
    }
  return out.sort((a, b) => a.index - b.index);
}

const LEADING_ID =
  /^\s*(?:(?:re|fw|fwd|aw|wg|tr)\s*:\s*)*(?:\[[^\]]*\]\s*)?([A-Z][A-Z0-9_/.-]*\d[A-Z0-9_/.-]*)\s*[-–:|]\s+(.*)$/i;
const NOTICE_SUBJECT = /\b(?:notice|notification|pcn|pdn|discontinu\w*|end[- ]of[- ]life|eol|change|nrnd)\b/i;

/** A notice ID that opens a subject on its own ("XCN26012 - Product Discontinuation Notice for …"). */
export function leadingNoticeId(subject: string): string | null {
  const m = LEADING_ID.exec(subject);
  if (!m || !NOTICE_SUBJECT.test(m[2]!)) return null;
  return cleanNoticeId(m[1]!);
}

const TITLE_ID =
  /^\s*(?:[A-Za-z][\w-]*\s+){0,4}(?:notice|notification|bulletin|pcn|pdn)\s+(?:no\.?\s*|nr\.?\s*|#\s*)?([A-Z][A-Z0-9_/.-]*\d[A-Z0-9_/.-]*)\s*(?:\([^)]*\))?\s*$/i;

const TITLE_WORD = /notice|notification|bulletin|pcn|pdn/i;

/** A title line that names the notice and its ID ("Information Notice IN-2026-031"). */
export function titleNoticeId(line: string): string | null {
  if (!TITLE_WORD.test(line)) return null;
  const m = TITLE_ID.exec(line);
  return m ? cleanNoticeId(m[1]!) : null;
}

/**
 * The fact of a kind that applies at `pos`: the nearest label fact before it, else the first label
 * fact after it, else the same among prose facts.
 */
export function factAt(facts: readonly Fact[], kind: FactKind, pos: number): Fact | null {
  for (const rank of ["label", "prose"] as const) {
    const of = facts.filter((f) => f.kind === kind && f.rank === rank);
    if (of.length === 0) continue;
    const before = of.filter((f) => f.pos <= pos);
    return before[before.length - 1] ?? of[0]!;
  }
  return null;
}
