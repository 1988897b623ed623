/**
 * Characters as the MPN automaton (mpn.automaton.ts) sees them: the trie symbol of a letter or digit
 * (ASCII and full-width, any case) and the class of everything else — what may sit inside a written
 * MPN (punctuation, soft hyphens, one space, a line break) and what ends it. Looked up in 64 KiB
 * tables, once per character of a scanned text.
 */
export enum Cls {
  /** Letter or digit: a trie symbol. */
  Sym = 0,
  /** Soft hyphen, zero-width characters: invisible, skipped. */
  Invisible = 1,
  /** Punctuation written inside MPNs. */
  Punct = 2,
  /** A space on the same line. */
  Space = 3,
  Newline = 4,
  /** Anything else ends a written MPN. */
  Hard = 5,
}

/** Trie symbol of a character: 0–9 digits, 10–35 letters (ASCII and full-width, any case); −1 otherwise. */
function symOfSlow(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10;
  if (c >= 0xff21 && c <= 0xff3a) return c - 0xff21 + 10;
  if (c >= 0xff41 && c <= 0xff5a) return c - 0xff41 + 10;
  return -1;
}

function classOfSlow(c: number): Cls {
  if (symOfSlow(c) >= 0) return Cls.Sym;
  switch (c) {
    case 0x2d: // -
    case 0x5f: // _
    case 0x2f: // /
    case 0x2e: // .
    case 0x2c: // ,
    case 0x23: // #
    case 0x2b: // +
    case 0x26: // &
    case 0x28: // (
    case 0x29: // )
    case 0x3a: // :
      return Cls.Punct;
    case 0x20:
    case 0xa0:
    case 0x2009:
    case 0x202f:
      return Cls.Space;
    case 0x0a:
    case 0x0d:
      return Cls.Newline;
    case 0xad:
    case 0x200b:
    case 0x200c:
    case 0x200d:
    case 0x2060:
    case 0xfeff:
      return Cls.Invisible;
  }
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xff0d) return Cls.Punct;
  return Cls.Hard;
}

/** Both looked up per UTF-16 code unit, every character of a scanned text (64 KiB each). */
const SYM = new Int8Array(0x10000);
const CLASS = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) {
  SYM[c] = symOfSlow(c);
  CLASS[c] = classOfSlow(c);
}

export function symOf(c: number): number {
  return SYM[c]!;
}

export function classOf(c: number): Cls {
  // NaN (reading past the end) is not a letter: it ends a token like any hard character.
  return Number.isNaN(c) ? Cls.Hard : (CLASS[c]! as Cls);
}

/** Punctuation that joins two pieces of one word ("SOT-23", "ISO9001.2"): no MPN starts right after it. */
export function joins(c: number): boolean {
  return c === 0x2d || c === 0x5f || c === 0x2e || c === 0x2b || c === 0x26 || c === 0x23 || c === 0xad;
}
