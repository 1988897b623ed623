/**
 * The manufacturer alias table (DESIGN §7). `canonical` is the current maker's name exactly as the
 * corpora write it (corpus/emails/README.md, corpus/bom/parts.csv); `acquiredFrom` names makers that
 * were bought and whose parts are now sold under `canonical` (their names resolve to it too).
 *
 * Alias hygiene for free-text mentions (see manufacturers.ts): an alias that is also an English word
 * or a common abbreviation goes in `caseSensitive` (matched only as written) or `nameOnly` (accepted
 * by canonicalManufacturer for a maker field, never searched for in prose).
 */
import { MORE_MANUFACTURERS } from "./manufacturers.extra.ts";

export interface ManufacturerEntry {
  canonical: string;
  aliases: readonly string[];
  domains: readonly string[];
  acquiredFrom?: readonly string[];
  /** Aliases that count as a mention in prose only with exactly this capitalisation. */
  caseSensitive?: readonly string[];
  /** Aliases valid as a maker field but too ambiguous to look for in prose. */
  nameOnly?: readonly string[];
}

const FIRST_MANUFACTURERS: readonly ManufacturerEntry[] = [
  {
    canonical: "Texas Instruments",
    aliases: ["Texas Instruments", "Texas Instruments Incorporated"],
    acquiredFrom: ["National Semiconductor", "Burr-Brown", "Unitrode"],
    caseSensitive: ["TI", "TXN"],
    nameOnly: ["National", "NSC"],
    domains: ["ti.com", "national.com", "burr-brown.com"],
  },
  {
    canonical: "Microchip Technology",
    aliases: ["Microchip", "Microchip Technology"],
    acquiredFrom: [
      "Atmel",
      "Microsemi",
      "Micrel",
      "SMSC",
      "Supertex",
      "Silicon Storage Technology",
      "Vitesse",
    ],
    caseSensitive: ["MCHP", "SST"],
    domains: ["microchip.com", "atmel.com", "microsemi.com", "micrel.com", "smsc.com", "supertex.com"],
  },
  {
    canonical: "NXP Semiconductors",
    aliases: ["NXP", "NXP Semiconductors", "NXP B.V.", "NXP USA"],
    acquiredFrom: ["Freescale", "Freescale Semiconductor", "Philips Semiconductors"],
    domains: ["nxp.com", "freescale.com", "nxp.com.cn"],
  },
  {
    canonical: "STMicroelectronics",
    aliases: ["STMicroelectronics", "ST Microelectronics", "STMicro", "ST Micro"],
    caseSensitive: ["ST"],
    nameOnly: ["STM"],
    domains: ["st.com", "stmicroelectronics.com"],
  },
  {
    canonical: "Analog Devices",
    aliases: ["Analog Devices", "Analog Devices Inc"],
    acquiredFrom: [
      "Linear Technology",
      "Maxim Integrated",
      "Maxim Integrated Products",
      "Hittite",
      "Hittite Microwave",
      "Dallas Semiconductor",
    ],
    caseSensitive: ["ADI", "Maxim", "LTC"],
    nameOnly: ["Linear", "Analog", "Dallas"],
    domains: ["analog.com", "linear.com", "maximintegrated.com", "maxim-ic.com", "hittite.com"],
  },
  {
    canonical: "Infineon Technologies",
    aliases: ["Infineon", "Infineon Technologies"],
    acquiredFrom: ["Cypress", "Cypress Semiconductor", "International Rectifier", "Spansion"],
    caseSensitive: ["IFX"],
    nameOnly: ["IR"],
    domains: ["infineon.com", "cypress.com", "irf.com", "spansion.com"],
  },
  {
    canonical: "onsemi",
    aliases: ["onsemi", "ON Semiconductor", "ON Semi", "ONSemi"],
    acquiredFrom: ["Fairchild", "Fairchild Semiconductor", "SANYO Semiconductor", "Aptina"],
    nameOnly: ["ON"],
    domains: ["onsemi.com", "onsemi.cn", "fairchildsemi.com", "fairchild.com"],
  },
  {
    canonical: "Renesas Electronics",
    aliases: ["Renesas", "Renesas Electronics"],
    acquiredFrom: [
      "Intersil",
      "Integrated Device Technology",
      "Dialog Semiconductor",
      "NEC Electronics",
      "Sequans IoT",
    ],
    caseSensitive: ["IDT"],
    nameOnly: ["Dialog"],
    domains: ["renesas.com", "intersil.com", "idt.com", "dialog-semiconductor.com"],
  },
  {
    canonical: "Murata",
    aliases: ["Murata", "Murata Manufacturing", "Murata Electronics"],
    domains: ["murata.com", "murata.co.jp"],
  },
  {
    canonical: "TDK",
    aliases: ["TDK", "TDK Corporation", "TDK Electronics", "TDK-Lambda"],
    acquiredFrom: ["EPCOS", "InvenSense", "Micronas"],
    domains: ["tdk.com", "tdk.co.jp", "tdk-electronics.tdk.com", "epcos.com", "invensense.com"],
  },
  {
    canonical: "Vishay",
    aliases: [
      "Vishay",
      "Vishay Intertechnology",
      "Vishay Siliconix",
      "Vishay Dale",
      "Vishay Semiconductors",
      "Vishay General Semiconductor",
      "Vishay Sprague",
      "Vishay BCcomponents",
      "Siliconix",
    ],
    nameOnly: ["Dale", "Sprague"],
    domains: ["vishay.com"],
  },
  { canonical: "KEMET", aliases: ["KEMET", "KEMET Electronics"], domains: ["kemet.com"] },
  { canonical: "Molex", aliases: ["Molex"], domains: ["molex.com"] },
  {
    canonical: "TE Connectivity",
    aliases: ["TE Connectivity", "Tyco Electronics", "Raychem"],
    nameOnly: ["TE", "AMP", "Tyco"],
    domains: ["te.com", "tycoelectronics.com"],
  },
  { canonical: "Nexperia", aliases: ["Nexperia", "Nexperia B.V."], domains: ["nexperia.com", "nexperia.cn"] },
  {
    canonical: "Diodes Incorporated",
    aliases: ["Diodes Incorporated", "Diodes Inc"],
    acquiredFrom: ["Zetex", "Pericom", "BCD Semiconductor", "Lite-On Semiconductor"],
    nameOnly: ["Diodes"],
    domains: ["diodes.com", "zetex.com", "pericom.com"],
  },
  {
    canonical: "Littelfuse",
    aliases: ["Littelfuse"],
    acquiredFrom: ["IXYS", "Monolith Semiconductor"],
    domains: ["littelfuse.com", "ixys.com"],
  },
  {
    canonical: "Amphenol",
    aliases: ["Amphenol", "Amphenol ICC"],
    acquiredFrom: ["FCI"],
    domains: ["amphenol.com"],
  },
  { canonical: "Bourns", aliases: ["Bourns"], domains: ["bourns.com"] },
  {
    canonical: "Samsung Electro-Mechanics",
    aliases: ["Samsung Electro-Mechanics", "Samsung Electro Mechanics"],
    caseSensitive: ["SEMCO"],
    domains: ["samsungsem.com"],
  },
  {
    canonical: "Samsung Electronics",
    aliases: ["Samsung Electronics", "Samsung Semiconductor"],
    nameOnly: ["Samsung"],
    domains: ["samsung.com", "semiconductor.samsung.com"],
  },
  // The corpus BOM writes the name without the umlaut; the canonical form follows the data.
  {
    canonical: "Wurth Elektronik",
    aliases: ["Wurth Elektronik", "Würth Elektronik", "Wuerth Elektronik", "Würth", "Wurth"],
    domains: ["we-online.com", "we-online.de"],
  },
  {
    canonical: "Yageo",
    aliases: ["Yageo"],
    acquiredFrom: ["Pulse Electronics", "Phycomp"],
    domains: ["yageo.com"],
  },
  {
    canonical: "Broadcom",
    aliases: ["Broadcom"],
    acquiredFrom: ["Avago", "Avago Technologies", "LSI Logic"],
    domains: ["broadcom.com", "avagotech.com"],
  },
  {
    canonical: "Qualcomm",
    aliases: ["Qualcomm"],
    acquiredFrom: ["CSR", "Cambridge Silicon Radio"],
    domains: ["qualcomm.com"],
  },
  {
    canonical: "Skyworks Solutions",
    aliases: ["Skyworks", "Skyworks Solutions"],
    domains: ["skyworksinc.com"],
  },
  {
    canonical: "Qorvo",
    aliases: ["Qorvo"],
    acquiredFrom: ["RFMD", "RF Micro Devices", "TriQuint", "UnitedSiC", "Active-Semi"],
    domains: ["qorvo.com"],
  },
  {
    canonical: "ROHM",
    aliases: ["ROHM", "ROHM Semiconductor", "LAPIS Semiconductor"],
    domains: ["rohm.com", "rohm.co.jp"],
  },
  {
    canonical: "Toshiba",
    aliases: ["Toshiba", "Toshiba Electronic Devices & Storage", "Toshiba America Electronic Components"],
    domains: ["toshiba.com", "toshiba.co.jp", "toshiba.semicon-storage.com"],
  },
  {
    canonical: "Panasonic",
    aliases: ["Panasonic", "Panasonic Industry", "Panasonic Electronic Components"],
    domains: ["panasonic.com", "panasonic.co.jp"],
  },
  {
    canonical: "Silicon Labs",
    aliases: ["Silicon Labs", "Silicon Laboratories", "SiLabs"],
    acquiredFrom: ["Energy Micro", "Ember"],
    domains: ["silabs.com"],
  },
  {
    canonical: "Nordic Semiconductor",
    aliases: ["Nordic Semiconductor"],
    nameOnly: ["Nordic"],
    domains: ["nordicsemi.com"],
  },
  { canonical: "Espressif", aliases: ["Espressif", "Espressif Systems"], domains: ["espressif.com"] },
  {
    canonical: "Lattice Semiconductor",
    aliases: ["Lattice Semiconductor"],
    nameOnly: ["Lattice"],
    domains: ["latticesemi.com"],
  },
  {
    canonical: "Monolithic Power Systems",
    aliases: ["Monolithic Power Systems", "Monolithic Power"],
    caseSensitive: ["MPS"],
    domains: ["monolithicpower.com"],
  },
  {
    canonical: "Allegro MicroSystems",
    aliases: ["Allegro MicroSystems", "Allegro Micro"],
    caseSensitive: ["Allegro"],
    domains: ["allegromicro.com"],
  },
  { canonical: "Semtech", aliases: ["Semtech"], acquiredFrom: ["Sierra Wireless"], domains: ["semtech.com"] },
  { canonical: "Power Integrations", aliases: ["Power Integrations"], domains: ["power.com"] },
  { canonical: "Wolfspeed", aliases: ["Wolfspeed"], acquiredFrom: ["Cree"], domains: ["wolfspeed.com"] },
  {
    canonical: "Alpha & Omega Semiconductor",
    aliases: [
      "Alpha & Omega Semiconductor",
      "Alpha and Omega Semiconductor",
      "Alpha & Omega",
      "Alpha and Omega",
    ],
    caseSensitive: ["AOS"],
    domains: ["aosmd.com"],
  },
  {
    canonical: "KYOCERA AVX",
    aliases: [
      "KYOCERA AVX",
      "AVX",
      "AVX Corporation",
      "Kyocera AVX Components",
      "American Technical Ceramics",
    ],
    nameOnly: ["Kyocera"],
    domains: ["kyocera-avx.com", "avx.com"],
  },
  {
    canonical: "Eaton",
    aliases: ["Eaton", "Eaton Electronics", "Cooper Bussmann", "Bussmann"],
    domains: ["eaton.com"],
  },
  {
    canonical: "Hirose Electric",
    aliases: ["Hirose", "Hirose Electric"],
    domains: ["hirose.com", "hirose.co.jp"],
  },
  {
    canonical: "JST",
    aliases: ["JST", "J.S.T. Mfg", "JST Mfg", "Japan Solderless Terminal"],
    domains: ["jst-mfg.com", "jst.com", "jst.co.jp"],
  },
  { canonical: "Samtec", aliases: ["Samtec"], domains: ["samtec.com"] },
  {
    canonical: "Omron",
    aliases: ["Omron", "Omron Electronic Components"],
    domains: ["omron.com", "omron.co.jp"],
  },
  { canonical: "Sensirion", aliases: ["Sensirion"], domains: ["sensirion.com"] },
  {
    canonical: "Bosch Sensortec",
    aliases: ["Bosch Sensortec"],
    nameOnly: ["Bosch"],
    domains: ["bosch-sensortec.com"],
  },
  { canonical: "u-blox", aliases: ["u-blox", "ublox"], domains: ["u-blox.com"] },
  { canonical: "Winbond", aliases: ["Winbond", "Winbond Electronics"], domains: ["winbond.com"] },
  { canonical: "Macronix", aliases: ["Macronix", "Macronix International"], domains: ["macronix.com"] },
  {
    canonical: "Micron Technology",
    aliases: ["Micron Technology"],
    nameOnly: ["Micron"],
    acquiredFrom: ["Numonyx"],
    domains: ["micron.com"],
  },
  {
    canonical: "ISSI",
    aliases: ["ISSI", "Integrated Silicon Solution"],
    domains: ["issi.com"],
  },
  { canonical: "Kioxia", aliases: ["Kioxia", "Toshiba Memory"], domains: ["kioxia.com"] },
  {
    canonical: "AMD",
    aliases: ["Advanced Micro Devices"],
    acquiredFrom: ["Xilinx"],
    caseSensitive: ["AMD"],
    domains: ["amd.com", "xilinx.com"],
  },
  {
    canonical: "Intel",
    aliases: ["Intel Corporation"],
    acquiredFrom: ["Altera"],
    caseSensitive: ["Intel"],
    domains: ["intel.com", "altera.com"],
  },
  {
    canonical: "MaxLinear",
    aliases: ["MaxLinear"],
    acquiredFrom: ["Exar", "Entropic Communications"],
    domains: ["maxlinear.com", "exar.com"],
  },
  {
    canonical: "ams OSRAM",
    aliases: ["ams OSRAM", "ams-OSRAM", "OSRAM Opto Semiconductors", "OSRAM"],
    nameOnly: ["ams"],
    domains: ["ams-osram.com", "ams.com", "osram.com"],
  },
  { canonical: "Melexis", aliases: ["Melexis"], domains: ["melexis.com"] },
  { canonical: "Coilcraft", aliases: ["Coilcraft"], domains: ["coilcraft.com"] },
  { canonical: "Taiyo Yuden", aliases: ["Taiyo Yuden"], domains: ["yuden.co.jp", "t-yuden.com"] },
  { canonical: "Nichicon", aliases: ["Nichicon"], domains: ["nichicon.co.jp", "nichicon.com"] },
  { canonical: "Phoenix Contact", aliases: ["Phoenix Contact"], domains: ["phoenixcontact.com"] },
  { canonical: "Harting", aliases: ["Harting", "HARTING Technology Group"], domains: ["harting.com"] },
  { canonical: "Lite-On", aliases: ["Lite-On", "LITE-ON Technology", "Liteon"], domains: ["liteon.com"] },
  { canonical: "Epson", aliases: ["Epson", "Seiko Epson"], domains: ["epson.com", "epson.jp"] },
  { canonical: "Abracon", aliases: ["Abracon"], domains: ["abracon.com"] },
  { canonical: "Susumu", aliases: ["Susumu"], domains: ["susumu.co.jp"] },
  {
    canonical: "KOA Speer",
    aliases: ["KOA Speer", "KOA Speer Electronics"],
    caseSensitive: ["KOA"],
    domains: ["koaspeer.com"],
  },
  { canonical: "Mitsubishi Electric", aliases: ["Mitsubishi Electric"], domains: ["mitsubishielectric.com"] },
  {
    canonical: "Semikron Danfoss",
    aliases: ["Semikron Danfoss", "Semikron"],
    domains: ["semikron-danfoss.com", "semikron.com"],
  },
  { canonical: "WeEn Semiconductors", aliases: ["WeEn Semiconductors", "WeEn"], domains: ["ween-semi.com"] },
  { canonical: "Ampleon", aliases: ["Ampleon"], domains: ["ampleon.com"] },
];

export const MANUFACTURERS: readonly ManufacturerEntry[] = [...FIRST_MANUFACTURERS, ...MORE_MANUFACTURERS];

/**
 * Distributors and aggregators: their mail relays makers' notices, so their domain says nothing about
 * the maker. Matched by registrable-name label (`digikey` covers digikey.com, digikey.de, …).
 */
export const DISTRIBUTOR_LABELS: readonly string[] = [
  "arrow",
  "avnet",
  "digikey",
  "digi-key",
  "mouser",
  "farnell",
  "newark",
  "element14",
  "rs-online",
  "rsdelivers",
  "rs-components",
  "tti",
  "ttiinc",
  "ttieurope",
  "futureelectronics",
  "future-electronics",
  "heilind",
  "rutronik",
  "lcsc",
  "sager",
  "masterelectronics",
  "onlinecomponents",
  "verical",
  "alliedelec",
  "wpgholdings",
  "wpgamericas",
  "ebv",
  "silica",
  "richardsonrfpd",
  "bisinfo",
  "octopart",
  "findchips",
];
