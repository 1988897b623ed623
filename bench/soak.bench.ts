/**
 * Soak (issue 18): one embedded gateway (`eolgate serve`, pipeline running) under ~200 req/s of
 * mixed traffic for SOAK_MINUTES (default 30, at most 30): new alerts, repeats of earlier alerts,
 * e-mails (raw MIME through the Mailgun route, and forwarded JSON), and bad requests (malformed JSON,
 * wrong media type, wrong shape). Every 10 s it samples the server's RSS, V8 heap and event-loop
 * delay from its /metrics, the notices completed, and the answers of the interval; it writes
 * bench/results/soak-<time>.json and a chart, docs/benchmarks/soak.png (SVG drawn by Debian's
 * Chromium through playwright-core). Bounded in time and count, loopback only.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { soakChartSvg, svgToPng } from "./soak.chart.ts";

const ROOT = join(import.meta.dirname, "..");
const MINUTES = Math.min(30, Number(process.env.SOAK_MINUTES ?? 30));
const RATE = Number(process.env.SOAK_RATE ?? 200);
const SAMPLE_MS = 10_000;
const CORPUS = join(ROOT, "..", "shared", "corpus", "emails");

interface Sample {
  t: number;
  rss_mb: number;
  heap_used_mb: number;
  heap_total_mb: number;
  external_mb: number;
  eventloop_p99_ms: number;
  eventloop_max_ms: number;
  requests: number;
  by_status: Record<string, number>;
  ack_p50_ms: number;
  ack_p99_ms: number;
  inbox: number;
  completed: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

function sum(text: string, name: string, filter: RegExp): number {
  let total = 0;
  for (const line of text.split("\n"))
    if (line.startsWith(name) && filter.test(line)) total += Number(line.split(" ").at(-1));
  return total;
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function main(): Promise<void> {
  // SOAK_RENDER=bench/results/soak-….json draws the chart of an earlier run again, without a run.
  if (process.env.SOAK_RENDER) {
    const r = JSON.parse(readFileSync(process.env.SOAK_RENDER, "utf8")) as {
      minutes: number;
      rate: number;
      samples: Sample[];
    };
    const svg = soakChartSvg(r.samples, { minutes: r.minutes, rate: r.rate });
    writeFileSync(join(ROOT, "docs", "benchmarks", "soak.svg"), svg);
    await svgToPng(svg, join(ROOT, "docs", "benchmarks", "soak.png"));
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "eolgate-soak-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, "bin", "eolgate.js"), "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      EOLGATE_FROM_SOURCE: "1",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      LLM_PROVIDER: "none",
      INGEST_RATE_LIMIT_MAX: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const stopChild = () => child.kill("SIGKILL");
  process.once("exit", stopChild);
  try {
    for (let i = 0; ; i++) {
      if (
        await request(`${base}/healthz`).then(
          async (r) => {
            await r.body.dump();
            return r.statusCode === 200;
          },
          () => false,
        )
      )
        break;
      if (i > 1200) throw new Error("gateway did not start within 120 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const emails = readdirSync(CORPUS)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => readFileSync(join(CORPUS, f), "latin1"));
    const agent = new Agent({ connections: 32 });
    let n = 0;
    const interval = { statuses: {} as Record<string, number>, acks: [] as number[], requests: 0 };
    const one = async () => {
      const i = n++;
      const kind = i % 20;
      let path = "/v1/ingest/component-alert";
      let headers: Record<string, string> = { "content-type": "application/json" };
      let body: string;
      if (kind < 10) {
        body = JSON.stringify({
          source_platform: "SiliconExpert",
          manufacturer_code: "TI",
          part_number: `SOAK${i}`,
          lifecycle_status: i % 3 ? "EOL" : "LTB",
          ltb_date: "2027-06-30",
          raw_context: `soak notice ${i}`.repeat(5),
        });
      } else if (kind < 13) {
        // A provider retry: an earlier alert again (a duplicate).
        const j = Math.max(0, i - 20 * (1 + (i % 7)));
        body = JSON.stringify({
          source_platform: "SiliconExpert",
          manufacturer_code: "TI",
          part_number: `SOAK${j - (j % 20)}`,
          lifecycle_status: (j - (j % 20)) % 3 ? "EOL" : "LTB",
          ltb_date: "2027-06-30",
          raw_context: `soak notice ${j - (j % 20)}`.repeat(5),
        });
      } else if (kind < 15) {
        path = "/v1/ingest/email/mailgun";
        headers = { "content-type": "application/x-www-form-urlencoded" };
        // Each message made distinct (its Message-ID) so the pipeline reads it again.
        const eml = emails[i % emails.length]!.replace(
          /^Message-ID:.*$/im,
          `Message-ID: <soak-${i}@example.com>`,
        );
        body = new URLSearchParams({ recipient: "pcn@example.com", "body-mime": eml }).toString();
      } else if (kind < 16) {
        path = "/v1/ingest/email-forward";
        body = JSON.stringify({
          sender_domain: "ti.com",
          subject_line: `PDN ${i}: TPS54331D`,
          body_content: `TI announces the discontinuance of TPS54331D. Last time buy: 2027-03-31. Ref ${i}.`,
          message_id: `<fwd-${i}@ti.com>`,
        });
      } else if (kind === 16) body = '{"source_platform": "x", "part_number":';
      else if (kind === 17) {
        headers = { "content-type": "text/plain" };
        body = "hello";
      } else if (kind === 18) body = JSON.stringify({ source_platform: "x", part_number: "P\u0000" });
      else {
        path = `/v1/parts/SOAK${i}/where-used`;
        body = "";
      }
      const t0 = performance.now();
      try {
        const res = await request(base + path, {
          method: body ? "POST" : "GET",
          headers,
          body: body || undefined,
          dispatcher: agent,
        });
        await res.body.dump();
        interval.statuses[res.statusCode] = (interval.statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 202) interval.acks.push(performance.now() - t0);
      } catch {
        interval.statuses.error = (interval.statuses.error ?? 0) + 1;
      }
      interval.requests++;
    };

    const samples: Sample[] = [];
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    const inflight = new Set<Promise<void>>();
    // Sampling on its own timer, so a lagging generator loop neither skips nor doubles samples.
    const sample = async () => {
      const text = await request(`${base}/metrics`, { dispatcher: agent }).then((r) => r.body.text());
      const s: Sample = {
        t: Math.round((Date.now() - started) / 1000),
        rss_mb: metric(text, "process_resident_memory_bytes") / 2 ** 20,
        heap_used_mb: metric(text, "nodejs_heap_size_used_bytes") / 2 ** 20,
        heap_total_mb: metric(text, "nodejs_heap_size_total_bytes") / 2 ** 20,
        external_mb: metric(text, "nodejs_external_memory_bytes") / 2 ** 20,
        eventloop_p99_ms: metric(text, "nodejs_eventloop_lag_p99_seconds") * 1000,
        eventloop_max_ms: metric(text, "nodejs_eventloop_lag_max_seconds") * 1000,
        requests: interval.requests,
        by_status: interval.statuses,
        ack_p50_ms: pct(interval.acks, 50),
        ack_p99_ms: pct(interval.acks, 99),
        inbox: sum(text, "eolgate_ingest_requests_total", /result="accepted"/),
        completed: sum(text, "eolgate_notices_total", /outcome="completed"/),
      };
      samples.push(s);
      console.error(
        `t=${s.t}s rss=${s.rss_mb.toFixed(0)}MB heap=${s.heap_used_mb.toFixed(0)}MB loop p99=${s.eventloop_p99_ms.toFixed(0)}ms ` +
          `req=${s.requests} ack p99=${s.ack_p99_ms.toFixed(0)}ms accepted=${s.inbox} completed=${s.completed} ${JSON.stringify(s.by_status)}`,
      );
      interval.statuses = {};
      interval.acks = [];
      interval.requests = 0;
    };
    let sampling = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling
        .then(sample)
        .catch((err: unknown) => console.error(`sample failed: ${(err as Error).message}`));
    }, SAMPLE_MS);
    // Open-loop pacing: requests are started on schedule whether or not earlier ones answered
    // (capped at 2,000 in flight so a stalled server cannot exhaust the generator).
    for (let k = 0; Date.now() < end; k++) {
      const due = started + (k * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inflight.size < 2000) {
        const p = one().finally(() => inflight.delete(p));
        inflight.add(p);
      }
    }
    clearInterval(sampler);
    await sampling;
    await Promise.all(inflight);
    await agent.close();
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const result = { bench: "soak", at: new Date().toISOString(), minutes: MINUTES, rate: RATE, samples };
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(
      join(ROOT, "bench", "results", `soak-${stamp}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    mkdirSync(join(ROOT, "docs", "benchmarks"), { recursive: true });
    const svg = soakChartSvg(samples, { minutes: MINUTES, rate: RATE });
    writeFileSync(join(ROOT, "docs", "benchmarks", "soak.svg"), svg);
    await svgToPng(svg, join(ROOT, "docs", "benchmarks", "soak.png"));
    console.error(`wrote bench/results/soak-${stamp}.json and docs/benchmarks/soak.png`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 3000));
    stopChild();
    process.off("exit", stopChild);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
