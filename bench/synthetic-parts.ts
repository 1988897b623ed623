/** The generated BOMs of the benchmarks: five makers in turn, numbered MPNs under a bench's prefix. */
const MAKERS = [
  "Texas Instruments",
  "Analog Devices",
  "Microchip Technology",
  "NXP Semiconductors",
  "onsemi",
];

export const makerOf = (i: number): string => MAKERS[i % MAKERS.length]!;

/** `prefix` keeps each bench's parts apart (BP000001 for impact, CB000001 for the console). */
export const mpnOf = (prefix: string, i: number): string => `${prefix}${String(i).padStart(6, "0")}`;
