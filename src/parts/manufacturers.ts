import { DISTRIBUTOR_LABELS, MANUFACTURERS, type ManufacturerEntry } from "./manufacturers.table.ts";

export { DISTRIBUTOR_LABELS, MANUFACTURERS, type ManufacturerEntry };

/**
 * Manufacturer resolution (DESIGN §7): a maker field, a sender domain or free text → the current
 * maker's canonical name, acquisitions included. Pure lookups over the table in manufacturers.table.ts.
 */

/** Legal-form words dropped from the end of a name ("Co., Ltd.", "GmbH & Co. KG", "Inc."). */
const LEGAL_SUFFIXES = new Set([
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "ltd",
  "limited",
  "llc",
  "gmbh",
  "ag",
  "kg",
  "se",
  "sa",
  "nv",
  "bv",
  "plc",
  "kk",
  "spa",
  "srl",
  "oy",
  "ab",
  "pte",
  "pty",
  "holdings",
  "group",
  "mfg",
  "and",
  "the",
]);

/** Descriptive words that a maker's name often carries or drops ("ON Semiconductor", "Infineon Technologies AG"). */
const GENERIC_SUFFIXES = new Set([
  "semiconductor",
  "semiconductors",
  "semi",
  "technology",
  "technologies",
  "electronics",
  "electronic",
  "components",
  "international",
  "industries",
  "systems",
  "solutions",
  "products",
  "usa",
  "americas",
  "europe",
  "japan",
]);

function nameKey(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/[^a-z0-9]+/g, " ")
      .trim()
      // Dotted initials become one word: "N.V." → "nv", "J.S.T." → "jst".
      .replace(/\b([a-z0-9]) (?=[a-z0-9]\b)/g, "$1")
  );
}

function dropTrailing(key: string, words: Set<string>): string {
  const parts = key.split(" ");
  while (parts.length > 1 && words.has(parts[parts.length - 1]!)) parts.pop();
  return parts.join(" ");
}

function allNames(e: ManufacturerEntry): string[] {
  return [
    e.canonical,
    ...e.aliases,
    ...(e.acquiredFrom ?? []),
    ...(e.caseSensitive ?? []),
    ...(e.nameOnly ?? []),
  ];
}

/**
 * Exact keys win over derived ones (legal/generic words dropped, spaces removed), so a derived key
 * never overrides a name someone wrote into the table.
 */
const NAME_INDEX: ReadonlyMap<string, string> = (() => {
  const exact = new Map<string, string>();
  const derived = new Map<string, string>();
  for (const e of MANUFACTURERS) {
    for (const n of allNames(e)) {
      const k = nameKey(n);
      if (!exact.has(k)) exact.set(k, e.canonical);
      const stripped = dropTrailing(dropTrailing(k, LEGAL_SUFFIXES), GENERIC_SUFFIXES);
      for (const d of [stripped, k.replace(/ /g, ""), stripped.replace(/ /g, "")]) {
        if (d && !derived.has(d)) derived.set(d, e.canonical);
      }
    }
  }
  for (const [k, v] of exact) derived.set(k, v);
  return derived;
})();

function lookupKey(key: string): string | null {
  if (!key) return null;
  const candidates = [key, dropTrailing(key, LEGAL_SUFFIXES)];
  candidates.push(dropTrailing(candidates[1]!, GENERIC_SUFFIXES));
  for (const c of candidates) {
    const hit = NAME_INDEX.get(c) ?? NAME_INDEX.get(c.replace(/ /g, ""));
    if (hit) return hit;
  }
  return null;
}

/**
 * The canonical maker for a maker name as people and platforms write it: case, punctuation, legal
 * forms ("Inc.", "Co., Ltd."), abbreviations (TI, ADI, ST, MCHP, ON Semi) and acquired makers
 * (Linear → Analog Devices). "Analog Devices (Linear Technology)" resolves through either part.
 * Unknown or empty input → null.
 */
export function canonicalManufacturer(name: string | null | undefined): string | null {
  if (!name) return null;
  const direct = lookupKey(nameKey(name));
  if (direct) return direct;
  const paren = /^(.*?)\(([^)]*)\)(.*)$/.exec(name);
  if (paren) {
    const hit = lookupKey(nameKey(`${paren[1]} ${paren[3]}`)) ?? lookupKey(nameKey(paren[2]!));
    if (hit) return hit;
  }
  // "onsemi / Fairchild", "Analog Devices, Linear": resolved only when every named part agrees.
  const parts = name.split(/[/|;,]|\s+-\s+/).map((p) => lookupKey(nameKey(p)));
  if (parts.length > 1 && parts[0] && parts.every((p) => p === parts[0] || p === null)) return parts[0];
  return null;
}

const DOMAIN_INDEX: ReadonlyMap<string, string> = new Map(
  MANUFACTURERS.flatMap((e) => e.domains.map((d) => [d, e.canonical] as const)),
);
const DISTRIBUTORS = new Set(DISTRIBUTOR_LABELS);

function cleanDomain(domain: string): string {
  const d = domain.trim().toLowerCase();
  const at = d.lastIndexOf("@");
  return (at >= 0 ? d.slice(at + 1) : d).replace(/[>.\s]+$/, "").replace(/^[<.]+/, "");
}

/** True for a distributor or aggregator domain (any subdomain, any country TLD): its mail names no maker. */
export function isDistributorDomain(domain: string): boolean {
  const labels = cleanDomain(domain).split(".");
  return labels.slice(0, -1).some((l) => DISTRIBUTORS.has(l));
}

/**
 * The maker that owns a sender domain (subdomains count: e2e.ti.com → Texas Instruments). Also
 * accepts a whole address. Distributors and unknown domains → null.
 */
export function manufacturerFromDomain(domain: string): string | null {
  const d = cleanDomain(domain);
  if (!d || isDistributorDomain(d)) return null;
  const labels = d.split(".");
  for (let i = 0; i < labels.length - 1; i++) {
    const hit = DOMAIN_INDEX.get(labels.slice(i).join("."));
    if (hit) return hit;
  }
  return countryVariant(labels);
}

/** Second-level labels under a country code ("co.jp", "com.cn"). */
const COUNTRY_SECOND_LEVEL = new Set(["com", "co", "ne", "or", "ac", "net", "org"]);

/**
 * A maker's country site ("infineon.com.cn", "vishay.de", "nxp.co.jp") counts as its ".com".
 * Only for names of three letters or more: two-letter ones ("st.de", "te.fr") belong to many owners.
 */
function countryVariant(labels: string[]): string | null {
  const tld = labels[labels.length - 1]!;
  if (tld.length !== 2 || labels.length < 2) return null;
  const sld = labels[labels.length - 2]!;
  const name = COUNTRY_SECOND_LEVEL.has(sld) && labels.length >= 3 ? labels[labels.length - 3]! : sld;
  return name.length >= 3 ? (DOMAIN_INDEX.get(`${name}.com`) ?? null) : null;
}

export interface ManufacturerMention {
  /** Canonical maker. */
  name: string;
  /** Offset of the mention in the text. */
  index: number;
  /** The mention exactly as written in the text (its length is the span to skip). */
  alias: string;
}

function escapeName(n: string): string {
  return n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
}

/**
 * A mention is a whole word: not inside another word, an e-mail address, a domain or a path
 * (`pcn@nxp.com`, `www.ti.com/x` are links, not statements about a maker).
 */
const BEFORE = String.raw`(?<![\p{L}\p{N}_@./\\-])`;
const AFTER = String.raw`(?![\p{L}\p{N}_@]|[.\-/][\p{L}\p{N}])`;

/**
 * Extra conditions on ambiguous aliases: a first name followed by a capitalised word is a person
 * ("Maxim Petrov" in a signature); "ST." is a street in an address.
 */
const GUARDS: ReadonlyMap<string, string> = new Map([
  ["Maxim", String.raw`(?!\s+\p{Lu}\p{Ll})`],
  ["Allegro", String.raw`(?!\s+\p{Lu}\p{Ll})`],
  ["ST", String.raw`(?!\.)`],
]);

function mentionRegex(names: Map<string, string>, flags: string): RegExp {
  const alts = [...names.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => escapeName(n) + (GUARDS.get(n) ?? ""));
  return new RegExp(`${BEFORE}(?:${alts.join("|")})${AFTER}`, flags);
}

const MENTION_PATTERNS = (() => {
  const folded = new Map<string, string>();
  const exact = new Map<string, string>();
  for (const e of MANUFACTURERS) {
    const cs = new Set(e.caseSensitive ?? []);
    const banned = new Set(e.nameOnly ?? []);
    for (const n of [e.canonical, ...e.aliases, ...(e.acquiredFrom ?? [])]) {
      if (banned.has(n)) continue;
      // Short all-capital names ("TDK", "AVX", "JST") are matched as written, like the case-sensitive list.
      if (cs.has(n) || (n.length <= 4 && n === n.toUpperCase())) exact.set(n, e.canonical);
      else folded.set(n.toLowerCase(), e.canonical);
    }
    for (const n of cs) exact.set(n, e.canonical);
  }
  return {
    folded: mentionRegex(folded, "giu"),
    foldedNames: folded,
    exact: mentionRegex(exact, "gu"),
    exactNames: exact,
  };
})();

function canonicalOfMatch(text: string, names: Map<string, string>, folded: boolean): string | null {
  const k = text.replace(/\s+/g, " ");
  return names.get(folded ? k.toLowerCase() : k) ?? null;
}

/**
 * Every maker named in a text, in order of appearance, for digests that cover several makers.
 * Ambiguous short forms are found only in safe shapes: "TI", "ST", "ADI" as standalone capitals;
 * "ON", "IR", "TE", "Linear", "National", "Diodes" alone never (only "ON Semiconductor",
 * "International Rectifier", "TE Connectivity", "Linear Technology", …).
 */
export function findManufacturerMentions(text: string): ManufacturerMention[] {
  const found: ManufacturerMention[] = [];
  for (const [re, names, folded] of [
    [MENTION_PATTERNS.folded, MENTION_PATTERNS.foldedNames, true],
    [MENTION_PATTERNS.exact, MENTION_PATTERNS.exactNames, false],
  ] as const) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const name = canonicalOfMatch(m[0], names, folded);
      if (name) found.push({ name, index: m.index, alias: m[0] });
    }
  }
  found.sort((a, b) => a.index - b.index || b.alias.length - a.alias.length);
  // Overlaps (e.g. "ST" inside a longer folded match) keep the earlier, longer mention.
  const out: ManufacturerMention[] = [];
  let end = -1;
  for (const f of found) {
    if (f.index < end) continue;
    out.push(f);
    end = f.index + f.alias.length;
  }
  return out;
}
