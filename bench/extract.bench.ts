/**
 * Extraction benchmark (issue 5): messages per second on one core over the labelled corpus, and the
 * peak RSS of extracting a 40 MB message with a 5,000-row spreadsheet attachment (measured in a
 * child process so the corpus run does not inflate it). Run: node --import tsx bench/extract.bench.ts
 * Writes bench/results/extract.json.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { extractFromEmail } from "../src/extract/extract.email.ts";
import { parseMime } from "../src/mail/mime.ts";
import type { NormalizedEmail } from "../src/mail/normalized-email.ts";
import { BIG_NOTICE_ROWS, bigNoticeMpn, makeBigNotice } from "./fixtures/big-notice.ts";

const CORPUS = "/work/shared/corpus/emails";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function throughput(
  emails: readonly NormalizedEmail[],
): Promise<{ messages: number; perSecond: number; perCpuSecond: number }> {
  for (let i = 0; i < 5; i++) for (const e of emails) await extractFromEmail(e, { now: new Date() }); // warm-up
  let n = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SECONDS * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (const e of emails) {
      await extractFromEmail(e, { now: new Date() });
      n++;
    }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  // CPU time too: on a shared machine wall time counts other processes' turns.
  const used = process.cpuUsage(cpu);
  const cpuSecs = (used.user + used.system) / 1e6;
  return { messages: n, perSecond: Math.round(n / secs), perCpuSecond: Math.round(n / cpuSecs) };
}

async function bigChild(): Promise<void> {
  const raw = await makeBigNotice();
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = process.hrtime.bigint();
  const email = await parseMime(raw, "json");
  const result = await extractFromEmail(email, { now: new Date() });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const found = new Set(result.notices.map((n) => n.mpn));
  let hits = 0;
  for (let i = 0; i < BIG_NOTICE_ROWS; i++) if (found.has(bigNoticeMpn(i))) hits++;
  process.stdout.write(
    JSON.stringify({
      message_bytes: raw.byteLength,
      rows: BIG_NOTICE_ROWS,
      parts_found: hits,
      notices: result.notices.length,
      elapsed_ms: Math.round(ms),
      rss_before_mb: Math.round(before / 2 ** 20),
      peak_rss_mb: Math.round(peak / 2 ** 20),
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv.includes("--big-child")) return bigChild();
  const files = readdirSync(CORPUS)
    .filter((f) => f.endsWith(".eml"))
    .sort();
  const emails = await Promise.all(files.map(async (f) => parseMime(readFileSync(join(CORPUS, f)), "json")));
  const bodyOnly = emails.filter((e) => e.attachments.length === 0);
  const textHtml = await throughput(bodyOnly);
  const all = await throughput(emails);
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--expose-gc", fileURLToPath(import.meta.url), "--big-child"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  const big = child.status === 0 ? JSON.parse(child.stdout) : { error: child.stderr.slice(-2000) };
  const results = {
    measured_at: new Date().toISOString(),
    node: process.version,
    load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
    corpus_text_html: {
      messages_per_s: textHtml.perSecond,
      messages_per_cpu_s: textHtml.perCpuSecond,
      files: bodyOnly.length,
      target_per_s: 200,
    },
    corpus_all: { messages_per_s: all.perSecond, messages_per_cpu_s: all.perCpuSecond, files: emails.length },
    big_notice: big,
  };
  writeFileSync(
    join(fileURLToPath(new URL("./results/", import.meta.url)), "extract.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log(JSON.stringify(results, null, 2));
}

await main();
