/**
 * Canonical lifecycle statuses (DESIGN §8), as plain data: the console's review form lists them
 * from here without pulling zod into the page bundle (`lifecycle.ts` builds the schema on it).
 */
export const LIFECYCLE_STATUSES = [
  "preliminary",
  "active",
  "nrnd",
  "ltb",
  "eol",
  "obsolete",
  "transferred",
  "unknown",
] as const;
