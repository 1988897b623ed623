import { mapLifecycleStatus } from "../../parts/lifecycle.vocabulary.ts";
import { foldMpn } from "../../parts/mpn.normalize.ts";
import { readFieldDate } from "../platform-dates.ts";
import type { ComponentAlertPayload, SourceAlert } from "../source.ts";
import { asArray, field, text } from "./se.envelope.ts";

/**
 * SiliconExpert watch-list ("ACL") updates → component alerts. Pure.
 *
 * The published shapes disagree (reference notes.md), so all are read:
 * - `alerts[]` of `{alertType, partNumber, manufacturer, updateDate, details}` where the new status
 *   is only in prose ("Lifecycle status changed from Active to NRND.") [SE-DOC /ACLAPI/updates];
 * - `updates.partUpdates` as an object holding one list per kind (`pcnDto[]` with `affectedParts`,
 *   lifecycle records, an `updateRange` beside them) [SE-DOC daily; a production client reads
 *   `partUpdates/*\/comId` and `partUpdates/*\/affectedParts/comId`];
 * - `updates.partUpdates` as a plain list of records [SE-DOC lifecycle-only example];
 * and any list may arrive as a single object. Field names come in both camelCase and PascalCase.
 *
 * Each alert's key is the platform's own identity of the event, so a re-read adds nothing:
 * lifecycle `siliconexpert:lifecycle:<part>:<day>:<status>`, PCN `siliconexpert:pcn:<PCN id>:<part>`,
 * where <part> is the ComID when given, else the folded MPN and maker.
 */

export const SOURCE_PLATFORM = "SiliconExpert";

export interface UpdatesRead {
  alerts: SourceAlert[];
  /** Records in the answer, of every kind. */
  records: number;
  /** Records that were not turned into alerts, and why (kinds we do not track, no part number…). */
  skipped: string[];
}

type Kind = "lifecycle" | "pcn" | "other";

interface Rec {
  kind: Kind;
  record: Record<string, unknown>;
}

const MAX_CONTEXT = 20_000;

function kindOf(name: string): Kind {
  const k = name.toLowerCase();
  if (k.includes("pcn") || k.includes("pdn") || k.includes("eol")) return "pcn";
  if (k.includes("lifecycle") || k.includes("life_cycle") || k === "lc") return "lifecycle";
  return "other";
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every update record of an answer, with its kind (from its own alertType, else its list's name). */
function recordsOf(body: unknown): Rec[] {
  const out: Rec[] = [];
  const push = (v: unknown, listName: string | null) => {
    for (const r of asArray(v)) {
      if (!isRecord(r)) continue;
      const declared = text(r, "alertType", "AlertType", "type");
      out.push({ kind: declared ? kindOf(declared) : listName ? kindOf(listName) : "other", record: r });
    }
  };
  push(field(body, "alerts"), null);
  const updates = field(body, "updates", "Updates");
  const partUpdates = field(updates, "partUpdates", "PartUpdates");
  if (Array.isArray(partUpdates)) push(partUpdates, null);
  else if (isRecord(partUpdates)) {
    for (const [name, v] of Object.entries(partUpdates)) {
      if (name.toLowerCase() === "updaterange") continue;
      push(v, name);
    }
  }
  return out;
}

interface PartRef {
  comId: string;
  mpn: string;
  manufacturer: string;
}

function partOf(o: unknown): PartRef {
  return {
    comId: text(o, "comId", "ComID", "COM_ID", "comID"),
    mpn: text(o, "partNumber", "PartNumber", "sePartNumber", "MPN", "mpn"),
    manufacturer: text(o, "manufacturer", "Manufacturer", "seManufacturer", "ManufacturerName", "supplier"),
  };
}

function partKey(p: PartRef): string {
  return p.comId ? p.comId : `${foldMpn(p.mpn)}@${p.manufacturer.toLowerCase().replace(/\s+/g, " ")}`;
}

const CHANGED_TO = /\bfrom\s+(.+?)\s+to\s+(.+?)\s*\.?\s*$/i;

/** The status a lifecycle record moves to: its own field, else the "changed from X to Y" prose. */
function newStatusOf(r: Record<string, unknown>): string {
  const own = text(r, "newLifecycle", "NewLifecycle", "newStatus", "lifecycle", "Lifecycle", "PartStatus");
  if (own) return own;
  const m = CHANGED_TO.exec(text(r, "details", "Details", "description"));
  return m ? m[2]!.trim() : "";
}

/**
 * A PCN's effect as a lifecycle word: discontinuance wording is kept as written (the vocabulary maps
 * it); an acquisition moves the line to another maker; any other change (labelling, process, site)
 * leaves the status as the platform last gave it, or says which change it was.
 */
function pcnStatusOf(r: Record<string, unknown>): string {
  const change = text(r, "typeOfChange", "TypeOfChange", "changeType");
  if (change) {
    const mapped = mapLifecycleStatus(change).status;
    if (mapped !== "unknown" && mapped !== "active" && mapped !== "preliminary") return change;
    if (/acqui|transfer|merg/i.test(change)) return "Transferred";
  }
  const own = text(r, "lifecycle", "Lifecycle", "PartStatus");
  if (own) return own;
  return change ? `PCN: ${change}` : "PCN";
}

function context(r: Record<string, unknown>): string {
  const s = JSON.stringify(r);
  return s.length > MAX_CONTEXT ? `${s.slice(0, MAX_CONTEXT)}…` : s;
}

function day(
  r: Record<string, unknown>,
  what: string,
  names: string[],
  notes: string[],
  who: string,
): string | null {
  const raw = field(r, ...names);
  const d = readFieldDate(raw);
  if (d.kind === "day") return d.day;
  if (d.kind === "unreadable") notes.push(`${who}: ${what} ${JSON.stringify(d.raw)} is not a date; dropped`);
  return null;
}

function alertFor(
  part: PartRef,
  fields: Omit<ComponentAlertPayload, "source_platform" | "manufacturer_code" | "part_number">,
) {
  return {
    source_platform: SOURCE_PLATFORM,
    manufacturer_code: part.manufacturer,
    part_number: part.mpn,
    ...fields,
  } satisfies ComponentAlertPayload;
}

/** Reads one answer of the updates endpoints (daily or date range). */
export function readUpdates(body: unknown): UpdatesRead {
  const recs = recordsOf(body);
  const out: UpdatesRead = { alerts: [], records: recs.length, skipped: [] };
  const seen = new Set<string>();
  const emit = (a: SourceAlert) => {
    if (seen.has(a.key)) return;
    seen.add(a.key);
    out.alerts.push(a);
  };
  let other = 0;
  for (const { kind, record } of recs) {
    if (kind === "other") {
      other++;
      continue;
    }
    if (kind === "lifecycle") {
      const part = partOf(record);
      const who = part.mpn || part.comId || "record";
      if (!part.mpn || !part.manufacturer) {
        out.skipped.push(`${who}: lifecycle update without part number or manufacturer`);
        continue;
      }
      const status = newStatusOf(record);
      if (!status) {
        out.skipped.push(`${who}: lifecycle update names no new status`);
        continue;
      }
      const notes: string[] = [];
      const notice = day(record, "updateDate", ["updateDate", "UpdateDate", "date", "Date"], notes, who);
      emit({
        key: `siliconexpert:lifecycle:${partKey(part)}:${notice ?? "undated"}:${status.toLowerCase()}`,
        alert: alertFor(part, {
          lifecycle_status: status,
          notice_date: notice,
          ltb_date: day(
            record,
            "LTB date",
            ["lastTimeBuyDate", "LastTimeBuyDate", "LTBDate", "ltbDate"],
            notes,
            who,
          ),
          last_ship_date: day(record, "last-ship date", ["lastShipDate", "LastShipDate"], notes, who),
          replacement_part_number: replacementOf(record) || null,
          raw_context: context(record),
        }),
      });
      out.skipped.push(...notes);
      continue;
    }
    // A PCN / PDN: one alert per affected part (the notice's own part when it lists none).
    const pcnId = text(record, "pcnId", "PCNId", "PCN_ID", "PcnId");
    const pcnNumber = text(record, "pcnNumber", "PCNNumber", "PcnNumber", "LastEOLNumber");
    const affected = asArray(field(record, "affectedParts", "AffectedParts")).map(partOf);
    const parts = affected.length > 0 ? affected : [partOf(record)];
    const notes: string[] = [];
    const who = pcnNumber || pcnId || "PCN";
    const notice = day(
      record,
      "notification date",
      ["notificationDate", "NotificationDate", "updateDate", "UpdateDate", "date"],
      notes,
      who,
    );
    const ltb = day(
      record,
      "LTB date",
      ["lastTimeBuyDate", "LastTimeBuyDate", "LTBDate", "ltbDate"],
      notes,
      who,
    );
    const lastShip = day(record, "last-ship date", ["lastShipDate", "LastShipDate"], notes, who);
    const status = pcnStatusOf(record);
    const identity = pcnId || pcnNumber || `${notice ?? "undated"}:${status.toLowerCase()}`;
    for (const part of parts) {
      if (!part.mpn || !part.manufacturer) {
        out.skipped.push(`${who}: affected part without part number or manufacturer`);
        continue;
      }
      emit({
        key: `siliconexpert:pcn:${identity}:${partKey(part)}`,
        alert: alertFor(part, {
          lifecycle_status: status,
          pcn_id: pcnNumber || pcnId || null,
          notice_date: notice,
          ltb_date: ltb,
          last_ship_date: lastShip,
          replacement_part_number: replacementOf(record) || null,
          raw_context: context(record),
        }),
      });
    }
    out.skipped.push(...notes);
  }
  if (other > 0) out.skipped.push(`${other} update(s) of kinds other than lifecycle and PCN`);
  return out;
}

function replacementOf(r: Record<string, unknown>): string {
  return text(
    r,
    "replacement",
    "Replacement",
    "replacementPartNumber",
    "ReplacementPartNumber",
    "suggestedReplacement",
    "SuggestedReplacement",
  );
}
