import { LIFECYCLE_STATUSES, type LifecycleStatus } from "../parts/lifecycle.ts";
import { foldMpn, normalizeMpn } from "../parts/mpn.normalize.ts";

/**
 * The keys under which parts are stored and matched (DESIGN §7), in one place so the import, the
 * where-used lookup and case identity agree:
 * - identity: (manufacturerKey, mpnFold): a part and its packaging variant stay two parts;
 * - notice matching: mpnNorm (packaging/RoHS suffixes stripped), tried after an exact fold.
 */

/** A maker's key: its canonical name (acquisitions resolved), case-folded. */
export function manufacturerKey(name: string): string {
  return (canonicalManufacturerName(name) ?? name.trim().replace(/\s+/g, " ")).toLowerCase();
}

export { foldMpn, normalizeMpn };

// Until src/parts/manufacturers.ts lands, the acquisitions DESIGN §7 names are resolved here.
const ACQUIRED: Record<string, string> = {
  "linear technology": "Analog Devices",
  linear: "Analog Devices",
  "maxim integrated": "Analog Devices",
  maxim: "Analog Devices",
  "analog devices": "Analog Devices",
  adi: "Analog Devices",
  atmel: "Microchip Technology",
  microsemi: "Microchip Technology",
  microchip: "Microchip Technology",
  "microchip technology": "Microchip Technology",
  cypress: "Infineon Technologies",
  "cypress semiconductor": "Infineon Technologies",
  infineon: "Infineon Technologies",
  "infineon technologies": "Infineon Technologies",
  "international rectifier": "Infineon Technologies",
  fairchild: "onsemi",
  "fairchild semiconductor": "onsemi",
  "on semiconductor": "onsemi",
  onsemi: "onsemi",
  national: "Texas Instruments",
  "national semiconductor": "Texas Instruments",
  ti: "Texas Instruments",
  "texas instruments": "Texas Instruments",
  xilinx: "AMD",
  altera: "Intel",
  intersil: "Renesas Electronics",
  idt: "Renesas Electronics",
  renesas: "Renesas Electronics",
  "renesas electronics": "Renesas Electronics",
  nxp: "NXP Semiconductors",
  "nxp semiconductors": "NXP Semiconductors",
  freescale: "NXP Semiconductors",
  st: "STMicroelectronics",
  stmicroelectronics: "STMicroelectronics",
};

function canonicalManufacturerName(name: string): string | null {
  const k = name
    .trim()
    .toLowerCase()
    .replace(/[.,]/g, "")
    .replace(/\s+(inc|corp|corporation|llc|ltd|gmbh|ag|nv|bv)$/g, "")
    .replace(/\s+/g, " ");
  return ACQUIRED[k] ?? null;
}

/** A stored or notified lifecycle status, canonical when recognisable, else `unknown` (raw kept). */
export function lifecycleStatusOf(raw: string): LifecycleStatus {
  const k = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if ((LIFECYCLE_STATUSES as readonly string[]).includes(k)) return k as LifecycleStatus;
  if (k === "production" || k === "in_production") return "active";
  if (k === "not_recommended_for_new_designs") return "nrnd";
  if (k === "last_time_buy") return "ltb";
  if (k === "end_of_life" || k === "discontinued") return "eol";
  return "unknown";
}
