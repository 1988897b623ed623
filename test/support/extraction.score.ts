/**
 * Scores extraction over a labelled set the way tools/score-extraction.mjs does (MPN precision,
 * recall and F1 on folded MPNs; field accuracy over the parts found; the notice flag), for the
 * regression tests of the labelled sets.
 */
import { readFileSync } from "node:fs";
import { extractFromEmail } from "../../src/extract/extract.email.ts";
import { parseMime } from "../../src/mail/mime.ts";

export const FIELDS = [
  "lifecycle_status",
  "notice_type",
  "manufacturer",
  "ltb_date",
  "last_ship_date",
  "replacement_mpn",
  "pcn_id",
] as const;

type Field = (typeof FIELDS)[number];
export type LabelledNotice = { mpn: string } & Record<Field, string | null>;
export interface LabelledMessage {
  file: string;
  is_lifecycle_notice: boolean;
  notices: LabelledNotice[];
}

const mpnKey = (s: string | null) => (s == null ? null : s.toUpperCase().replace(/\s+/g, ""));
const SUFFIX =
  /\b(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|gmbh|ag|sa|nv|plc|kk|technology|technologies|semiconductors?|electronics?|group|international|holdings?)\b/g;
const makerKey = (s: string | null) =>
  (s ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[.,&()]/g, " ")
    .replace(SUFFIX, " ")
    .replace(/\s+/g, " ")
    .trim();

function same(field: Field, a: string | null, b: string | null): boolean {
  if (field === "manufacturer") return makerKey(a) === makerKey(b);
  if (field === "replacement_mpn" || field === "pcn_id") return mpnKey(a) === mpnKey(b);
  return (a ?? null) === (b ?? null);
}

export interface SetScore {
  flags: number;
  f1: number;
  fieldAcc: number;
  misses: string[];
}

export async function scoreSet(dir: URL, labels: readonly LabelledMessage[]): Promise<SetScore> {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let flags = 0;
  const right = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const misses: string[] = [];
  for (const l of labels) {
    const email = await parseMime(readFileSync(new URL(l.file, dir)), "json");
    const got = await extractFromEmail(email, { now: new Date(email.date ?? "2026-06-01") });
    if (got.is_lifecycle_notice === l.is_lifecycle_notice) flags++;
    else misses.push(`${l.file}: flag`);
    const have = new Map(got.notices.map((n) => [mpnKey(n.mpn), n]));
    const want = new Map(l.notices.map((n) => [mpnKey(n.mpn), n]));
    for (const [k, n] of want) {
      const h = have.get(k);
      if (!h) {
        fn++;
        misses.push(`${l.file}: missed ${n.mpn}`);
        continue;
      }
      tp++;
      for (const field of FIELDS) {
        if (same(field, h[field], n[field])) right[field]++;
        else misses.push(`${l.file}: ${n.mpn}.${field} ${h[field]} ≠ ${n[field]}`);
      }
    }
    for (const [k, h] of have)
      if (!want.has(k)) {
        fp++;
        misses.push(`${l.file}: extra ${h.mpn}`);
      }
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const fieldAcc = tp ? FIELDS.reduce((s, field) => s + right[field] / tp, 0) / FIELDS.length : 1;
  return { flags, f1, fieldAcc, misses };
}
