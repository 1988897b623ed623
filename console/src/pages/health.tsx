import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api } from "../api/client.ts";
import type { HealthSummary, SourcesResponse } from "../api/types.ts";
import { SeriesChart } from "../components/charts.tsx";
import { ErrorNote, Loading, Stat } from "../components/ui.tsx";
import { duration, instant, label, units } from "../format.ts";

/**
 * Health (DESIGN §12): is the gateway keeping up? Queue depth and throughput over the last hour,
 * dead letters, the notification outbox and its outcomes (rate-limited sends included), circuit
 * breakers and the polled sources — this API process's metrics, the same /metrics exposes.
 */
export function HealthPage() {
  const health = useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => api<HealthSummary>("/v1/health", { signal }),
    refetchInterval: 5_000,
  });
  // Polled sources (issue 14, /v1/sources): each one's last successful poll, lag and failure streak.
  const sources = useQuery({
    queryKey: ["sources"],
    queryFn: ({ signal }) => api<SourcesResponse>("/v1/sources", { signal }),
    refetchInterval: 15_000,
  });
  if (health.isPending) return <Loading what="the health summary" />;
  if (health.isError) return <ErrorNote error={health.error} what="the health summary" />;
  const h = health.data;
  const total = (xs: { value: number }[]) => xs.reduce((s, x) => s + x.value, 0);
  const depth = total(h.queue_depth);
  const backlog = total(h.outbox.filter((o) => o.labels.state !== "delivered" && o.labels.state !== "dead"));
  const rateLimited = total(h.notifications.filter((n) => n.labels.outcome === "rate_limited"));
  const ingestLimited = total(h.ingest.filter((n) => n.labels.result === "rate_limited"));
  const openCircuits = h.circuits.filter((c) => c.state !== "closed");
  const times = h.history.map((s) => Date.parse(s.at) / 1000);
  const perMinute = (pick: (s: HealthSummary["history"][number]) => number) =>
    h.history.map((s, i) => {
      if (i === 0) return null;
      const prev = h.history[i - 1]!;
      const dt = (Date.parse(s.at) - Date.parse(prev.at)) / 60_000;
      return dt > 0 ? Math.max(0, (pick(s) - pick(prev)) / dt) : null;
    });
  const polled = sources.data?.sources ?? [];
  return (
    <>
      <h1>Health</h1>
      <p className="muted">
        This process's view, up {Math.round(h.uptime_seconds / 60)} min, as of {instant(h.at)}; refreshed
        every 5 seconds. Counts “since start” restart with the process.
      </p>
      <section className="stats" aria-label="Summary">
        <Stat
          label="Queue depth"
          value={units(depth)}
          hint={h.queue_depth.map((q) => `${q.labels.lane} ${q.value}`).join(", ") || "–"}
          tone={depth > 1000 ? "warn" : undefined}
        />
        <Stat
          label="Dead letters"
          value={h.dead_letters === null ? "–" : units(h.dead_letters)}
          hint="waiting for a replay"
          tone={h.dead_letters ? "bad" : undefined}
        />
        <Stat
          label="Outbox backlog"
          value={units(backlog)}
          hint="notifications not yet delivered"
          tone={backlog > 100 ? "warn" : undefined}
        />
        <Stat
          label="Circuits open"
          value={units(openCircuits.length)}
          hint={openCircuits.map((c) => c.name).join(", ") || `all ${h.circuits.length} closed`}
          tone={openCircuits.length ? "bad" : undefined}
        />
        <Stat
          label="Rate-limited"
          value={units(rateLimited + ingestLimited)}
          hint={`${units(rateLimited)} sends waited, ${units(ingestLimited)} ingest refusals`}
        />
      </section>
      <div className="two">
        <SeriesChart
          caption="Throughput over the last hour, per minute: notices finished by the pipeline and accepted at ingest."
          times={times}
          window={3600}
          series={[
            { label: "finished / min", values: perMinute((s) => s.notices_finished), color: "#1f5fbf" },
            { label: "accepted / min", values: perMinute((s) => s.ingest_accepted), color: "#2f855a" },
          ]}
        />
        <SeriesChart
          caption="Queue depth over the last hour: notices waiting or in progress."
          times={times}
          window={3600}
          series={[{ label: "queue depth", values: h.history.map((s) => s.queue_depth), color: "#b7791f" }]}
        />
      </div>
      <div className="two">
        <section aria-labelledby="circuits-h" className="panel">
          <h2 id="circuits-h">Circuit breakers</h2>
          <CountTable
            head={["Circuit", "State"]}
            rows={h.circuits.map((c) => [
              c.name,
              <span key="s" className={`badge circuit-${c.state}`}>
                {c.state}
              </span>,
            ])}
            empty="No circuit in this process."
          />
        </section>
        <section aria-labelledby="sources-h" className="panel">
          <h2 id="sources-h">Polled sources</h2>
          {sources.isError ? (
            <ErrorNote error={sources.error} what="the sources" />
          ) : (
            <CountTable
              head={["Source", "Last successful poll", "Failures in a row", "Next poll"]}
              rows={polled.map((s) => [
                s.polled ? s.name : `${s.name} (not configured now)`,
                s.last_success_at
                  ? `${instant(s.last_success_at)} (${duration((s.lag_seconds ?? 0) * 1000)} ago)`
                  : "never",
                s.consecutive_failures > 0 ? (
                  <span key="f" className="bad-text" title={s.last_error ?? undefined}>
                    {units(s.consecutive_failures)}
                    {s.last_error ? `: ${s.last_error}` : ""}
                  </span>
                ) : (
                  "0"
                ),
                s.polled ? instant(s.next_run_at) : "–",
              ])}
              empty="No polled source is configured (SiliconExpert and the like); pushed notices need none."
            />
          )}
        </section>
      </div>
      <div className="two">
        <section aria-labelledby="outbox-h" className="panel">
          <h2 id="outbox-h">Notifications</h2>
          <CountTable
            head={["Outbox rows", "Count"]}
            rows={h.outbox.map((o) => [label(o.labels.state ?? "?"), units(o.value)])}
            empty="The outbox is empty."
          />
          <CountTable
            head={["Send attempts (since start)", "Count"]}
            rows={h.notifications.map((n) => [
              `${n.labels.channel} · ${label(n.labels.outcome ?? "?")}`,
              units(n.value),
            ])}
            empty="No send attempted since start."
          />
        </section>
        <section aria-labelledby="pipeline-h" className="panel">
          <h2 id="pipeline-h">Pipeline and ingest (since start)</h2>
          <CountTable
            head={["Notices", "Count"]}
            rows={h.notices.map((n) => [label(n.labels.outcome ?? "?"), units(n.value)])}
            empty="No notice finished since start."
          />
          <CountTable
            head={["Ingest", "Count"]}
            rows={h.ingest.map((n) => [
              `${n.labels.route} · ${label(n.labels.result ?? "?")}`,
              units(n.value),
            ])}
            empty="No ingest request since start."
          />
        </section>
      </div>
    </>
  );
}

function CountTable({ head, rows, empty }: { head: string[]; rows: ReactNode[][]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="compact">
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} scope="col" className={i > 0 && head.length === 2 ? "num" : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed whole each poll
          <tr key={i}>
            {r.map((cell, j) =>
              j === 0 ? (
                <th key={head[j]} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={head[j]} className={head.length === 2 ? "num" : undefined}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
