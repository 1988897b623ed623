/**
 * An automaton over a list of MPNs (a BOM and its alternates) that finds every one of them a text
 * names, however the text writes it: any case, with its packing or RoHS suffix (`#TRPBF`, `-REEL7`,
 * `/NOPB`: the match key of mpn.normalize.ts), wrapped across lines, with soft hyphens, zero-width
 * characters or single spaces inside (`TLV702 33DBVR`), with different punctuation (`LT1763IS8 2.5`).
 * Pure: built once per BOM version, then `scan` is a function of the text. Why our own and not a
 * library: docs/adr/0019-bom-scan-automaton.md.
 *
 * How it works. Each MPN's match key is reduced to its skeleton (letters and digits only, upper
 * case) and put in a trie. A scan walks the trie from every token start of the text, skipping what
 * may sit inside a written MPN (punctuation, soft hyphens, one space, a line break), so a walk costs
 * at most the depth of the trie and most stop after two or three characters. Every terminal node
 * reached is then verified against the text: the whole written token must have the entry's match key
 * (so `TPS54331DDA` is not `TPS54331D`), and a token start inside a hyphenated word does not count.
 */
import { Cls, classOf, joins, symOf } from "./mpn.chars.ts";
import { foldMpn, normalizeMpn } from "./mpn.normalize.ts";

export interface MpnEntry<T> {
  mpn: string;
  data: T;
}

/**
 * How the text wrote the entry: `exact` (the same MPN, case and spaces aside), `suffix` (another
 * packing or RoHS suffix of the same match key), `loose` (the same letters and digits, other
 * punctuation or a line wrap inside).
 */
export type MpnMatch = "exact" | "suffix" | "loose";

export interface MpnHit<T> {
  entry: MpnEntry<T>;
  /** The token as the text writes it, from `start` to `end` (suffix included). */
  written: string;
  /** UTF-16 offsets in the scanned text; `end` is exclusive. */
  start: number;
  end: number;
  match: MpnMatch;
}

/** Skeletons shorter than this, or all digits and shorter than MIN_DIGITS, would match ordinary words and numbers. */
const MIN_SKELETON = 4;
const MIN_DIGITS = 6;
/** Spaces or line breaks a written MPN may hold. */
const MAX_GAPS = 3;
/** Punctuation marks in a row a written MPN may hold (`#TR`, `-/`). */
const MAX_PUNCT_RUN = 2;

function skeletonOf(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const s = symOf(key.charCodeAt(i));
    if (s >= 0) out += s < 10 ? String.fromCharCode(48 + s) : String.fromCharCode(55 + s);
  }
  return out;
}

const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const WRAP_HYPHEN = /-[ \t]*\r?\n[\s>]*/g;
const WRAP = /[ \t]*\r?\n[\s>]*/g;

/**
 * The written form folded (invisible characters, spaces and line breaks out): first with a hyphen at
 * a line end taken as a word-wrap hyphen, then as the MPN's own.
 */
function compactForms(written: string): string[] {
  const plain = written.replace(INVISIBLE, "");
  if (!WRAP_HYPHEN.test(plain)) return [foldMpn(plain.replace(WRAP, ""))];
  WRAP_HYPHEN.lastIndex = 0;
  return [foldMpn(plain.replace(WRAP_HYPHEN, "")), foldMpn(plain.replace(WRAP, ""))];
}

export class MpnAutomaton<T> {
  /** Entries whose match key is too short to scan for safely (still matched by exact extraction). */
  readonly unscannable: MpnEntry<T>[] = [];
  private readonly entries: MpnEntry<T>[] = [];
  private readonly keys: string[] = [];
  private readonly skeletons: string[] = [];
  /** Entry indices per terminal node (`out[node]` indexes `groups`, −1 when none). */
  private readonly groups: number[][] = [];
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private sym: Uint8Array;
  private out: Int32Array;
  /** Children of the root, by symbol, and their children by (first symbol × 36 + symbol): most walks end there. */
  private readonly root = new Int32Array(36).fill(-1);
  private readonly second = new Int32Array(36 * 36).fill(-1);
  private nodes = 1;

  private constructor(capacity: number) {
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.sym = new Uint8Array(capacity);
    this.out = new Int32Array(capacity).fill(-1);
  }

  static build<T>(input: Iterable<MpnEntry<T>>): MpnAutomaton<T> {
    const list = [...input];
    const prepared = list.map((e) => {
      const key = normalizeMpn(e.mpn);
      return { e, key, skeleton: skeletonOf(key) };
    });
    const capacity = 1 + prepared.reduce((n, p) => n + p.skeleton.length, 0);
    const a = new MpnAutomaton<T>(capacity);
    for (const p of prepared) {
      const digitsOnly = !/[A-Z]/.test(p.skeleton);
      if (p.skeleton.length < MIN_SKELETON || (digitsOnly && p.skeleton.length < MIN_DIGITS)) {
        a.unscannable.push(p.e);
        continue;
      }
      a.insert(p.e, p.key, p.skeleton);
    }
    a.trim();
    return a;
  }

  /** Entries that can be found by a scan. */
  get size(): number {
    return this.entries.length;
  }

  /** Trie nodes (for the benchmark's memory figure). */
  get nodeCount(): number {
    return this.nodes;
  }

  /** The child of `node` (at `depth`, reached from first symbol `first`) for symbol `s`, or −1. */
  private child(node: number, s: number, depth: number, first: number): number {
    if (depth === 0) return this.root[s]!;
    if (depth === 1) return this.second[first * 36 + s]!;
    for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!) if (this.sym[c] === s) return c;
    return -1;
  }

  private insert(e: MpnEntry<T>, key: string, skeleton: string): void {
    let node = 0;
    const first = symOf(skeleton.charCodeAt(0));
    for (let i = 0; i < skeleton.length; i++) {
      const s = symOf(skeleton.charCodeAt(i));
      let next = this.child(node, s, i, first);
      if (next < 0) {
        next = this.nodes++;
        this.sym[next] = s;
        if (i === 0) this.root[s] = next;
        else if (i === 1) this.second[first * 36 + s] = next;
        else {
          this.nextSibling[next] = this.firstChild[node]!;
          this.firstChild[node] = next;
        }
      }
      node = next;
    }
    const index = this.entries.length;
    this.entries.push(e);
    this.keys.push(key);
    this.skeletons.push(skeleton);
    if (this.out[node]! < 0) {
      this.out[node] = this.groups.length;
      this.groups.push([]);
    }
    this.groups[this.out[node]!]!.push(index);
  }

  /** Gives back the capacity that shared prefixes did not use. */
  private trim(): void {
    this.firstChild = this.firstChild.slice(0, this.nodes);
    this.nextSibling = this.nextSibling.slice(0, this.nodes);
    this.sym = this.sym.slice(0, this.nodes);
    this.out = this.out.slice(0, this.nodes);
  }

  /** Every entry the text names, in text order; an entry named twice is reported twice. */
  scan(text: string): MpnHit<T>[] {
    const hits: MpnHit<T>[] = [];
    if (this.entries.length === 0) return hits;
    const n = text.length;
    // The last visible character before i, and whether a joining mark sat between it and i.
    let prevSym = false;
    let joined = false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const cls = classOf(c);
      if (cls === Cls.Invisible) continue;
      if (cls !== Cls.Sym) {
        joined = prevSym && joins(c);
        prevSym = false;
        continue;
      }
      const wasSym = prevSym;
      const wasJoined = joined;
      prevSym = true;
      joined = false;
      if (wasSym || (wasJoined && !distributorPrefix(text, i))) continue;
      if (this.root[symOf(c)]! < 0) continue;
      this.walk(text, i, hits);
    }
    return hits;
  }

  /** Walks the trie from token start `i`, verifying each terminal node reached. */
  private walk(text: string, i: number, hits: MpnHit<T>[]): void {
    const n = text.length;
    let node = 0;
    let depth = 0;
    const first = symOf(text.charCodeAt(i));
    let gaps = 0;
    let punct = 0;
    let found: MpnHit<T> | null = null;
    let gapsAtFound = 0;
    for (let j = i; j < n; j++) {
      const c = text.charCodeAt(j);
      const cls = classOf(c);
      if (cls === Cls.Sym) {
        node = this.child(node, symOf(c), depth++, first);
        if (node < 0) break;
        punct = 0;
        const g = this.out[node]!;
        // A longer MPN wins, unless reaching it took a space the shorter one did not ("LM358 DR").
        if (g >= 0 && (!found || gaps === gapsAtFound)) {
          const hit = this.verify(text, i, j + 1, this.groups[g]!);
          if (hit) {
            found = hit;
            gapsAtFound = gaps;
          }
        }
        continue;
      }
      if (cls === Cls.Invisible) continue;
      if (cls === Cls.Punct) {
        if (++punct > MAX_PUNCT_RUN) break;
        continue;
      }
      if (cls === Cls.Space) {
        // One space on a line; two are a column gap.
        const next = text.charCodeAt(j + 1);
        if (++gaps > MAX_GAPS || classOf(next) !== Cls.Sym) break;
        continue;
      }
      if (cls === Cls.Newline) {
        if (++gaps > MAX_GAPS) break;
        // A line break, then the next line's indentation or quote marks; a blank line ends the walk.
        let k = j + 1;
        if (c === 0x0d && text.charCodeAt(k) === 0x0a) k++;
        while (k < n && (text[k] === " " || text[k] === "\t" || text[k] === ">")) k++;
        if (k >= n || classOf(text.charCodeAt(k)) === Cls.Newline) break;
        j = k - 1;
        continue;
      }
      break;
    }
    if (found) hits.push(found);
  }

  /**
   * The hit for a walk from `start` that reached a terminal node at `end`, or null. The written token
   * runs on to the next space (a suffix is part of it); its match key must be the entry's, or at
   * least its skeleton must be.
   */
  private verify(text: string, start: number, end: number, group: readonly number[]): MpnHit<T> | null {
    const tokenEnd = tokenEndFrom(text, end);
    const written = text.slice(start, tokenEnd);
    let loose: number | null = null;
    for (const folded of compactForms(written)) {
      const key = normalizeMpn(folded);
      for (const idx of group) {
        if (this.keys[idx] === key) {
          const exact = folded === foldMpn(this.entries[idx]!.mpn);
          return this.hit(idx, written, start, tokenEnd, exact ? "exact" : "suffix");
        }
        if (loose === null && skeletonOf(key) === this.skeletons[idx]) loose = idx;
      }
    }
    return loose === null ? null : this.hit(loose, written, start, tokenEnd, "loose");
  }

  private hit(idx: number, written: string, start: number, end: number, match: MpnMatch): MpnHit<T> {
    return { entry: this.entries[idx]!, written, start, end, match };
  }
}

/** "296-…", "595-…": a distributor's numeric prefix glued to the maker's part number. */
function distributorPrefix(text: string, i: number): boolean {
  if (text[i - 1] !== "-") return false;
  let k = i - 2;
  while (k >= 0 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k--;
  const digits = i - 2 - k;
  return digits >= 2 && digits <= 3 && (k < 0 || symOf(text.charCodeAt(k)) < 0);
}

/**
 * Where the written token that reaches `end` stops: at a space, a line break or another hard
 * character; trailing sentence punctuation is not part of it. A comma or slash followed by another
 * part-like piece ("LM358/LM324", "LM358,LM324") separates two parts; one followed by a packing code
 * (",235") or a grade ("-I/PT") or a lead-free mark ("/NOPB") continues the token.
 */
function tokenEndFrom(text: string, end: number): number {
  const n = text.length;
  let k = end;
  while (k < n) {
    const c = text.charCodeAt(k);
    const cls = classOf(c);
    if (cls === Cls.Sym || cls === Cls.Invisible) {
      k++;
      continue;
    }
    if (cls !== Cls.Punct) break;
    if ((c === 0x2c || c === 0x2f) && startsAnotherPart(text, k + 1)) break;
    k++;
    // A hyphen at a line end: the token goes on at the next line (a wrapped MPN).
    if (c === 0x2d) {
      const m = /^[ \t]*\r?\n[ \t>]*(?=[0-9A-Za-z])/.exec(text.slice(k, k + 40));
      if (m) k += m[0].length;
    }
  }
  while (k > end) {
    const ch = text[k - 1]!;
    if (".,;:!?-".includes(ch) || (ch === ")" && !text.slice(end, k).includes("("))) k--;
    else break;
  }
  return k;
}

/** Whether the piece starting at `from` (up to the next separator) has letters and digits and 4+ characters. */
function startsAnotherPart(text: string, from: number): boolean {
  let k = from;
  let letters = 0;
  let digits = 0;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    const s = symOf(c);
    if (s < 0 && c !== 0x2d) break;
    if (s >= 10) letters++;
    else if (s >= 0) digits++;
    k++;
  }
  return letters > 0 && digits > 0 && k - from >= 4;
}
