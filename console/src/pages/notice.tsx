import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { CONSOLE_PAGES, casePagePath } from "../../../src/http/console.paths.ts";
import { api } from "../api/client.ts";
import type { NoticeStatus, RawPayload } from "../api/types.ts";
import { Confidence, ErrorNote, Loading } from "../components/ui.tsx";
import { day, duration, instant, label, money } from "../format.ts";

/**
 * One accepted notice (DESIGN §12): where it is in the pipeline (each phase with its attempts,
 * timing and error), what the extractor read from it and how sure it was, the cases it made, and the
 * payload exactly as received.
 */
interface Extracted {
  manufacturer: string | null;
  mpn: string;
  lifecycle_status: string;
  notice_type: string;
  pcn_id: string | null;
  ltb_date: string | null;
  last_ship_date: string | null;
  replacement_mpn: string | null;
}
interface Scored {
  confidence?: number;
  needs_review?: boolean;
  matched_by?: string;
  reasons?: string[];
  source?: { part: string; layout: string; line: number | null };
}
interface CaseLink {
  notice_index: number;
  case_id: string | null;
  revenue_at_risk: number;
  recommendation: string;
  note?: string;
}
interface ErrorEntry {
  phase?: string;
  message: string;
  at?: string;
  dead_letter_id?: number;
}

export function NoticePage({ traceId }: { traceId: string }) {
  const status = useQuery({
    queryKey: ["notice", traceId],
    queryFn: ({ signal }) => api<NoticeStatus>(`/v1/notices/${encodeURIComponent(traceId)}`, { signal }),
    refetchInterval: (q) =>
      q.state.data?.status === "completed" || q.state.data?.status === "dead" ? false : 2_000,
  });
  if (status.isPending) return <Loading what="the notice" />;
  if (status.isError) return <ErrorNote error={status.error} what="this notice" />;
  const n = status.data;
  const notices = n.notices as Extracted[];
  const scored = ((n.extraction?.sources as Scored[] | undefined) ?? []) as Scored[];
  const message = n.extraction?.message as { from: string | null; subject: string } | undefined;
  const cases = n.cases as CaseLink[];
  const errors = n.errors as ErrorEntry[];
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href={CONSOLE_PAGES.notices}>Notices</Link> <span aria-hidden="true">›</span>{" "}
        <span className="mono">{n.trace_id}</span>
      </nav>
      <h1>{message?.subject ?? `${label(n.route)} from ${n.source}`}</h1>
      <p className="badges">
        <span className={`badge status-${n.status}`}>{n.status}</span>{" "}
        {n.phase && <span className="badge tone-plain">phase {n.phase}</span>}{" "}
        <span className="badge tone-plain">{n.attempts} attempt(s)</span>
      </p>
      <dl className="facts small">
        <div>
          <dt>Received</dt>
          <dd>{instant(n.received_at)}</dd>
        </div>
        <div>
          <dt>Route</dt>
          <dd>{label(n.route)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{message?.from ?? n.source}</dd>
        </div>
        <div>
          <dt>Trace id</dt>
          <dd className="mono">{n.trace_id}</dd>
        </div>
      </dl>

      <section aria-labelledby="phases-h" className="panel">
        <h2 id="phases-h">Phases</h2>
        <PhaseTimeline phases={n.phases} />
        {errors.length > 0 && (
          <div className="note error">
            <strong>Errors</strong>
            <ul>
              {errors.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: errors have no identity beyond their order
                <li key={i}>
                  {e.phase && <strong>{e.phase}: </strong>}
                  {e.message}
                  {e.at && <span className="sub"> ({instant(e.at)})</span>}
                  {e.dead_letter_id !== undefined && (
                    <>
                      {" "}
                      — <Link href={CONSOLE_PAGES.deadLetters}>dead letter {e.dead_letter_id}</Link>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-labelledby="extract-h" className="panel">
        <h2 id="extract-h">Extraction</h2>
        {notices.length === 0 ? (
          <p className="muted">
            {n.status === "completed"
              ? "No lifecycle notice was found in this message."
              : "Not extracted yet."}
          </p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Notices extracted from this message</caption>
              <thead>
                <tr>
                  <th scope="col">Part</th>
                  <th scope="col">Status</th>
                  <th scope="col">LTB / last ship</th>
                  <th scope="col">Replacement</th>
                  <th scope="col">Confidence</th>
                  <th scope="col">Case</th>
                </tr>
              </thead>
              <tbody>
                {notices.map((x, i) => {
                  const s = scored[i];
                  const made = cases.filter((c) => c.notice_index === i);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the notice's index is its identity
                    <tr key={i}>
                      <th scope="row">
                        <span className="mpn">{x.mpn}</span>{" "}
                        <span className="maker">{x.manufacturer ?? "maker unknown"}</span>
                        {x.pcn_id && <div className="sub">PCN {x.pcn_id}</div>}
                      </th>
                      <td>
                        {x.lifecycle_status.toUpperCase()}
                        <div className="sub">{label(x.notice_type)}</div>
                      </td>
                      <td>
                        {day(x.ltb_date)} / {day(x.last_ship_date)}
                      </td>
                      <td>{x.replacement_mpn ?? "–"}</td>
                      <td>
                        <Confidence value={s?.confidence ?? null} />
                        {s?.needs_review && <span className="badge tone-warn">needs review</span>}
                        {s?.matched_by && <div className="sub">found by {label(s.matched_by)}</div>}
                        {s?.source && (
                          <div className="sub">
                            {s.source.part}, {s.source.layout}
                            {s.source.line !== null ? `, line ${s.source.line}` : ""}
                          </div>
                        )}
                        {s?.reasons && s.reasons.length > 0 && (
                          <div className="sub">{s.reasons.join("; ")}</div>
                        )}
                      </td>
                      <td>
                        {made.length === 0
                          ? "–"
                          : made.map((c) =>
                              c.case_id ? (
                                <div key={c.case_id}>
                                  <Link href={casePagePath(c.case_id)}>
                                    {money(c.revenue_at_risk)} at risk
                                  </Link>
                                  <div className="sub">{label(c.recommendation)}</div>
                                </div>
                              ) : (
                                <div key={`none-${c.notice_index}`} className="sub">
                                  {c.note ?? "no BOM part matched"}
                                </div>
                              ),
                            )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <RawPayloadSection traceId={n.trace_id} />
    </>
  );
}

function PhaseTimeline({ phases }: { phases: NoticeStatus["phases"] }) {
  if (phases.length === 0) return <p className="muted">No phase has run yet.</p>;
  const start = Math.min(...phases.map((p) => Date.parse(p.started_at)));
  const end = Math.max(...phases.map((p) => Date.parse(p.finished_at)));
  const span = Math.max(1, end - start);
  return (
    <ol className="phases">
      {phases.map((p) => {
        const left = ((Date.parse(p.started_at) - start) / span) * 100;
        const width = Math.max(1.5, (p.duration_ms / span) * 100);
        return (
          <li key={p.phase} className={`phase phase-${p.status}`}>
            <span className="phase-name">{p.phase}</span>
            <span className="phase-track" aria-hidden="true">
              <span
                className="phase-bar"
                style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
              />
            </span>
            <span className="phase-info">
              {p.status === "ok" ? "done" : "failed"} in {duration(p.duration_ms)} · {p.attempts} attempt
              {p.attempts === 1 ? "" : "s"}
              {p.error && <span className="error-text"> · {p.error}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function RawPayloadSection({ traceId }: { traceId: string }) {
  const [open, setOpen] = useState(false);
  const raw = useQuery({
    queryKey: ["notice-raw", traceId],
    queryFn: ({ signal }) => api<RawPayload>(`/v1/notices/${encodeURIComponent(traceId)}/raw`, { signal }),
    enabled: open,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <section aria-labelledby="raw-h" className="panel">
      <h2 id="raw-h">Raw payload</h2>
      <button type="button" aria-expanded={open} aria-controls="raw-body" onClick={() => setOpen(!open)}>
        {open ? "Hide" : "Show"} the payload as received
      </button>
      <div id="raw-body" hidden={!open}>
        {open &&
          (raw.isPending ? (
            <Loading what="the payload" />
          ) : raw.isError ? (
            <ErrorNote error={raw.error} what="the payload" />
          ) : (
            <>
              <p className="sub">
                {raw.data.content_type} · {raw.data.bytes.toLocaleString("en-US")} bytes
                {raw.data.truncated ? " (first 256 KiB shown)" : ""}
              </p>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
              <pre className="raw" tabIndex={0}>
                {raw.data.text}
              </pre>
            </>
          ))}
      </div>
    </section>
  );
}
