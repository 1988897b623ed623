import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useSearchParams } from "wouter";
import { noticePagePath } from "../../../src/http/console.paths.ts";
import { api, query } from "../api/client.ts";
import type { NoticeListItem, NoticeSearchResponse } from "../api/types.ts";
import { Confidence, ErrorNote, Loading, Pager } from "../components/ui.tsx";
import { instant, label } from "../format.ts";

/**
 * Notices (DESIGN §12): every accepted notice, newest first, found by trace id, maker, part number,
 * receipt day or status. Each opens its record: phases, extraction, raw payload.
 */
const PAGE = 50;
const FIELDS = ["trace_id", "manufacturer", "mpn", "from", "to", "status"] as const;

export function NoticesPage() {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(FIELDS.map((k) => [k, params.get(k) ?? ""])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const q = query({ ...values, limit: PAGE, offset });
  const found = useQuery({
    queryKey: ["notices", q],
    queryFn: ({ signal }) => api<NoticeSearchResponse>(`/v1/notices${q}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of FIELDS) {
      const v = String(data.get(k) ?? "").trim();
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  return (
    <>
      <h1>Notices</h1>
      <form className="filters" aria-label="Search notices" onSubmit={submit} key={params.toString()}>
        <label>
          Trace id
          <input name="trace_id" defaultValue={values.trace_id} placeholder="uuid" size={36} />
        </label>
        <label>
          Maker
          <input
            name="manufacturer"
            defaultValue={values.manufacturer}
            placeholder="sender or manufacturer"
          />
        </label>
        <label>
          Part number
          <input name="mpn" defaultValue={values.mpn} placeholder="contains…" />
        </label>
        <label>
          Received from
          <input name="from" type="date" defaultValue={values.from} />
        </label>
        <label>
          to
          <input name="to" type="date" defaultValue={values.to} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={values.status}>
            <option value="">Any</option>
            {["received", "processing", "completed", "dead"].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {found.isPending ? (
        <Loading what="notices" />
      ) : found.isError ? (
        <ErrorNote error={found.error} what="the notices" />
      ) : (
        <>
          <NoticeTable notices={found.data.notices} />
          <Pager
            offset={offset}
            limit={PAGE}
            total={null}
            shown={found.data.notices.length}
            onPage={(o) => {
              const next = new URLSearchParams(params);
              next.set("offset", String(o));
              setParams(next);
            }}
            noun="notices"
          />
        </>
      )}
    </>
  );
}

export function NoticeTable({
  notices,
  showConfidence = false,
}: {
  notices: NoticeListItem[];
  showConfidence?: boolean;
}) {
  if (notices.length === 0) return <p className="empty">No notice matches.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Notices, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Parts</th>
            <th scope="col">Route and source</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.trace_id}>
              <th scope="row">
                <Link href={noticePagePath(n.trace_id)}>{instant(n.received_at)}</Link>
                <div className="sub mono">{n.trace_id}</div>
              </th>
              <td>
                {n.parts.length === 0 ? (
                  <span className="muted">none found</span>
                ) : (
                  <ul className="plain">
                    {n.parts.map((p, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the notice's index is its identity
                      <li key={i}>
                        <span className="mpn">{p.mpn}</span>{" "}
                        <span className="maker">{p.manufacturer ?? ""}</span>{" "}
                        <span className="badge tone-plain">{p.lifecycle_status.toUpperCase()}</span>
                        {(showConfidence || p.needs_review) && <Confidence value={p.confidence} />}
                        {p.needs_review && <span className="badge tone-warn">needs review</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {label(n.route)}
                <div className="sub">{n.source}</div>
              </td>
              <td>
                <span className={`badge status-${n.status}`}>{n.status}</span>
                {n.phase && <div className="sub">at {n.phase}</div>}
                {n.last_error && <div className="sub error-text">{n.last_error}</div>}
              </td>
              <td className="num">{n.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
