import type { SourceFailure } from "./source.ts";

/**
 * The second port a lifecycle platform offers (DESIGN §13 BOM scan): the current status of given
 * parts, and keeping them on the platform's watch list so that its alerts cover them.
 */

/** A part of the stored BOM, as the scan asks about it. */
export interface BomPart {
  id: number;
  manufacturer: string;
  mpn: string;
}

export interface PlatformPartStatus {
  part: BomPart;
  /** The platform's id of the part (SiliconExpert ComID). */
  ref: string;
  /** The platform's status word, exactly as given. */
  rawStatus: string;
  ltbDate: string | null;
  lastShipDate: string | null;
  /** When the platform says this status took effect; null when it does not say. */
  asOf: string | null;
  /** The platform's discontinuance / change notice number, when known. */
  noticeId: string | null;
}

export type LookupResult =
  | { kind: "ok"; found: PlatformPartStatus[]; unmatched: BomPart[]; notes: string[] }
  | { kind: "failed"; failure: SourceFailure };

export type WatchResult =
  | { kind: "ok"; watched: number; added: number }
  | { kind: "failed"; failure: SourceFailure };

export interface LifecyclePlatform {
  /** Source name (`siliconexpert`): history rows and metrics carry it. */
  readonly name: string;
  /** `source_platform` of the alerts a scan raises (`SiliconExpert`). */
  readonly platform: string;
  lookup(parts: readonly BomPart[], signal: AbortSignal): Promise<LookupResult>;
  /** Puts these platform ids on the watch list (adds the missing ones; removes nothing). */
  watch(refs: readonly string[], signal: AbortSignal): Promise<WatchResult>;
}
