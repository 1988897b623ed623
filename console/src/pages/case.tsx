import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { CONSOLE_PAGES, noticePagePath } from "../../../src/http/console.paths.ts";
import { api } from "../api/client.ts";
import type { CaseContext, CaseDetail, CaseEventsResponse, SessionInfo } from "../api/types.ts";
import { ErrorNote, Loading, SeverityBadge, StateBadge } from "../components/ui.tsx";
import { day, daysFromNow, label, money } from "../format.ts";
import { CaseDecision } from "./case-decide.tsx";
import { CaseHistory } from "./case-history.tsx";
import { CaseImpact } from "./case-impact.tsx";
import { AssemblyTree, CaseNotices } from "./case-sources.tsx";

/**
 * One case (DESIGN §12): what happened, what it costs and why, what to do and by when, who decided
 * what. The case and its history are polled every few seconds (an unchanged case costs a 304), so a
 * decision made by someone else shows up here, announced to screen readers.
 */
const POLL_MS = 4_000;

export const caseKey = (id: string) => ["case", id] as const;
export const eventsKey = (id: string) => ["case-events", id] as const;

export function CasePage({ id, session }: { id: string; session: SessionInfo }) {
  const detail = useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) => api<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: POLL_MS,
  });
  const events = useQuery({
    queryKey: eventsKey(id),
    queryFn: ({ signal }) =>
      api<CaseEventsResponse>(`/v1/cases/${encodeURIComponent(id)}/events`, { signal }),
    refetchInterval: POLL_MS,
  });
  const reportVersion = detail.data?.report_version;
  const context = useQuery({
    queryKey: ["case-context", id, reportVersion],
    queryFn: ({ signal }) => api<CaseContext>(`/v1/cases/${encodeURIComponent(id)}/context`, { signal }),
    enabled: reportVersion !== undefined,
    staleTime: 300_000,
  });
  const news = useNews(events.data, session);

  if (detail.isPending) return <Loading what="the case" />;
  if (detail.isError) return <ErrorNote error={detail.error} what="this case" />;
  const c = detail.data;
  const latest = c.reports[c.reports.length - 1]?.result;
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href={CONSOLE_PAGES.cases}>Cases</Link> <span aria-hidden="true">›</span> {c.part.mpn}
      </nav>
      <header className="case-head">
        <h1>
          <span className="mpn">{c.part.mpn}</span> <span className="maker">{c.part.manufacturer}</span>
        </h1>
        <p className="badges">
          <SeverityBadge severity={c.severity} /> <StateBadge state={c.state} />{" "}
          <span className="badge tone-plain">{c.status.toUpperCase()}</span>{" "}
          <span className="badge tone-plain">{label(c.event_kind)}</span>
          {c.pcn_id && <span className="badge tone-plain">PCN {c.pcn_id}</span>}
        </p>
      </header>
      <p className="live" role="status" aria-live="polite">
        {news}
      </p>
      <dl className="facts">
        <div>
          <dt>Revenue at risk</dt>
          <dd className="big">{money(c.revenue_at_risk)}</dd>
        </div>
        <div>
          <dt>Recommendation</dt>
          <dd className="big">{label(c.recommendation)}</dd>
          {c.recommendation !== "none" && <dd>P&L impact {money(c.pnl_impact)}</dd>}
        </div>
        <div>
          <dt>Decide by</dt>
          <dd className="big">{day(c.decision_by)}</dd>
          {c.decision_by && <dd>{daysFromNow(c.days_to_decision)}</dd>}
        </div>
        <div>
          <dt>Stock runs out</dt>
          <dd className="big">{c.run_out_date ?? (latest?.covered ? "covered" : "–")}</dd>
          {c.coverage_months !== null && <dd>{c.coverage_months} months of cover</dd>}
        </div>
        <div>
          <dt>Last-time buy</dt>
          <dd className="big">{day(c.ltb_date)}</dd>
          {c.ltb_date && <dd>{daysFromNow(c.days_to_ltb)}</dd>}
        </div>
        <div>
          <dt>Assignee</dt>
          <dd className="big">{c.assignee ?? "nobody"}</dd>
          <dd>version {c.version}</dd>
        </div>
      </dl>
      <div className="case-grid">
        <div className="case-main">
          <CaseDecision c={c} session={session} transitions={context.data?.transitions} />
          {latest && <CaseImpact c={c} r={latest} explanation={context.data?.explanation ?? []} />}
        </div>
        <div className="case-side">
          <section aria-labelledby="tree-h">
            <h2 id="tree-h">Affected assemblies</h2>
            {context.isError ? (
              <ErrorNote error={context.error} what="the assembly tree" />
            ) : context.data ? (
              <AssemblyTree tree={context.data.tree} mpn={c.part.mpn} affected={c.affected_assemblies} />
            ) : (
              <Loading what="the assembly tree" />
            )}
          </section>
          <CaseHistory events={events.data?.events} error={events.error} />
        </div>
      </div>
      <section aria-labelledby="notices-h">
        <h2 id="notices-h">Notices ({c.notices_linked.length})</h2>
        <CaseNotices c={c} excerpts={context.data?.excerpts} loading={context.isPending} />
        <p className="muted">
          Each notice's full record (phases, extraction, raw payload) is on its{" "}
          {c.notices_linked[0] ? (
            <Link href={noticePagePath(c.notices_linked[0].trace_id)}>notice page</Link>
          ) : (
            "notice page"
          )}
          .
        </p>
      </section>
    </>
  );
}

/**
 * A sentence for the live region when someone else acted on the case while this page was open: the
 * newest event, once, if it is newer than any event this page has seen and not this person's.
 */
function useNews(ev: CaseEventsResponse | undefined, session: SessionInfo): string {
  const known = useRef<number | null>(null);
  const [news, setNews] = useState("");
  const me = session.user?.name;
  useEffect(() => {
    if (!ev) return;
    const last = ev.events[ev.events.length - 1];
    const version = last?.version ?? 0;
    if (known.current !== null && last && version > known.current && last.actor !== me) {
      setNews(
        `${last.actor} ${pastTense(last.action)} this case just now; the page shows the case as it is now.`,
      );
    }
    known.current = Math.max(known.current ?? 0, version);
  }, [ev, me]);
  return news;
}

const PAST: Record<string, string> = {
  acknowledge: "acknowledged",
  assign: "assigned",
  decide: "decided",
  start: "started mitigating",
  close: "closed",
  dismiss: "dismissed",
  reopen: "reopened",
  comment: "commented on",
};
export const pastTense = (action: string) => PAST[action] ?? `${action}d`;
