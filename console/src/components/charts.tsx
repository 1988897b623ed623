import { useEffect, useRef } from "react";
import uPlot from "uplot";

/**
 * Charts drawn with uPlot (canvas, ~20 KB gzipped): the Cases page's timeline of LTB, run-out and
 * decide-by dates, and the Health page's series. A chart is a picture for sighted readers; each sits
 * in a <figure> whose caption says what it shows, and the same numbers are in the page's tables.
 */
function useUPlot(build: (width: number) => uPlot.Options, data: uPlot.AlignedData, signature: string) {
  const ref = useRef<HTMLDivElement>(null);
  // The chart is rebuilt when what it shows changes (its signature), not on every render.
  const latest = useRef({ build, data });
  latest.current = { build, data };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature stands for build and data
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = new uPlot(latest.current.build(el.clientWidth || 600), latest.current.data, el);
    const ro = new ResizeObserver(() =>
      chart.setSize({ width: el.clientWidth || 600, height: chart.height }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [signature]);
  return ref;
}

const DAY_S = 86_400;
export const daySeconds = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;

export interface TimelineRow {
  label: string;
  ltb: string | null;
  runOut: string | null;
  decideBy: string | null;
}

const COLORS = { ltb: "#1f5fbf", runOut: "#c0392b", decideBy: "#b7791f", today: "#6b7280" };

/**
 * One row per case (top = first), dates across: a bar from today to the run-out date, a diamond at
 * the LTB date, a square at the decide-by date. Rows without any date are left out.
 */
export function Timeline({ rows, today, caption }: { rows: TimelineRow[]; today: string; caption: string }) {
  const shown = rows.filter((r) => r.ltb || r.runOut || r.decideBy);
  const n = shown.length;
  const series = (pick: (r: TimelineRow) => string | null): [number[], number[]] => {
    const xs: number[] = [];
    const ys: number[] = [];
    shown.forEach((r, i) => {
      const d = pick(r);
      if (d) {
        xs.push(daySeconds(d));
        ys.push(i);
      }
    });
    return [xs, ys];
  };
  // Decide-by first, drawn as an open square a little larger than the others, so an LTB diamond on the
  // same day stays visible inside it.
  const data = [
    null,
    series((r) => r.decideBy),
    series((r) => r.ltb),
    series((r) => r.runOut),
  ] as unknown as uPlot.AlignedData;
  const todayS = daySeconds(today);
  const longest = Math.max(4, ...shown.map((r) => r.label.length));
  const build = (width: number): uPlot.Options => ({
    mode: 2,
    width,
    height: Math.max(160, 28 + n * 18),
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: {
        time: true,
        range: (_u, min, max) => [Math.min(min, todayS) - 15 * DAY_S, Math.max(max, todayS) + 15 * DAY_S],
      },
      y: { range: [-0.6, Math.max(0.6, n - 0.4)], dir: -1 },
    },
    axes: [
      {},
      {
        size: Math.min(220, 16 + longest * 7.2),
        font: "12px ui-monospace, 'DejaVu Sans Mono', monospace",
        splits: () => shown.map((_r, i) => i),
        values: (_u, splits) => splits.map((i) => shown[i]?.label ?? ""),
      },
    ],
    series: [
      {},
      marker("Decide by", COLORS.decideBy, "square"),
      marker("LTB date", COLORS.ltb, "diamond"),
      marker("Runs out", COLORS.runOut, "circle"),
    ],
    hooks: {
      drawClear: [
        (u) => {
          // Today, and a bar per case from today to its run-out date.
          const ctx = u.ctx;
          const x0 = u.valToPos(todayS, "x", true);
          ctx.save();
          ctx.strokeStyle = COLORS.today;
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(x0, u.bbox.top);
          ctx.lineTo(x0, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = "rgba(192, 57, 43, 0.16)";
          shown.forEach((r, i) => {
            if (!r.runOut) return;
            const x1 = u.valToPos(daySeconds(r.runOut), "x", true);
            const y = u.valToPos(i, "y", true);
            ctx.fillRect(
              Math.min(x0, x1),
              y - 5 * devicePixelRatio,
              Math.abs(x1 - x0),
              10 * devicePixelRatio,
            );
          });
          ctx.restore();
        },
      ],
    },
  });
  const ref = useUPlot(build, data, JSON.stringify([shown, today]));
  return (
    <figure className="chart">
      <div ref={ref} role="img" aria-label={caption} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function marker(label: string, color: string, shape: "diamond" | "circle" | "square"): uPlot.Series {
  return {
    label,
    stroke: color,
    fill: color,
    paths: (u, seriesIdx) => {
      const [xs, ys] = (u.data[seriesIdx] as unknown as [number[], number[]]) ?? [[], []];
      const s = 5 * devicePixelRatio;
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = color;
      for (let i = 0; i < xs.length; i++) {
        const x = u.valToPos(xs[i]!, "x", true);
        const y = u.valToPos(ys[i]!, "y", true);
        ctx.beginPath();
        if (shape === "circle") ctx.arc(x, y, s, 0, 2 * Math.PI);
        else if (shape === "square") {
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.strokeStyle = color;
          ctx.strokeRect(x - s * 1.5, y - s * 1.5, s * 3, s * 3);
          continue;
        } else {
          ctx.moveTo(x, y - s * 1.2);
          ctx.lineTo(x + s * 1.2, y);
          ctx.lineTo(x, y + s * 1.2);
          ctx.lineTo(x - s * 1.2, y);
          ctx.closePath();
        }
        ctx.fill();
      }
      ctx.restore();
      return null;
    },
    points: { show: false },
  };
}

/** A few series over time (seconds since the epoch), as lines. */
export function SeriesChart({
  times,
  series,
  caption,
  height = 200,
  window,
}: {
  /** Seconds of history the x axis spans, ending at the last time (the whole series when absent). */
  window?: number;
  times: number[];
  series: { label: string; values: (number | null)[]; color: string }[];
  caption: string;
  height?: number;
}) {
  const data = [times, ...series.map((s) => s.values)] as uPlot.AlignedData;
  const build = (width: number): uPlot.Options => ({
    width,
    height,
    scales: {
      x: {
        time: true,
        ...(window && times.length > 0
          ? { range: [times[times.length - 1]! - window, times[times.length - 1]!] }
          : {}),
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    series: [
      {},
      ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } })),
    ],
  });
  const ref = useUPlot(build, data, JSON.stringify([times, series, height, window]));
  return (
    <figure className="chart">
      <div ref={ref} role="img" aria-label={caption} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
