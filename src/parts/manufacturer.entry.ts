/** One maker of the alias table (manufacturers.table.ts explains the alias hygiene). */
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
