import { idempotencyKey } from "../ingest/idempotency.ts";
import { ComponentAlertSchema } from "../ingest/ingest.schemas.ts";
import type { IncomingNotice, Ingestor } from "../ingest/ingest.ts";
import type { ComponentAlertPayload, SourceAlert } from "./source.ts";

/**
 * Polled and imported alerts enter exactly where pushed ones do: the Ingestor, as a
 * `component-alert` whose stored body is the contract's JSON with the platform's id as its
 * `idempotency_key`. A re-read of the same alert (a replayed window, a restart, a re-imported file)
 * therefore meets the inbox's unique key and adds nothing, and a platform that one day pushes the
 * same JSON to POST /v1/ingest/component-alert lands on the same key.
 */

export type AlertCheck = { ok: true } | { ok: false; reason: string };

/** The alert against the route's own schema: what the pipeline would refuse is refused here. */
export function checkAlert(alert: ComponentAlertPayload): AlertCheck {
  const r = ComponentAlertSchema.safeParse(alert);
  if (r.success) return { ok: true };
  return {
    ok: false,
    reason: r.error.issues.map((i) => `${i.path.join(".") || "(alert)"}: ${i.message}`).join("; "),
  };
}

export function toIncomingNotice(a: SourceAlert): IncomingNotice {
  const body = { ...a.alert, idempotency_key: a.key };
  return {
    route: "component-alert",
    source: a.alert.source_platform,
    provider: null,
    idempotencyKey: idempotencyKey({ field: a.key, content: null }),
    contentType: "application/json",
    raw: Buffer.from(JSON.stringify(body)),
  };
}

export interface IngestReport {
  accepted: number;
  duplicates: number;
  /** Alerts the contract refuses (never retried: the same record would be refused again). */
  invalid: { key: string; reason: string }[];
  /** Alerts the inbox could not take now (retry the whole batch later). */
  unstored: { key: string; reason: string }[];
  traceIds: string[];
}

/** Hands every alert to the inbox at once (the group commit batches them) and counts the outcomes. */
export async function ingestAlerts(
  ingestor: Ingestor,
  alerts: readonly SourceAlert[],
): Promise<IngestReport> {
  const report: IngestReport = { accepted: 0, duplicates: 0, invalid: [], unstored: [], traceIds: [] };
  const valid: SourceAlert[] = [];
  for (const a of alerts) {
    const c = checkAlert(a.alert);
    if (c.ok) valid.push(a);
    else report.invalid.push({ key: a.key, reason: c.reason });
  }
  const outcomes = await Promise.all(valid.map((a) => ingestor.accept(toIncomingNotice(a))));
  for (const [i, o] of outcomes.entries()) {
    if (o.kind === "store_unavailable") {
      report.unstored.push({ key: valid[i]!.key, reason: o.reason });
      continue;
    }
    report.traceIds.push(o.traceId);
    if (o.duplicate) report.duplicates++;
    else report.accepted++;
  }
  return report;
}
