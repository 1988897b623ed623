/**
 * The polled-source port (DESIGN §13): a lifecycle platform that pushes nothing is read on a
 * schedule. `poll(checkpoint, now)` reads what is new since the checkpoint and answers the alerts
 * plus the checkpoint to store once those alerts are durable. The scheduler owns everything else
 * (lease, interval, backoff, breaker, metrics, ingest), so a source is only "how to read this API".
 *
 * Invariant: a source never stores its own checkpoint. The scheduler stores `next` only after every
 * alert of the same result has been accepted by the inbox, so a crash between the two re-reads the
 * window, and the platform's own ids (the alerts' keys) make the re-read add nothing.
 */

/** The component-alert contract (DESIGN §4) as a source emits it: dates already `YYYY-MM-DD`. */
export interface ComponentAlertPayload {
  source_platform: string;
  manufacturer_code: string;
  part_number: string;
  lifecycle_status: string;
  raw_context?: string | null;
  pcn_id?: string | null;
  ltb_date?: string | null;
  last_ship_date?: string | null;
  replacement_part_number?: string | null;
  notice_date?: string | null;
}

export interface SourceAlert {
  /**
   * The platform's own identity of this alert (e.g. `pcn:9003655970:35324203`), stable across
   * re-reads of the same window: it is the inbox idempotency key.
   */
  key: string;
  alert: ComponentAlertPayload;
}

/** A source's checkpoint: its own JSON, stored as given and handed back on the next poll. */
export type SourceCheckpoint = Record<string, unknown>;

export type FailureKind =
  /** Login refused: a configuration problem, not worth retrying soon. */
  | "auth"
  /** The account's quota is used up; `retryAfterMs` says when it renews. */
  | "quota"
  /** HTTP 429 or the platform's own rate-limit code. */
  | "rate_limited"
  /** The platform answered something we cannot read (truncated page, unknown envelope). */
  | "protocol"
  /** Network error, timeout, 5xx. */
  | "unavailable"
  /** Our request was refused as invalid (a bug or a window the platform will not serve). */
  | "rejected"
  /** The inbox could not take the alerts. */
  | "store";

export interface SourceFailure {
  kind: FailureKind;
  retryable: boolean;
  reason: string;
  /** The platform said when to come back (Retry-After, quota renewal). */
  retryAfterMs?: number;
}

export interface PollWindow {
  /** Inclusive calendar days `YYYY-MM-DD`. */
  from: string;
  to: string;
}

export interface PollContext {
  /** Re-read this window instead of the checkpoint's (a replay); the checkpoint is left as it was. */
  window?: PollWindow;
  /** Run even when the source thinks there is nothing to do (e.g. a scan of an unchanged BOM). */
  force?: boolean;
  signal: AbortSignal;
}

export type PollResult =
  | {
      kind: "ok";
      alerts: SourceAlert[];
      next: SourceCheckpoint;
      /** More is waiting (a page cap was reached): the scheduler runs the source again at once. */
      more?: boolean;
      /** Things an operator should know (a window clamped to the platform's limit, skipped records). */
      notes?: string[];
      /** What the poll found, for `eolgate scan` and `/v1/sources` (e.g. coverage). */
      report?: Record<string, unknown>;
    }
  | {
      kind: "failed";
      failure: SourceFailure;
      /** Alerts read before the failure: ingested anyway (idempotent), the checkpoint stays. */
      alerts: SourceAlert[];
    };

export interface PolledSource {
  /** Stable name: the checkpoint row, metric label and inbox `source`. */
  readonly name: string;
  poll(checkpoint: SourceCheckpoint | null, now: Date, ctx: PollContext): Promise<PollResult>;
}

/** Inclusive day windows a replay may ask for; the platform may allow less (SiliconExpert: 30 days). */
export function isDayString(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.toISOString().slice(0, 10) === v;
}
