import type { ImpactResult } from "../impact/impact.model.ts";
import type { NotificationCase } from "../notify/notification.types.ts";
import { toNotificationCase } from "../notify/notification-case.ts";
import type { Sql } from "../store/driver.ts";
import type { Decision } from "./case.workflow.ts";

/**
 * Cases as the notify area sends them, read from the store: the latest impact report, the assemblies
 * it affects (names, routes), and where people are with the case (state, assignee, decision, the last
 * event). For reminders, weekly digests and the Slack message shown after a click.
 */
interface Row {
  id: string;
  report_version: number;
  last_ship_date: string | null;
  mpn: string;
  result: ImpactResult;
  state: NonNullable<NotificationCase["workflow"]>["state"];
  assignee: string | null;
  decision: Decision | null;
  last: { actor: string; action: string; at: string } | null;
  provisional: boolean;
}

export async function caseNotifications(
  db: Sql,
  caseIds: readonly string[],
  o: {
    publicBaseUrl: string;
    now: Date;
    event: NotificationCase["event"];
    reminders?: ReadonlyMap<string, NonNullable<NotificationCase["reminder"]>>;
  },
): Promise<NotificationCase[]> {
  if (caseIds.length === 0) return [];
  const rows = (
    await db.query<Row>(
      `select c.id::text as id, c.report_version, c.last_ship_date::text as last_ship_date, p.mpn, r.result,
         coalesce(w.state, 'open') as state, w.assignee, w.decision,
         (select json_build_object('actor', e.actor, 'action', e.action,
                   'at', to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
            from case_events e where e.case_id = c.id order by e.id desc limit 1) as last,
         -- Provisional: a notice still waiting for review opened or changed it (review.query.ts).
         exists (select 1 from case_notices n
           join review_items q on q.trace_id::text = n.trace_id and q.notice_index = n.notice_index
           where n.case_id = c.id and n.unlinked_at is null and n.outcome in ('created', 'updated')
             and q.status = 'pending') as provisional
       from cases c
       join parts p on p.id = c.part_id
       join impact_reports r on r.case_id = c.id and r.version = c.report_version
       left join case_workflow w on w.case_id = c.id
       where c.id = any($1::uuid[])
       order by c.revenue_at_risk desc, c.id`,
      [[...caseIds]],
    )
  ).rows;
  const ids = [...new Set(rows.flatMap((r) => r.result.affected.map(([id]) => id)))];
  const assemblies = new Map<string, { name: string; notify_channel: string | null }>();
  if (ids.length > 0) {
    const a = await db.query<{ assembly_id: string; name: string; notify_channel: string | null }>(
      "select assembly_id, name, notify_channel from assemblies where assembly_id = any($1::text[])",
      [ids],
    );
    for (const x of a.rows) assemblies.set(x.assembly_id, { name: x.name, notify_channel: x.notify_channel });
  }
  return rows.map((r) =>
    toNotificationCase({
      caseId: r.id,
      version: r.report_version,
      event: o.event,
      changes: [],
      impact: r.result,
      fallbackMpn: r.mpn,
      lastShipDate: r.last_ship_date,
      assemblies,
      publicBaseUrl: o.publicBaseUrl,
      now: o.now,
      reminder: o.reminders?.get(r.id),
      workflow: {
        state: r.state,
        assignee: r.assignee,
        decision: r.decision
          ? {
              option: r.decision.option,
              quantity: r.decision.quantity,
              decided_by: r.decision.decided_by,
              decided_at: r.decision.decided_at,
            }
          : null,
        last: r.last,
      },
      provisional: r.provisional,
    }),
  );
}
