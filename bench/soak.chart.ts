import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/chromium.ts";

/**
 * The soak chart: memory (RSS, heap used) and event-loop delay p99 over time, one panel each, as an
 * SVG written by hand (no chart library to download), and its PNG taken by Debian's Chromium.
 */
export interface ChartSample {
  t: number;
  rss_mb: number;
  heap_used_mb: number;
  eventloop_p99_ms: number;
  requests: number;
  completed: number;
}

const W = 960;
const PANEL_H = 220;
const PAD = { l: 64, r: 24, t: 36, b: 32 };

function panel(
  top: number,
  title: string,
  unit: string,
  xs: number[],
  series: { name: string; color: string; ys: number[] }[],
): string {
  const maxX = Math.max(1, ...xs);
  const maxY = Math.max(1, ...series.flatMap((s) => s.ys.filter(Number.isFinite))) * 1.15;
  const x = (v: number) => PAD.l + (v / maxX) * (W - PAD.l - PAD.r);
  const y = (v: number) => top + PAD.t + (1 - v / maxY) * (PANEL_H - PAD.t - PAD.b);
  const grid: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    grid.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`,
      `<text x="${PAD.l - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#6b7280">${v.toFixed(v < 10 ? 1 : 0)}</text>`,
    );
  }
  for (let m = 0; m <= maxX / 60; m += Math.max(1, Math.round(maxX / 60 / 10))) {
    grid.push(
      `<text x="${x(m * 60)}" y="${top + PANEL_H - 10}" text-anchor="middle" font-size="11" fill="#6b7280">${m} min</text>`,
    );
  }
  const lines = series.map((s) => {
    const pts = xs.map((t, i) => `${x(t).toFixed(1)},${y(s.ys[i] ?? 0).toFixed(1)}`).join(" ");
    return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`;
  });
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${W - PAD.r - 200}" y="${top + 8 + i * 16}" width="12" height="3" fill="${s.color}"/>` +
        `<text x="${W - PAD.r - 182}" y="${top + 13 + i * 16}" font-size="12" fill="#111827">${s.name}</text>`,
    )
    .join("");
  return (
    `<text x="${PAD.l}" y="${top + 20}" font-size="14" font-weight="600" fill="#111827">${title} (${unit})</text>` +
    grid.join("") +
    lines.join("") +
    legend
  );
}

export function soakChartSvg(samples: ChartSample[], meta: { minutes: number; rate: number }): string {
  const xs = samples.map((s) => s.t);
  const H = 3 * PANEL_H + 40;
  const total = samples.reduce((a, s) => a + s.requests, 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">
<title>eolgate soak: memory, event-loop delay and throughput over ${meta.minutes} minutes</title>
<rect width="100%" height="100%" fill="white"/>
<text x="${PAD.l}" y="22" font-size="15" font-weight="700" fill="#111827">eolgate soak: ${meta.minutes} min, ~${meta.rate} req/s mixed traffic, embedded store, pipeline running</text>
<text x="${W - PAD.r}" y="22" font-size="12" text-anchor="end" fill="#6b7280">${total.toLocaleString("en-US")} requests</text>
${panel(40, "Resident memory and V8 heap used", "MiB", xs, [
  { name: "RSS", color: "#2563eb", ys: samples.map((s) => s.rss_mb) },
  { name: "heap used", color: "#16a34a", ys: samples.map((s) => s.heap_used_mb) },
])}
${panel(40 + PANEL_H, "Event-loop delay p99", "ms", xs, [
  { name: "loop delay p99", color: "#dc2626", ys: samples.map((s) => s.eventloop_p99_ms) },
])}
${panel(40 + 2 * PANEL_H, "Answers per sample and notices completed", "count", xs, [
  { name: "answers since last sample", color: "#7c3aed", ys: samples.map((s) => s.requests) },
  { name: "completed (cumulative)", color: "#ea580c", ys: samples.map((s) => s.completed) },
])}
</svg>
`;
}

/** Renders the SVG to a PNG with Debian's Chromium (never a browser download). */
export async function svgToPng(svg: string, out: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: 3 * PANEL_H + 40 } });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
}
