/**
 * Words of a notice that look like part numbers and never are one, by general vocabulary — package
 * outlines and pin counts, standards, notice and document numbers, week codes, dimensions,
 * dielectrics, frequencies and other values, addresses — never by a list of one notice's tokens.
 * Each rule keeps real parts that share a prefix (TI's ISO7721DR isolator is not ISO 7721, Enpirion's
 * EN5311QI is not EN 5311): standards are matched only with the numbering they use.
 */

/** Package outline families (JEDEC, EIAJ and makers' names), as written with a pin count or size. */
const PACKAGE_FAMILIES =
  "SOT|SOD|SOIC|SOP|HSOP|TSOP|TSOP-II|SSOP|QSOP|VSOP|HTSOP|HTSOP-J|MSOP|TSSOP|HTSSOP|VSSOP|SO|TO|QFN|VQFN|WQFN|UQFN|HVQFN|PQFN|DFN|XDFN|WDFN|UDFN|SON|WSON|VSON|HSON|LFCSP|WLCSP|CSP|WLP|LQFP|TQFP|EQFP|PQFP|QFP|MQFP|BGA|FBGA|TFBGA|UFBGA|VFBGA|LFBGA|PBGA|LGA|PLCC|CLCC|DIP|PDIP|SPDIP|CDIP|CERDIP|SIP|ESIP|DPAK|D2PAK|IPAK|TSOT|SC|SMA|SMB|SMC|MELF|MINIMELF|POWERPAK|PG-TO|PG-TDSON|PG-HSOF";
/** "SOT-23-3", "QFN-16", "TO-220AB", "HTSOP-J8", "eSIP-7C", "PDIP-8C", "TSOP-II 44". */
const PACKAGE = new RegExp(`^(?:${PACKAGE_FAMILIES})[-_]?\\d{1,4}(?:[-_][A-Z]?\\d{1,3})?[A-Z]{0,2}$`, "i");
/** "8-pin", "4-pin", "24-ball", "8-pad", "16-lead", "3-pin". */
const PIN_COUNT = /^\d{1,4}-?(?:pins?|pads?|balls?|leads?|ld|l)$/i;
/** Standards and their bodies, with the numbering each uses. */
const STANDARD = [
  /^(?:EIA\/)?JESD\d{1,3}[A-Z]?(?:[-.][A-Z]?\d{1,4}[A-Z]?)*$/i,
  /^J-STD-\d{3}[A-Z]?$/i,
  /^JEP\d{2,3}[A-Z]?$/i,
  /^AEC-?Q\d{3}(?:-\d{3})?[A-Z]?$/i,
  /^MIL-(?:STD|PRF|DTL|HDBK)-\d{2,5}[A-Z]?(?:[-/]\d{1,4})*$/i,
  /^(?:ISO|IEC|EN|UL|IPC|EIA|IEEE|ANSI|ASTM|JIS|JEITA|IATF)[-/]?(?:[A-Z]{1,2}-)?\d{2,5}(?:[-:./]\d{1,4})*$/i,
  /^IPC-[A-Z]-\d{2,4}[A-Z]?$/i,
  /^JEITA-?[A-Z]{2}-\d{4}[A-Z]?$/i,
];
/** Notice and document numbers: a notice word between separators, or glued to a long number. */
const NOTICE_ID = [
  // A token that starts with the word: "PCN12345", "PDN-2026-001", "AK-2026-04"; digits followed by
  // letters are a part of a maker whose prefix looks like one (AKM `AK4384VT`, `PN2222A`, `PD70224`).
  /^(?:PCN|PDN|EOL|EOS|DN|LCN|ECN|CIN|NRND|LTB|QPDN|PD|PN|AK)(?:[-_/#]\d{2,}|\d{2,}(?:$|[-_/.]\d))/i,
  // Inside a token the word needs a separator or a long number after it: "XY-PDN-2026", "ST-PCN12345";
  // "EOS3FF512-PDN64" ends in a package code (a 64-pin QFN), not a notice.
  /[-_/#](?:PCN|PDN|EOL|EOS|DN|LCN|ECN|CIN|NRND|LTB|QPDN|PD|PN|AK)(?:[-_/#]\d{2,}|\d{4,})/i,
  /^\d{8,10}(?:DN|PCN|PDN)$/i,
  /^(?:PCN|PDN|EOL|DN)#/i,
  // A prefix of letters, a four-digit year and a serial ("HSPN-2026-117", "NVT-LC-2026-02").
  /^[A-Z]{2,6}(?:[-_][A-Z]{1,6})*[-_/](?:19|20)\d{2}[-_/][A-Z]?\d{1,5}[A-Z]?$/i,
];
/** Week and date codes: "WW2651", "KW19", "CW 23", "wk52". */
const WEEK_CODE = /^(?:WW|KW|CW|WK)\d{2,4}$/i;
/** Dimensions and sizes: "3x3", "8x6-mm", "5x20", "208mil". */
const DIMENSION = /^\d+(?:[.,]\d+)?x\d+(?:[.,]\d+)?(?:x\d+(?:[.,]\d+)?)?(?:-?mm)?$|^\d{2,4}-?mils?$/i;
/** Ceramic dielectric classes, alone or paired ("C0G/X7R"). */
const DIELECTRIC =
  /^(?:C0G|NP0|X5R|X6S|X7R|X7S|X7T|X8R|X8L|Y5V|Z5U)(?:\/(?:C0G|NP0|X5R|X6S|X7R|X7S|X7T|X8R|X8L|Y5V|Z5U))*$/i;
/** Values with units that the simple unit rule misses: frequencies, capacities, voltages with DC/AC. */
const VALUE =
  /^\d+(?:[.,]\d+)?(?:[kMG]?Hz|[kMG]?bit|[kMGT]?b|[kMG]?B|VDC|VAC|Vdc|Vac|mAh|dBm|[munpµμ]?F|m?Ω|[kM]?ohms?|ppm|°C|K|mm|cm)$/;
/** Web and mail addresses. */
const ADDRESS = /^(?:https?:|www\.)|@|\.(?:com|net|org|io|de|jp|cn|fr|ch|co\.\w{2}|com\.\w{2})(?:\/|$)/i;

/** Why a token is not a part, or null when nothing here rules it out. */
export function notAPart(token: string): string | null {
  if (ADDRESS.test(token)) return "web or mail address";
  if (PACKAGE.test(token) || PIN_COUNT.test(token)) return "package or pin count";
  if (STANDARD.some((re) => re.test(token))) return "standard";
  if (NOTICE_ID.some((re) => re.test(token))) return "notice or document number";
  if (WEEK_CODE.test(token)) return "week code";
  if (DIMENSION.test(token)) return "dimension";
  if (DIELECTRIC.test(token)) return "dielectric";
  if (VALUE.test(token)) return "value with unit";
  return null;
}
