import { foldMpn, manufacturerKey, normalizeMpn } from "../../bom/part-key.ts";
import { fieldDay } from "../platform-dates.ts";
import { asArray, field, text } from "./se.envelope.ts";

/**
 * Part search and part detail answers → what a BOM scan needs. Pure.
 * - `listPartSearch` (≤ 50 requested parts, no quota): `Result[].PartData` with `RequestedPart`,
 *   `RequestedManufacturer` and `PartList.PartDto[]` (`ComID`, `PartNumber`, `Manufacturer`,
 *   `Lifecycle`); `Result`, `PartData` and `PartDto` each arrive as one object when there is one.
 * - `partDetail` (≤ 50 ComIDs, counted against the account's quota) with `getLifeCycleData=1`:
 *   `Results.ResultDto[]` with `LifeCycleData.PartStatus`, `LifeCycleData.LTBDate`,
 *   `PCNData.PCNDto` (an object) with `LastTimeBuyDate`, `LastShipDate`, `LastEOLNumber`,
 *   `LastEOLDate`, and `History.Lifecycle[]` `{Date, Lifecycle}`. All values are strings.
 */

export const MAX_PARTS_PER_CALL = 50;

export interface SeCandidate {
  comId: string;
  mpn: string;
  manufacturer: string;
  lifecycle: string;
}

export interface SeSearchAnswer {
  requestedPart: string;
  requestedManufacturer: string;
  candidates: SeCandidate[];
}

export function readListPartSearch(body: unknown): SeSearchAnswer[] {
  const out: SeSearchAnswer[] = [];
  for (const r of asArray(field(body, "Result", "result"))) {
    for (const pd of asArray(field(r, "PartData") ?? r)) {
      const list = field(pd, "PartList");
      const dtos = asArray(field(list, "PartDto") ?? list);
      out.push({
        requestedPart: text(pd, "RequestedPart", "requestedPart"),
        requestedManufacturer: text(pd, "RequestedManufacturer", "requestedManufacturer"),
        candidates: dtos
          .map((d) => ({
            comId: text(d, "ComID", "comId"),
            mpn: text(d, "PartNumber", "partNumber"),
            manufacturer: text(d, "Manufacturer", "manufacturer"),
            lifecycle: text(d, "Lifecycle", "lifecycle"),
          }))
          .filter((c) => c.comId && c.mpn),
      });
    }
  }
  return out;
}

export interface BomPartRef {
  manufacturer: string;
  mpn: string;
}

/**
 * The platform part that is this BOM part: the same MPN (case and spaces folded) from the same
 * maker (acquisitions resolved, so "Linear Technology" finds "Analog Devices"), else the same
 * normalised MPN (packaging suffix stripped) from the same maker. Never a different maker's part:
 * a wrong match would open a case on a part we do not use.
 */
export function pickCandidate(part: BomPartRef, candidates: readonly SeCandidate[]): SeCandidate | null {
  const maker = manufacturerKey(part.manufacturer);
  const sameMaker = candidates.filter((c) => manufacturerKey(c.manufacturer) === maker);
  const fold = foldMpn(part.mpn);
  const exact = sameMaker.find((c) => foldMpn(c.mpn) === fold);
  if (exact) return exact;
  const norm = normalizeMpn(part.mpn);
  return sameMaker.find((c) => normalizeMpn(c.mpn) === norm) ?? null;
}

export interface SeDetail {
  comId: string;
  status: string;
  ltbDate: string | null;
  lastShipDate: string | null;
  /** The platform's number of the discontinuance notice (PDN), when it has one. */
  eolNumber: string | null;
  /** When the platform says the status took effect (its lifecycle history), else null. */
  asOf: string | null;
}

export function readPartDetail(body: unknown): SeDetail[] {
  const out: SeDetail[] = [];
  for (const dto of asArray(field(field(body, "Results"), "ResultDto"))) {
    const comId = text(dto, "RequestedComID", "ComID", "comId");
    const lc = field(dto, "LifeCycleData");
    const status = text(lc, "PartStatus") || text(field(dto, "SummaryData"), "Lifecycle", "PartStatus");
    if (!comId || !status) continue;
    const pcn = asArray(field(field(dto, "PCNData"), "PCNDto"))[0];
    const history = asArray(field(field(dto, "History"), "Lifecycle"))
      .map((h) => ({ day: fieldDay(field(h, "Date")), status: text(h, "Lifecycle") }))
      .filter((h): h is { day: string; status: string } => h.day !== null);
    // The newest history entry that names the current status is when that status began.
    const since = history
      .filter((h) => h.status.toLowerCase() === status.toLowerCase())
      .map((h) => h.day)
      .sort()
      .at(-1);
    out.push({
      comId,
      status,
      ltbDate: fieldDay(field(lc, "LTBDate")) ?? fieldDay(field(pcn, "LastTimeBuyDate")),
      lastShipDate: fieldDay(field(pcn, "LastShipDate")),
      eolNumber: text(pcn, "LastEOLNumber") || null,
      asOf: since ?? fieldDay(field(pcn, "LastEOLDate")),
    });
  }
  return out;
}

export interface AclPart {
  comId: string;
}

/** `alert/listParts`: `addedParts[]` of `{comId, sePartNumber, seManufacturer, …}`. */
export function readAclParts(body: unknown): AclPart[] {
  return asArray(field(body, "addedParts", "AddedParts", "parts"))
    .map((p) => ({ comId: text(p, "comId", "ComID") }))
    .filter((p) => p.comId);
}

/** Splits a list into chunks of at most `n` (the platform's per-call limits). */
export function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
