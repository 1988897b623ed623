/**
 * The maker a message names for itself when the alias table does not know it (DESIGN §7 still
 * rules every maker the table knows: canonicalManufacturer is asked first). Two readings, both
 * pure:
 *
 * - by the sender's domain: the words of the message that spell the domain's name ("Knowles" for
 *   knowles.com, "TRACO POWER" for tracopower.com, "Navitas Semiconductor" for navitassemi.com —
 *   the last word may be abbreviated in the domain), as the message writes them;
 * - by the text alone: the company that announces ("Exxelia vous informe…", "Foo Corp. announces…")
 *   or signs with a legal form ("Knowles Electronics, LLC", "Exxelia SAS").
 *
 * Distributors, lifecycle platforms, mail providers and reserved example domains name no maker.
 */
import { canonicalManufacturer, isDistributorDomain } from "./manufacturers.ts";

/** Lifecycle platforms and part search sites: their mail relays other makers' notices. */
const PLATFORMS = new Set([
  "siliconexpert",
  "z2data",
  "nexar",
  "octopart",
  "accuris",
  "ihsmarkit",
  "ihs",
  "sourcengine",
  "lytica",
  "supplyframe",
  "findchips",
  "netcomponents",
  "partsio",
  "sourceability",
  "luminovo",
  "partstat",
  "totalpartsplus",
  "qtec",
  // Help desks and CRMs that carry a pasted or forwarded notice: the notice is another's.
  "zendesk",
  "freshdesk",
  "servicenow",
  "salesforce",
  "hubspot",
  "atlassian",
  "zohodesk",
]);
/** Mail providers: a sender there is a person, not a company. */
const MAIL_PROVIDERS = new Set([
  "gmail",
  "googlemail",
  "outlook",
  "hotmail",
  "live",
  "msn",
  "yahoo",
  "icloud",
  "me",
  "aol",
  "gmx",
  "web",
  "t-online",
  "freenet",
  "orange",
  "free",
  "laposte",
  "qq",
  "163",
  "126",
  "sina",
  "naver",
  "yandex",
  "mail",
  "protonmail",
  "proton",
]);
/** Second-level labels under a country code ("co.jp", "com.tw"). */
const COUNTRY_SECOND_LEVEL = new Set(["com", "co", "ne", "or", "ac", "net", "org", "gov"]);

/** The label of a domain that names its owner ("pcn@mail.knowles.com" → "knowles"), or null. */
export function ownerLabel(address: string): string | null {
  const d = address
    .trim()
    .toLowerCase()
    .replace(/^.*@/, "")
    .replace(/[>.\s]+$/, "");
  const labels = d.split(".").filter(Boolean);
  if (labels.length < 2) return null;
  // RFC 2606 reserves "example" names: they belong to no one.
  if (labels.includes("example") || labels[labels.length - 1] === "test") return null;
  let i = labels.length - 2;
  if (labels[labels.length - 1]!.length === 2 && COUNTRY_SECOND_LEVEL.has(labels[i]!) && i > 0) i--;
  const label = labels[i]!;
  if (MAIL_PROVIDERS.has(label) || PLATFORMS.has(label) || isDistributorDomain(d)) return null;
  return label;
}

/**
 * True for a word that names a lifecycle platform or a distributor ("Octopart", "Bürklin", "TTI"):
 * what it signs or relays is another maker's notice. German umlauts are folded both ways, as
 * domains spell them ("Bürklin" → buerklin.com, "Würth" → wurth.com).
 */
function isRelayerName(word: string): boolean {
  const k = keyOf(word);
  const de = keyOf(
    word.toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss"),
  );
  return [k, de].some((x) => PLATFORMS.has(x) || isDistributorDomain(`${x}.com`));
}

function keyOf(word: string): string {
  return word
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}&]*/gu;
/** Words of one name stand a space or a hyphen apart. */
const JOIN = /^[ \t-]$|^ - $/;

interface Spelling {
  written: string;
  /** Where the spelling ends in the text. */
  end: number;
  full: boolean;
}

/**
 * Every run of words that spells `label`: the words' letters make the label, or a prefix of it
 * that the next word completes by abbreviation ("Navitas Semiconductor" for "navitassemi"). A run
 * that spells at least half the label (three letters or more, capitalised) counts as a partial
 * spelling ("EPC" for "epc-co", "RECOM" for "recom-power").
 */
function spellings(label: string, text: string): Spelling[] {
  const target = keyOf(label);
  if (target.length < 2) return [];
  const words = [...text.matchAll(WORD)];
  const out: Spelling[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const k = keyOf(w[0]);
    if (!k || !target.startsWith(k)) continue;
    // A name inside an address or a link is not written as a name.
    const before = text[w.index - 1] ?? "";
    if (before === "@" || before === "." || before === "/") continue;
    let spelled = k;
    let j = i;
    while (spelled.length < target.length && j + 1 < words.length) {
      const next = words[j + 1]!;
      const gap = text.slice(words[j]!.index + words[j]![0].length, next.index);
      if (!JOIN.test(gap)) break;
      const nk = keyOf(next[0]);
      const rest = target.slice(spelled.length);
      if (nk && rest.startsWith(nk)) {
        spelled += nk;
        j++;
        continue;
      }
      if (rest.length >= 2 && nk.startsWith(rest)) {
        spelled = target;
        j++;
      }
      break;
    }
    const end = words[j]!.index + words[j]![0].length;
    const after = text[end] ?? "";
    if (after === "@" || (after === "." && /\p{L}/u.test(text[end + 1] ?? ""))) continue;
    // A partial spelling is a capitalised name whose domain goes on with a generic word ("RECOM" of
    // recom-power, "EPC" of epc-co); "Know" is not Knowles.
    const partial =
      spelled.length >= 3 &&
      spelled.length * 2 >= target.length &&
      /^[\p{Lu}\p{N}]/u.test(w[0]) &&
      isDomainTail(target.slice(spelled.length));
    // "ABL" in "ABL-DN-2026-08" is the start of a code, not a name.
    const code = /^-[\p{L}\p{N}]/u.test(text.slice(end, end + 2));
    if (spelled === target || (partial && !code))
      out.push({ written: text.slice(w.index, end), end, full: spelled === target });
    i = j;
  }
  return out;
}

/**
 * Words that do not name a company alone: a domain such as analog.com or power.com spells a
 * common word, and the name goes on ("Analog Devices", "Power Integrations").
 */
const GENERIC_WORDS = new Set(
  (
    "analog digital power micro linear general international silicon advanced integrated applied " +
    "united national global data semi semiconductor electronic electronics systems devices technology " +
    "solutions energy signal smart logic precision standard components circuits mobile optical sensor " +
    "sensors control controls wireless"
  ).split(" "),
);
/** What a domain adds after a maker's name ("-power", "co", "semi", "inc", "-ic", "usa"). */
const DOMAIN_TAILS = [
  ...GENERIC_WORDS,
  ..."co corp inc ltd llc gmbh ag group tech ic ics usa us eu europe asia japan global online web world intl".split(
    " ",
  ),
];

function isDomainTail(rest: string): boolean {
  return rest.length >= 2 && DOMAIN_TAILS.some((t) => t === rest || (rest.length >= 3 && t.startsWith(rest)));
}

const NEXT_CAPITALISED = /^[ \t]+(\p{Lu}[\p{L}\p{N}&-]*)/u;

/**
 * The full spelling written most often; a partial one instead when it is the first word(s) of that
 * spelling and written alone at least as often ("RECOM kündigt …" beside "RECOM Power GmbH"), or
 * when nothing spells the whole domain. In mixed case when the message writes both. A generic word
 * takes the capitalised word written after it most often.
 */
function mostWritten(text: string, found: readonly Spelling[]): string | null {
  type Form = { n: number; written: string; at: Spelling[]; full: boolean };
  const counts = new Map<string, Form>();
  for (const f of found) {
    const k = keyOf(f.written);
    const c = counts.get(k);
    if (c) {
      c.n++;
      c.at.push(f);
      if (c.written === c.written.toUpperCase() && f.written !== f.written.toUpperCase())
        c.written = f.written;
    } else counts.set(k, { n: 1, written: f.written, at: [f], full: f.full });
  }
  const most = (forms: Form[]) => forms.reduce<Form | null>((b, c) => (!b || c.n > b.n ? c : b), null);
  const forms = [...counts.values()];
  const full = most(forms.filter((f) => f.full));
  const shorter = full
    ? most(
        forms.filter(
          (f) =>
            !f.full && f.n >= full.n && full.written.toLowerCase().startsWith(`${f.written.toLowerCase()} `),
        ),
      )
    : most(forms);
  const best = shorter ?? full;
  if (!best) return null;
  // Only a generic word takes its next word ("Analog Devices"): a distinctive name written with
  // another word is usually a division ("Honeywell Sensing", "Panasonic Industry", "Amphenol ICC").
  if (!GENERIC_WORDS.has(keyOf(best.written))) return best.written;
  const next = new Map<string, number>();
  for (const f of best.at) {
    const w = NEXT_CAPITALISED.exec(text.slice(f.end))?.[1];
    if (w && !NOT_A_NAME.test(w) && !NOTICE_VOCABULARY.test(w) && !LEGAL_WORD.test(w))
      next.set(w, (next.get(w) ?? 0) + 1);
  }
  let word: string | null = null;
  for (const [w, n] of next) if (word === null || n > next.get(word)!) word = w;
  return word ? `${best.written} ${word}` : null;
}

/** Legal forms as one word ("Inc", "GmbH"): the end of a name, not a part of it. */
const LEGAL_WORD =
  /^(?:inc|incorporated|corp|corporation|co|ltd|limited|llc|gmbh|ag|kg|sa|sas|spa|nv|bv|plc|kk|oy|ab|pte)$/i;

/** A maker name as the table writes it when it knows it, else as the message writes it. */
function nameOf(written: string): string {
  return canonicalManufacturer(written) ?? written.replace(/\s+/g, " ").trim();
}

/** What a company adds to its name in its domain ("sunlordinc.com", "acmecorp.com", "findernet.com"). */
const DOMAIN_SUFFIX = /(?:inc|corp|group|global|net|ltd|co|semi|tech|elec)$/;

/**
 * The maker a sender's domain stands for when the message cannot spell it: a notice written in
 * Chinese, Japanese or Korean names its maker in that script ("シャープ株式会社"), so the domain's
 * own label is the only Latin name there is ("sharp.co.jp" → "Sharp", "sunlordinc.com" → "Sunlord").
 */
export function makerOfDomainLabel(address: string): string | null {
  const label = ownerLabel(address);
  if (!label || !/^[a-z][a-z-]{2,}$/.test(label)) return null;
  const stem = label.length > 6 ? label.replace(DOMAIN_SUFFIX, "") : label;
  const words = stem.split("-").filter(Boolean);
  const name =
    canonicalManufacturer(stem) ?? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
  return name.length >= 3 ? name : null;
}

/**
 * The maker a sender address stands for, named as the message writes it; null when the domain
 * names no maker (a distributor, a platform, a mail provider) or the message never spells it.
 */
export function makerNamedByDomain(address: string, text: string): string | null {
  const label = ownerLabel(address);
  if (!label) return null;
  const written = mostWritten(text, spellings(label, text));
  return written ? nameOf(written) : null;
}

/** Words that open a sentence but are no company. */
const NOT_A_NAME =
  /^(?:we|our|the|this|these|that|dear|please|your|you|it|they|he|she|i|all|each|any|as|a|an|in|on|at|for|if|note|notice|hello|hi|sehr|bitte|nous|la|le|les|der|die|das|wir|unser\w*|customer|customers|kunde\w*|product\w*|quality|team|management|regards|sincerely|best)$/i;
const NAME = String.raw`\p{Lu}[\p{L}\p{N}&'-]*(?:[ \t]+\p{Lu}[\p{L}\p{N}&'-]*){0,2}`;
/** "Exxelia vous informe…", "Foo Power announces…", "Bar Corp. hereby notifies…". */
const ANNOUNCES = new RegExp(
  String.raw`(?:^|[.!?:]\s+|\n\s*)(${NAME})(?:,?\s+(?:Inc|Corp|Ltd|LLC|GmbH|AG|SAS|SA)\.?)?\s+(?:hereby\s+|would like to\s+|wishes to\s+)?(?:announces?|informs?|notifies|advises|is (?:announcing|discontinuing|informing)|will (?:discontinue|cease)|has decided|kündigt|informiert|teilt|gibt\s+\S+\s+bekannt|vous informe|informe|annonce)\b`,
  "gu",
);
const LEGAL_FORM = String.raw`(?:Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|GmbH(?:\s*&\s*Co\.\s*KG)?|AG|Corp\.?|Corporation|Co\.,?\s*Ltd\.?|S\.A\.S\.?|SAS|S\.A\.|S\.p\.A\.|SpA|B\.V\.|N\.V\.|K\.K\.|Oy|AB|Pte\.?\s*Ltd\.?|plc|Sp\.\s*z\s*o\.o\.)`;
/**
 * "Knowles Electronics, LLC", "Exxelia SAS", "MEAN WELL ENTERPRISES CO., LTD.": at the start of a
 * line or sentence, or after an article or preposition in running text ("die Qorvex Devices Ltd.
 * hat …", "a notice from Foo Corp.").
 */
const SIGNED = new RegExp(
  String.raw`(?:^|\n|[.!?]\s+|\b(?:the|by|from|of|die|der|des|von|la|le|les|de|du)[ \t]+)\s*(${NAME}),?\s+${LEGAL_FORM}(?=[\s,.;)]|$)`,
  "gu",
);

const SUBJECT_PREFIX = /^\s*(?:(?:re|fw|fwd|aw|wg|tr|sv)\s*:\s*)*(?:\[[^\]]*\]\s*|【[^】]*】\s*)?/i;
const CAPITALISED = /^\p{Lu}[\p{L}\p{N}&'-]*$/u;
const NOTICE_WORD =
  /^(?:(?:advance|product|lifecycle|important|final|updated?|new)\s+)*(?:PCN|PDN|EOL|EOS|LTB|NRND|end[- ]of[- ]life|discontinu\w*|obsolescence|notice|notification|product change|last[- ]time[- ]buy|abkündigung\w*|avis|announcement)\b/i;

/**
 * The name that opens a subject before the notice's own words ("Knowles EOL Notice …", "C&K PCN
 * …", "MEAN WELL EOL announcement …"), when the sender's domain starts with it or the message
 * writes it again: on its own a capitalised word before "Notice" may be anything ("Important").
 */
export function makerNamedBySubject(
  subject: string,
  address: string | null | undefined,
  text: string,
): string | null {
  const words = subject.replace(SUBJECT_PREFIX, "").split(/\s+/);
  // The name is the one, two or three capitalised words right before the notice words.
  let n = 1;
  while (n <= 3 && !NOTICE_WORD.test(words.slice(n).join(" "))) n++;
  if (n > 3 || !words.slice(0, n).every((w) => CAPITALISED.test(w))) return null;
  const name = cleanName(words.slice(0, n).join(" "));
  if (!name) return null;
  const k = keyOf(name);
  const label = address ? keyOf(ownerLabel(address) ?? "") : "";
  const agrees = k.length >= 2 && label.startsWith(k);
  const again = text.split(name).length - 1 >= 2;
  if (isRelayerName(name) || !(agrees || again)) return null;
  return nameOf(name);
}

/** Words of notices and letters, never a company's name ("Discontinuation notice …", "Product Withdrawal"). */
const NOTICE_VOCABULARY =
  /^(?:discontinu\w*|withdrawal|notice|notification|product\w*|change|process|end|life|eol|pcn|pdn|ltb|nrnd|obsolete|obsolescence|important|urgent|reminder|update[ds]?|information|info|action|required|lifecycle|last|time|buy|order|advance|final|revised|revision|rev|abkündigung\w*|mitteilung|avis|fin|vie|arrêt|re|fw|fwd|aw|wg|tr)$/i;

const GROUP_WORD = /^(?:grupo|gruppo|groupe|group|gruppe)$/i;
const DIVISION_WORD =
  /^(?:controls|automation|components|division|sales|europe|emea|asia|americas?|japan|china|deutschland|france|italia|españa|iberia)$/i;

/**
 * A maker's name as a row or card writes it, less the group or division around the brand
 * ("Isocom Components" → "Isocom", "Grupo PREMO" → "PREMO").
 */
export function brandName(name: string): string {
  const words = name
    .trim()
    .replace(new RegExp(`[,\\s]+${LEGAL_FORM}$`), "")
    .split(/\s+/);
  if (words.length > 1 && GROUP_WORD.test(words[0]!)) words.shift();
  while (words.length > 1 && DIVISION_WORD.test(words[words.length - 1]!)) words.pop();
  return words.join(" ");
}

/** The words of a name less the opening words ("Dear Knowles" is not a company); null when none is left. */
function cleanName(raw: string): string | null {
  const words = raw.trim().split(/\s+/);
  while (words.length && NOT_A_NAME.test(words[0]!)) words.shift();
  if (words.length === 0 || words.some((w) => NOTICE_VOCABULARY.test(w))) return null;
  // "Grupo PREMO", "Carlo Gavazzi Controls", "Acme Sales Europe": the group or division around a brand.
  if (words.length > 1 && GROUP_WORD.test(words[0]!)) words.shift();
  while (words.length > 1 && DIVISION_WORD.test(words[words.length - 1]!)) words.pop();
  // A distributor or platform that signs or relays names no maker.
  if (words.some(isRelayerName)) return null;
  const name = words.join(" ");
  return name.length >= 2 ? name : null;
}

/**
 * The maker a message names by announcing in its own name or signing with a legal form, or null.
 * `excluded` holds keys of names that are not the maker (the relaying distributor).
 */
export function makerNamedInText(text: string, excluded: ReadonlySet<string> = new Set()): string | null {
  for (const re of [ANNOUNCES, SIGNED]) {
    const counts = new Map<string, { n: number; name: string }>();
    for (const m of text.matchAll(re)) {
      const name = cleanName(m[1]!);
      if (!name) continue;
      const k = keyOf(name);
      if (excluded.has(k) || isRelayerName(name)) continue;
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { n: 1, name });
    }
    let best: { n: number; name: string } | null = null;
    for (const c of counts.values()) if (!best || c.n > best.n) best = c;
    if (best) return nameOf(best.name);
  }
  return null;
}

/** Words that introduce the maker whose notice a distributor or representative passes on. */
export const RELAY_CUE =
  /\b(?:our supplier|your supplier|the manufacturer|on behalf of|unser(?:em)? Lieferant(?:en)?|Ihres Lieferanten|des Herstellers|der Hersteller|notre fournisseur|le fabricant|du fabricant|il (?:nostro )?fornitore|il produttore|del produttore|(?:nuestro )?proveedor|el fabricante|del fabricante|o fabricante|do fabricante|nosso fornecedor|de fabrikant|onze leverancier)\b/i;
const RELAY_CUES = new RegExp(RELAY_CUE.source, "gi");
const NAME_AT = new RegExp(`\\s+(${NAME})`, "uy");

/** The maker a relaying message names after its relay words ("unser Lieferant Pulse Electronics hat …"). */
export function makerNamedAsRelayed(text: string): string | null {
  for (const cue of text.matchAll(RELAY_CUES)) {
    NAME_AT.lastIndex = cue.index + cue[0].length;
    const m = NAME_AT.exec(text);
    const name = m ? cleanName(trimToName(m[1]!)) : null;
    if (name) return nameOf(name);
  }
  return null;
}

/** A name ends before a verb or notice word written with a capital ("Pulse Electronics Hat" is rare; "Omron EOL" is not). */
function trimToName(raw: string): string {
  const words = raw.split(/\s+/);
  const cut = words.findIndex((w, i) => i > 0 && NOTICE_VOCABULARY.test(w));
  return (cut > 0 ? words.slice(0, cut) : words).join(" ");
}
