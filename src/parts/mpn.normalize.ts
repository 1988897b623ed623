/**
 * MPN match keys (DESIGN §7): two part numbers that name the same die in the same grade must get the
 * same key, and two orderables that a maker lists as distinct (one replacing the other) must not.
 *
 * The key folds case, whitespace and Unicode dash variants, then strips ONLY packaging and RoHS
 * suffixes whose form is unmistakable across makers:
 *
 * | rule                         | examples                                   | why it is safe                     |
 * |------------------------------|--------------------------------------------|------------------------------------|
 * | `[#-/]?TR[LR]?PBF`, `#PBF`, `PBF` after a separator or TR | `LT1763IS8-2.5#TRPBF`, `#PBF`, `IRF7413TRPBF`, `IRLML6402TRPBF` | Linear/IR lead-free (+ reel) marks; the die is the same |
 * | `/NOPB`                      | `LM1117MPX-3.3/NOPB`                       | TI/National lead-free mark        |
 * | `/TR`, `-TR`, `-T&R`, `#TR`  | `…/TR` (DESIGN §7), `LT1763CS8#TR`          | tape-and-reel with a separator    |
 * | `TR` right after a digit     | `STM32F103C8T6TR`, `L6234PD013TR`          | ST ordering codes end in a temperature digit; TR is the reel |
 * | `-REEL`, `-REEL7`, `-RL`, `-RL7`, `-R7` | `ADM3053BRWZ-REEL7`, `ADP7118ARDZ-2.5-R7` | ADI reel options            |
 * | `-T`, `-T7`, `-T7A`, `-T13`    | `ISL3178EIBZ-T`, `ISL8117FRZ-T7A`          | Intersil/Renesas reel options      |
 * | `+`, `+T`, `+T10`, `+T&R`, `#`, `#T`, `#T&R` at the end | `MAX232CSE+T`, `DS3231SN#T&R` | Maxim/Dallas lead-free (+) and reel (T) marks |
 *
 * Deliberately NOT stripped (each is a distinct orderable in makers' notices and in the BOM corpus,
 * often the other's replacement):
 * - single letters: TI `R`/`T` reel size (`TPS54331D` vs `TPS54331DR`), Cypress `T`, Microchip `T`
 *   before the dash (`MCP1700T-…`);
 * - onsemi `G` Pb-free and `T1`/`T3` reel (`MMBT3904LT1G` vs `MMBT3904LT3G`);
 * - Nexperia/NXP packing codes `,215`/`,235`/`,115`/`,118` (`BC807-25,235` is replaced by `,215`);
 * - Vishay `-T1-E3`/`-T1-GE3` (GE3 is halogen-free: a material change), Diodes `-7-F`/`-13-F`;
 * - Renesas `#V0`/`#30`/`#AA0` (`R5F100LEAFB#V0` is replaced by `#30`); IDT's trailing `8` reel digit
 *   (`5P49V5901B000NLGI8`) because a bare digit is part of most MPNs;
 * - grade and temperature codes: Microchip `-I/P`, `-E/SO`, `I/PT`; TI `G4` (green) is left too,
 *   because a bare trailing `G4` is not unmistakable across makers.
 */

/** Unicode hyphens, dashes and minus signs that people paste into part numbers. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const WHITESPACE = /[\s\u00A0\u200B]+/g;

/**
 * Packaging/RoHS suffix rules, tried in order and repeated until none applies, so that combined
 * marks (`-TR/NOPB`, `+T` after `#PBF`) come off one by one. Each is anchored at the end.
 */
const SUFFIX_RULES: readonly RegExp[] = [
  // Linear/IR lead-free, optionally with tape-and-reel (L/R = reel side): #TRPBF, #PBF, TRPBF, -PBF.
  /(?:[#\-/]|(?<=[0-9A-Z]))TR[LR]?PBF$/,
  /[#\-/]PBF$/,
  /(?<=\d)PBF$/,
  // TI/National lead-free.
  /\/NOPB$/,
  // Tape-and-reel with a separator.
  /[/\-#](?:TR|T&R)$/,
  // ST-style TR straight after the temperature digit.
  /(?<=\d)TR$/,
  // ADI reel options.
  /-(?:REEL\d*|RL\d*|R7)$/,
  // Intersil/Renesas reel options (`ISL3178EIBZ-T` is the reeled `ISL3178EIBZ`).
  /-T(?:7A?|13)?$/,
  // Maxim/Dallas: `+` lead-free, `#` RoHS with exemption, optionally followed by T (reel) and a size.
  // `#T\d` is left alone: Renesas uses `#` + two-character spec codes that are distinct orderables.
  /\+T(?:&R|\d+)?$/,
  /#T(?:&R)?$/,
  /[+#]$/,
];

/** Below this a stripped key is more likely a mangled fragment than a part; keep the folded form. */
const MIN_KEY_LENGTH = 3;

/** Case, whitespace and dash folding only: no suffix is touched. */
export function foldMpn(mpn: string): string {
  return mpn.normalize("NFKC").replace(DASHES, "-").replace(WHITESPACE, "").toUpperCase();
}

/**
 * The match key of an MPN (see the rule table above). Idempotent. It is a MATCH key, not an identity:
 * notices list `AD8606ARZ` and `AD8606ARZ-REEL7` as two orderables, and extraction must keep both.
 */
export function normalizeMpn(mpn: string): string {
  let key = foldMpn(mpn);
  // Each pass removes at least one character, so this terminates; the bound is a guard, not a limit.
  for (let pass = 0; pass < 8; pass++) {
    const before = key;
    for (const rule of SUFFIX_RULES) {
      const stripped = key.replace(rule, "");
      if (stripped !== key && stripped.length >= MIN_KEY_LENGTH) {
        key = stripped;
        break;
      }
    }
    if (key === before) break;
  }
  return key;
}

/** True when two MPNs name the same die and grade (equal match keys). Empty strings never match. */
export function mpnEquals(a: string, b: string): boolean {
  const ka = normalizeMpn(a);
  return ka.length > 0 && ka === normalizeMpn(b);
}
