import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { noticePagePath } from "../../../src/http/console.paths.ts";
import { api, query } from "../api/client.ts";
import type { DeadLettersResponse, ReplayAllResponse, ReplayResponse, SessionInfo } from "../api/types.ts";
import { ErrorNote, Issues, Loading } from "../components/ui.tsx";
import { instant, label } from "../format.ts";

/**
 * Dead letters (DESIGN §12): work that failed for good or ran out of retries. An admin replays one
 * or all; a replay resumes at the phase that failed (those done are not rerun).
 */
export function DeadLettersPage({ session }: { session: SessionInfo }) {
  const qc = useQueryClient();
  const [includeReplayed, setIncludeReplayed] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const list = useQuery({
    queryKey: ["dead-letters", includeReplayed],
    queryFn: ({ signal }) =>
      api<DeadLettersResponse>(
        `/v1/dead-letters${query({ include_replayed: includeReplayed, limit: 500 })}`,
        {
          signal,
        },
      ),
    refetchInterval: 10_000,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ["dead-letters"] });
  const replay = useMutation({
    mutationFn: (id: number) => api<ReplayResponse>(`/v1/dead-letters/${id}/replay`, { method: "POST" }),
    onSuccess: (r) => {
      setDone(`Dead letter ${r.id} is back in the queue (trace ${r.trace_id}).`);
      refresh();
    },
  });
  const replayAll = useMutation({
    mutationFn: () => api<ReplayAllResponse>("/v1/dead-letters/replay-all", { method: "POST" }),
    onSuccess: (r) => {
      setConfirmAll(false);
      setDone(
        `${r.replayed} dead letter${r.replayed === 1 ? " is" : "s are"} back in the queue${r.more ? "; more remain, replay again" : ""}.`,
      );
      refresh();
    },
  });
  const open = list.data?.dead_letters.filter((d) => d.replayed_at === null).length ?? 0;
  return (
    <>
      <h1>Dead letters</h1>
      <p>
        Notices whose processing failed permanently or ran out of retries. Replaying one puts it back in the
        queue; it resumes at the phase that failed.
      </p>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={includeReplayed}
            onChange={(e) => setIncludeReplayed(e.target.checked)}
          />
          Show replayed ones too
        </label>
        {session.can.admin ? (
          confirmAll ? (
            <fieldset className="confirm">
              <legend className="visually-hidden">Confirm</legend>
              Replay all {open} open dead letters?{" "}
              <button
                type="button"
                className="primary"
                onClick={() => replayAll.mutate()}
                disabled={replayAll.isPending}
              >
                Yes, replay all
              </button>{" "}
              <button type="button" className="secondary" onClick={() => setConfirmAll(false)}>
                Cancel
              </button>
            </fieldset>
          ) : (
            <button type="button" onClick={() => setConfirmAll(true)} disabled={open === 0}>
              Replay all…
            </button>
          )
        ) : (
          <span className="muted">Replaying needs the admin role.</span>
        )}
      </div>
      <p role="status" aria-live="polite" className="live">
        {done}
      </p>
      {replay.error && <Issues error={replay.error} />}
      {replayAll.error && <Issues error={replayAll.error} />}
      {list.isPending ? (
        <Loading what="dead letters" />
      ) : list.isError ? (
        <ErrorNote error={list.error} what="the dead letters" />
      ) : list.data.dead_letters.length === 0 ? (
        <p className="empty">No dead letters{includeReplayed ? "" : " waiting"}: everything was processed.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Dead letters, most recent failure first</caption>
            <thead>
              <tr>
                <th scope="col">Failed</th>
                <th scope="col">Notice</th>
                <th scope="col">Phase</th>
                <th scope="col">Error</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.dead_letters.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    #{d.id} · {instant(d.failed_at)}
                  </th>
                  <td>
                    <Link href={noticePagePath(d.trace_id)}>{label(d.route)}</Link>
                    <div className="sub">{d.source}</div>
                  </td>
                  <td>{d.phase}</td>
                  <td>
                    <details>
                      <summary>
                        <span className={`badge ${d.permanent ? "tone-bad" : "tone-warn"}`}>
                          {d.permanent ? "permanent" : "retries exhausted"}
                        </span>{" "}
                        {d.error.length > 90 ? `${d.error.slice(0, 90)}…` : d.error}
                      </summary>
                      <pre className="raw small">{d.error}</pre>
                      <p className="sub mono">trace {d.trace_id}</p>
                    </details>
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td>
                    {d.replayed_at ? (
                      <span className="sub">replayed {instant(d.replayed_at)}</span>
                    ) : session.can.admin ? (
                      <button
                        type="button"
                        onClick={() => replay.mutate(d.id)}
                        disabled={replay.isPending}
                        aria-label={`Replay dead letter ${d.id}`}
                      >
                        Replay
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
