import { normalizeMpn } from "../parts/mpn.normalize.ts";

/**
 * The orderable stem of an MPN (DESIGN §6b.7): the die and family, without the package, grade,
 * temperature and packing codes that makers append to make one orderable of it. Two parts with the
 * same stem are the same silicon in another form (`TPS54331D` / `TPS54331DDA`, `LT1763CS8-3.3` /
 * `LT1763IS8-2.5`, `PIC16F877A-I/PT` / `PIC16F877A-E/P`), which is why a notice for one is worth a
 * look for the other. Pure; a general rule over the shape of the code, no per-maker table:
 *
 * 1. Fold case and strip packaging/RoHS marks (the match key, `normalizeMpn`).
 * 2. Cut at the first separator (`- / , # + . ( space`): makers put grade, temperature, voltage,
 *    package and packing after one (Microchip `-I/PT`, Nexperia `-25,235`, Renesas `#V0`, ADI `-2.5`).
 * 3. In what is left, the die number is the first run of three or more digits; short runs before it
 *    belong to the family (`STM32F103`, `PIC16F877`, `74HCT245`, `CY7C68013`, `TPS7A4901`). One or two
 *    letters followed by three or more digits right after it continue the number (`MSP430G2553`).
 *    Whatever follows (`D`, `DDA`, `DBVT`, `LT1G`, `CS8`, `C8T6`, `FBD100K`, `AASP`) is the suffix.
 * 4. A code with no such run (`SN74LVC1G08DBVR`, `BAS16LT1G`, `74HC14PW`, `BAV99W`) ends in its
 *    suffix after its last run of two or more digits (`DBVR`, `LT1G`, `PW`, `W`); a code that ends
 *    in such a run keeps it (`PIC18F45K22`, `M24C02`).
 * 5. Chip passives start with a case size instead of a die (`C3216…`, `RC0402…`, `CRCW0603…`,
 *    `0603YC…`; Murata's two-digit size plus a thickness digit, `GRM188…`). Their identity is the
 *    value code after it: the stem runs to the first three-digit value (`475`, `104`, `100`) or a
 *    value written with R/K/M as the decimal point (`10K0`, `4R7`).
 * A stem shorter than four characters identifies nothing, so it is null (no near misses).
 */

const SEPARATOR = /[-/,#+.( ]/;

/**
 * Chip case sizes (EIA imperial and IEC metric codes): a part whose first number is one of these
 * and that carries a value code after it is a passive.
 */
const CHIP_SIZES: ReadonlySet<string> = new Set([
  "01005",
  "0201",
  "0402",
  "0603",
  "0805",
  "1005",
  "1008",
  "1206",
  "1210",
  "1608",
  "1806",
  "1808",
  "1812",
  "1825",
  "2010",
  "2012",
  "2220",
  "2225",
  "2512",
  "3216",
  "3225",
  "4532",
  "4564",
  "5750",
  "6432",
]);
/** Two-digit metric size codes (0402 → 15, 0603 → 18, 0805 → 21, 1206 → 31 …) written before a thickness digit. */
const TWO_DIGIT_SIZES: ReadonlySet<string> = new Set(["02", "03", "15", "18", "21", "31", "32", "43", "55"]);
const MIN_STEM = 4;

interface Run {
  text: string;
  digits: boolean;
  start: number;
  end: number;
}

function runsOf(s: string): Run[] {
  const out: Run[] = [];
  for (const m of s.matchAll(/\d+|[A-Z]+|[^A-Z\d]+/g)) {
    const text = m[0];
    const start = m.index;
    out.push({ text, digits: /^\d/.test(text), start, end: start + text.length });
  }
  return out;
}

export function orderableStem(mpn: string): string | null {
  const key = normalizeMpn(mpn);
  const cut = key.search(SEPARATOR);
  const head = cut < 0 ? key : key.slice(0, cut);
  const runs = runsOf(head).filter((r) => /^[A-Z\d]/.test(r.text));
  const die = runs.findIndex((r) => r.digits && r.text.length >= 3);
  const size = die >= 0 ? chipSize(runs[die]!.text) : null;
  if (size) {
    const passive = passiveStem(key, runs[die]!.start + size.length, size.decimal);
    if (passive) return sized(passive);
  }
  if (die >= 0) {
    let end = runs[die]!.end;
    const next = runs[die + 1];
    const after = runs[die + 2];
    if (next && !next.digits && next.text.length <= 2 && after?.digits && after.text.length >= 3)
      end = after.end;
    return sized(head.slice(0, end));
  }
  const lastNumber = runs.findLast((r) => r.digits && r.text.length >= 2);
  return sized(lastNumber ? head.slice(0, lastNumber.end) : head);
}

function sized(stem: string): string | null {
  return stem.length >= MIN_STEM ? stem : null;
}

/**
 * The case size a passive's first number starts with (`0603` of `060310`, Murata's `188`), or null.
 * `decimal`: whether its value may be written with R/K/M as the decimal point (resistors); the
 * three-digit Murata-style sizes go with capacitors' three-digit value codes only.
 */
function chipSize(digits: string): { length: number; decimal: boolean } | null {
  for (const n of [5, 4]) if (CHIP_SIZES.has(digits.slice(0, n))) return { length: n, decimal: true };
  if (digits.length === 3 && TWO_DIGIT_SIZES.has(digits.slice(0, 2))) return { length: 3, decimal: false };
  return null;
}

/** The passive's stem: from the start through its value code (searched after the case size). */
function passiveStem(key: string, from: number, decimal: boolean): string | null {
  const rest = key.slice(from);
  const three = /(?<!\d)\d{3}(?!\d)/.exec(rest);
  if (three) return key.slice(0, from + three.index + 3);
  // Resistor values write the decimal point as R/K/M (`10K0`, `4R7`, `100R`).
  const value = decimal ? /\d+[RKM]\d*/.exec(rest) : null;
  return value ? key.slice(0, from + value.index + value[0].length) : null;
}
