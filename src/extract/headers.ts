/**
 * Table header recognition by meaning. Column order is free and wording varies by maker
 * ("Orderable Device", "Affected CPN", "Murata P/N", "Sales name", "Mfr. No."), so each header is
 * read for what it holds. Columns that hold look-alikes of part numbers (distributor numbers,
 * customer numbers, 12NC, SP numbers, NXP type numbers) are recognised first and set aside.
 */
import { DISTRIBUTOR_LABELS } from "../parts/manufacturers.table.ts";
import { LTB_LABEL, LTS_LABEL } from "./facts.ts";

export type ColumnRole =
  | "mpn"
  | "replacement"
  | "ltb"
  | "lts"
  | "dates"
  | "status"
  | "maker"
  | "notice"
  | "ignore";

export interface HeaderRole {
  role: ColumnRole;
  /** For `mpn`: 2 for an unmistakable part-number header, 1 for a generic one ("Product", "Item"). */
  strength: number;
}

const IGNORE =
  /\b(?:not (?:covered|affected|included|part of)|unaffected|excluded|beschreibung|bezeichnung|désignation|designation|libellé|12\s*-?nc|sp\s*(?:number|no|#)|sales product|customer|cust|your (?:part|p\/?n)|internal|distributor|dist|mouser|digi-?key|arrow|avnet|farnell|newark|element14|tti|future|supplier(?:'s)? (?:part|p\/?n|no)|type number|generic|package|pkg|packing|description|desc|qty|quantity|spq|moq|pins?|size|voltage|capacitance|tolerance|price|cost|date code|lot|marking|notes?|comments?|remarks?|family|series|category|reason|effective|since|issued?|publication)\b/;
const REPLACEMENT =
  /\b(?:replac\w*|repl|successor|for new designs?(?: use)?|alternat\w*|migrat\w*|recommend\w*|substitut\w*|suggest\w*|cross[- ]?ref\w*|upgrade|instead|new (?:part|device|p\/?n|pn|opn|mpn|item)|nachfolge\w*|ersatz\w*|remplacement|remplaçant|successeur|sostitut\w*|sustitut\w*|reemplaz\w*|sucesor\w*|opvolger|vervang\w*|zamiennik\w*|n[áa]hrad\w*|ers[äa]tt\w*|muadil\w*)\b|代替|後継|推奨品|替代|替换|대체|후속/;
const LTB =
  /\b(?:ltb|last[- ]?time[- ]?(?:buy|order)|last[- ]?(?:order|buy)|last date (?:of|for) (?:order\w*|purchase)|final (?:order|buy)|order (?:deadline|cut-?off)|letzte[rsn]? bestell\w*|bestellannahme|date limite de commande|derni[èe]re commande)\b|最終(?:受注|注文|発注)/;
const LTS =
  /\b(?:lts|ltd|last[- ]?time[- ]?(?:ship|deliver\w*)|last[- ]?(?:ship|deliver)\w*|last date (?:of|for) (?:ship|deliver)\w*|final (?:ship|deliver)\w*|letzte[rn]? (?:aus)?liefer\w*|derni[èe]res? livraisons?)\b|最終(?:出荷|納品)/;
const STATUS =
  /\b(?:status|lifecycle|life cycle|notice type|notification type|change type|type of (?:change|notice)|action|statut|stato|estado)\b|^(?:type|event|event type|type of event|change|status change|lifecycle change|transition|new status)$|ステータス|状態|状态|상태/;
const MPN_STRONG =
  /\b(?:part\s*(?:number|no|#)|p\/?n|mpn|opn|cpn|orderable\w*|ordering code|order code|sales name|item code|mfr\.?\s*(?:no\b|#|part)|mfg\.?\s*(?:no\b|#|part)|manufacturer(?:'s)? part|devices?|models?|catalog\w*|commercial product|article|artikel\s*-?\s*(?:nr|nummer)|art\.?\s*-?\s*nr|bestell\s*-?\s*(?:nr|nummer)|best\.?\s*-?\s*nr|teilenummer|typenbezeichnung|hersteller\s*-?\s*(?:typ\w*|teil\w*|artikel\w*|nummer|nr|bezeichnung)|manufacturer type|référence|réf|referencia|refer[êe]ncia|codice(?: (?:articolo|prodotto))?|c[óo]digo(?: de (?:producto|produto|art[íi]culo|pedido))?|n[úu]mero de (?:parte|pieza|pe[çc]a)|artikelnummer|onderdeelnummer|bestelnummer|typenummer|kod produktu|numer (?:katalogowy|produktu|części)|produktnummer|artikelnummer|typov[ée] ozna[čc]en[íi])\b|(?<![a-zà-ÿ])[üu]r[üu]n kodu|料號|品號|型號|품명|品番|発注コード|注文コード|型番|形名|型式|機種|型号|料号|物料(?:编码|编号|号)|产品编号|품번|부품\s*번호|형번|모델명/;
const QUANTITY = /\b(?:qty|quantity|quantities|pcs|amount|menge|cantidad|quantit[ée]|quantità|数量|수량)\b/;

/** A column of labelled dates ("Key dates": "LTB 31-Aug-2027 LTS 29-Feb-2028"). */
const DATES = /^(?:key |important |lifecycle )?(?:dates|milestones|timeline)$|^termine$|^dates clés$/;
const NOTICE = /\b(?:notice|pcn|pdn|notification|bulletin|document)\b|^ref(?:erence)?\b/;
const MAKER = /^(?:mfr|mfg|manufacturer|maker|vendor|brand|supplier)\.?(?:\s*name)?$/;
const MPN_WEAK =
  /\b(?:products?|items?|parts?|types?|components?|pn|materials?|sku|discontinued|obsolete|affected|produit|produkt|artikel|typ|articolo|prodotto|producto|produto|art[íi]culo|modell[oi]?|modelo)\b|製品名|型名|品名|対象製品|产品|製品|제품|모델/;
/** "F-Series (affected)": a header that says its cells are the affected parts, whatever else it names. */
const AFFECTED = /\((?:affected|discontinued|eol|obsolete)\)|^affected\b/;

/** A header or label that names a distributor ("Rutronik article no.", "Mouser No.") holds its stock numbers. */
const DISTRIBUTOR = new RegExp(
  `\\b(?:${DISTRIBUTOR_LABELS.map((d) => d.replace(/[-]/g, "[- ]?")).join("|")})\\b`,
);

/** Lower case, single spaces, no surrounding punctuation. */
export function normalizeHeader(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s:#*.-]+|[\s:*.-]+$/g, "")
    .trim();
}

/** The role of one header cell; `ignore` when it names nothing the extractor uses. */
export function roleOfHeader(raw: string): HeaderRole {
  const h = normalizeHeader(raw);
  if (!h || h === "#" || /^(?:no|nr|pos|line|item #|s\/?n)$/.test(h)) return { role: "ignore", strength: 0 };
  if (REPLACEMENT.test(h)) return { role: "replacement", strength: 0 };
  if (ORDERING_CODE.test(h)) return { role: "mpn", strength: 2 };
  if (AFFECTED.test(h)) return { role: "mpn", strength: 1 };
  // "LTB quantity", "LTB qty": how many to buy, not when.
  if (QUANTITY.test(h)) return { role: "ignore", strength: 0 };
  if (LTB.test(h) || (LTB_LABEL.test(h) && !LTS_LABEL.test(h))) return { role: "ltb", strength: 0 };
  if (LTS.test(h) || LTS_LABEL.test(h)) return { role: "lts", strength: 0 };
  if (DATES.test(h)) return { role: "dates", strength: 0 };
  if (IGNORE.test(h) || DISTRIBUTOR.test(h)) return { role: "ignore", strength: 0 };
  if (STATUS.test(h)) return { role: "status", strength: 0 };
  if (MPN_STRONG.test(h)) return { role: "mpn", strength: 2 };
  if (NOTICE.test(h)) return { role: "notice", strength: 0 };
  if (MAKER.test(h)) return { role: "maker", strength: 0 };
  if (MPN_WEAK.test(h)) return { role: "mpn", strength: 1 };
  return { role: "ignore", strength: 0 };
}

/**
 * "The article number is our internal material number", "the Q-number is our internal ordering code":
 * the words a message uses for a column it says is not what customers order by.
 */
const INTERNAL_COLUMN =
  /\b(?:the\s+)?([\p{L}][\p{L}\d.-]{0,15}(?:[ -](?:number|no\.?|code|nr\.?))?)\s+(?:is|are)\s+(?:only\s+)?(?:our|an?|the\s+maker's)\s+internal\b/giu;

/** The header words a text declares internal numbers (see INTERNAL_COLUMN), lower case. */
export function internalColumns(text: string): string[] {
  return [...text.matchAll(INTERNAL_COLUMN)].map((m) =>
    normalizeHeader(m[1]!).replace(/\s*(?:number|no\.?|code|nr\.?)$/, ""),
  );
}

/** Which of two part columns a message tells customers to order by: names or numbers. */
export type OrderBy = "name" | "number" | null;

const ORDER_BY_NAME =
  /\buse the (?:product|type|part) names? when ordering\b|\b(?:order|bestell\w*)\b[^.]{0,40}\b(?:product|type|typen)\s*-?(?:names?|bezeichnung)\b/i;
const ORDER_BY_NUMBER =
  /\b(?:order|bestell\w*|commande\w*)\b[^.]{0,50}?(?:order(?:ing)? numbers?|article numbers?|catalog(?:ue)? numbers?|bestellnummer\w*|artikelnummer\w*|best\.-nr|art\.-nr|num[ée]ro d'article)/i;

/** What a message says to order by ("Bitte bestellen Sie ausschließlich über die Bestellnummer"). */
export function orderBy(text: string): OrderBy {
  if (ORDER_BY_NAME.test(text)) return "name";
  return ORDER_BY_NUMBER.test(text) ? "number" : null;
}

/**
 * A header that names the full orderable designation ("Order Designation", "Ordering code"): its
 * cells are whole codes, package and options included (iC-Haus `iC-MH8 QFN16-5x5`).
 */
export const ORDERING_CODE =
  /^(?:order(?:ing)?|orderable) (?:designation|code|part number|part no\.?|number|no\.?)$|^(?:type|ordering) designation$|^bestell(?:bezeichnung|code)$/;

/** Roles of a header row, and whether it reads as a header of a parts table at all. */
export function rolesOfRow(
  cells: readonly string[],
  internal: readonly string[] = [],
): { roles: HeaderRole[]; isPartsHeader: boolean } {
  const roles = cells.map((c) => {
    const h = normalizeHeader(c);
    return internal.some((w) => w && h.startsWith(w))
      ? { role: "ignore" as const, strength: 0 }
      : roleOfHeader(c);
  });
  // A header is mostly short labels; a data row that happens to contain "device" is not one.
  const labelLike = cells.filter((c) => c.trim().length > 0 && c.trim().length <= 48).length;
  const isPartsHeader =
    roles.some((r) => r.role === "mpn") && labelLike >= Math.max(1, cells.filter((c) => c.trim()).length - 1);
  return { roles, isPartsHeader };
}
