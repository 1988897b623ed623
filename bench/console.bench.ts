/**
 * Console benchmark (issue 13): the Cases page with 10,000 cases, and the console's initial JS.
 *
 * Seeds an embedded gateway (PGlite on disk, as `npm start` runs) with a generated BOM of
 * CONSOLE_CASES parts over 400 assemblies and one last-time-buy or EOL notice per part, assessed by
 * the real case service (so every case has its impact report, severity and decide-by). Then Debian's
 * Chromium opens /cases signed in, RUNS times in a fresh browser context each (cold cache: the
 * bundle is fetched every time), and measures from navigation start to the first meaningful render:
 * the first page of case rows and the totals on screen. A second figure opens the page in the same
 * context again (warm: hashed assets from cache). Also records the time of the two API calls the
 * page waits on, and the gzipped size of the JS index.html loads before anything else. Measured in
 * the process that took the cases in, and again after a restart on the same store.
 *
 * Run: npm run bench:console (CONSOLE_CASES=1000 for a quick run). Writes bench/results/console.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { bomSourcesFromDir } from "../src/bom/bom.files.ts";
import { importBom } from "../src/bom/bom.import.ts";
import { assessNotices } from "../src/cases/cases.service.ts";
import type { ExtractedNotice } from "../src/extract/notice.ts";
import { DEFAULT_IMPACT_SETTINGS } from "../src/impact/impact.settings.ts";
import type { SqlDriver } from "../src/store/driver.ts";
import { startConsoleGateway } from "../test/console/console.support.ts";
import { ensureConsoleBuilt, launchChromium } from "../test/support/browser.ts";
import { rng } from "./rng.ts";
import { makerOf, mpnOf as syntheticMpn } from "./synthetic-parts.ts";

const CASES = Number(process.env.CONSOLE_CASES ?? 10_000);
const RUNS = Number(process.env.CONSOLE_RUNS ?? 10);
const ASSEMBLIES = 400;
const TOKEN = "console-bench-admin-token";
const ROOT = join(import.meta.dirname, "..");
const mpnOf = (i: number) => syntheticMpn("CB", i);

/** Four CSVs: ASSEMBLIES products, CASES parts, each part on one to three assemblies. */
function writeBom(dir: string): void {
  const rand = rng(13);
  const day = (y0: number, span: number) =>
    new Date(Date.UTC(y0, 0, 1) + Math.floor(rand() * span * 365) * 86_400_000).toISOString().slice(0, 10);
  const asm = ["assembly_id,name,annual_demand,unit_price,end_of_production,notify_channel"];
  for (let a = 0; a < ASSEMBLIES; a++)
    asm.push(
      `A${a},Product ${a},${100 + Math.floor(rand() * 20_000)},${50 + Math.floor(rand() * 2000)},${day(2029, 6)},`,
    );
  const parts = ["manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status"];
  const bom = ["parent_assembly_id,child_type,child_ref,child_manufacturer,qty_per"];
  for (let i = 0; i < CASES; i++) {
    parts.push(
      `${makerOf(i)},${mpnOf(i)},${(0.05 + rand() * 20).toFixed(2)},${Math.floor(rand() * 50_000)},0,active`,
    );
    const holders = new Set<number>();
    const n = 1 + Math.floor(rand() * 3);
    while (holders.size < n) holders.add(Math.floor(rand() * ASSEMBLIES));
    for (const a of holders) bom.push(`A${a},part,${mpnOf(i)},${makerOf(i)},${1 + Math.floor(rand() * 4)}`);
  }
  writeFileSync(join(dir, "assemblies.csv"), `${asm.join("\n")}\n`);
  writeFileSync(join(dir, "parts.csv"), `${parts.join("\n")}\n`);
  writeFileSync(join(dir, "bom.csv"), `${bom.join("\n")}\n`);
}

function noticeOf(i: number, rand: () => number): ExtractedNotice {
  const eol = rand() < 0.2;
  const ltb = new Date(Date.UTC(2027, 0, 1) + Math.floor(rand() * 700) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return {
    manufacturer: makerOf(i),
    mpn: mpnOf(i),
    lifecycle_status: eol ? "eol" : "ltb",
    notice_type: "discontinuance",
    pcn_id: `PCN-${i}`,
    ltb_date: eol ? null : ltb,
    last_ship_date: null,
    replacement_mpn: null,
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** The JS index.html loads up front (its module script and modulepreloads), raw and gzipped. */
function initialJs(): { files: string[]; bytes: number; gzip_bytes: number } {
  const dist = join(ROOT, "dist", "console");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let bytes = 0;
  let gz = 0;
  for (const f of files) {
    const b = readFileSync(join(dist, f));
    bytes += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { files, bytes, gzip_bytes: gz };
}

/** The generated BOM and one notice per part, assessed by the case service: CASES cases. */
export async function seedCases(db: SqlDriver, work: string): Promise<void> {
  const bomDir = join(work, "bom");
  mkdirSync(bomDir);
  writeBom(bomDir);
  const imported = await importBom(db, bomSourcesFromDir(bomDir));
  if (imported.kind !== "imported") throw new Error(`BOM import: ${JSON.stringify(imported).slice(0, 500)}`);
  const rand = rng(7);
  const BATCH = 200;
  for (let i = 0; i < CASES; i += BATCH) {
    const notices = Array.from({ length: Math.min(BATCH, CASES - i) }, (_, k) => noticeOf(i + k, rand));
    await assessNotices(db, {
      traceId: `bench-${i}`,
      receivedAt: new Date(),
      notices,
      settings: DEFAULT_IMPACT_SETTINGS,
    });
  }
}

interface Figures {
  first_render_ms: { cold: Stat; warm: Stat };
  api_ms: { list: Stat; totals: Stat };
}
interface Stat {
  p50: number;
  max: number;
}
const stat = (xs: number[]): Stat => ({ p50: Math.round(pct(xs, 50)), max: Math.round(Math.max(...xs)) });

/** The two API calls the page waits on, then the page itself in Chromium, RUNS times each. */
async function measure(browser: Browser, url: string, total: number): Promise<Figures> {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const apiMs = { list: [] as number[], totals: [] as number[] };
  for (let r = 0; r < RUNS; r++) {
    for (const [k, path] of [
      ["list", "/v1/cases?state=open,acknowledged,decided,mitigating&sort=exposure&limit=50&offset=0"],
      ["totals", "/v1/cases/totals?state=open,acknowledged,decided,mitigating&sort=exposure"],
    ] as const) {
      const s = performance.now();
      const res = await fetch(url + path, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      apiMs[k].push(performance.now() - s);
    }
  }
  const cold: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const signIn = await page.request.post(`${url}/v1/session`, {
      headers: { origin: url },
      data: { token: TOKEN },
    });
    if (signIn.status() !== 200) throw new Error(`sign-in: ${signIn.status()}`);
    for (const into of [cold, warm]) {
      await page.goto(`${url}/cases`, { waitUntil: "commit" });
      await page.locator("table.cases tbody tr").first().waitFor({ timeout: 30_000 });
      await page
        .getByLabel("Totals of the selected cases")
        .getByText(`${total.toLocaleString("en-US")} cases`)
        .waitFor();
      into.push((await page.evaluate("performance.now()")) as number);
    }
    await ctx.close();
  }
  return {
    first_render_ms: { cold: stat(cold), warm: stat(warm) },
    api_ms: { list: stat(apiMs.list), totals: stat(apiMs.totals) },
  };
}

export async function main(): Promise<void> {
  ensureConsoleBuilt();
  const work = mkdtempSync(join(tmpdir(), "eolgate-console-bench-"));
  const env = { API_TOKEN: TOKEN, DATA_DIR: join(work, "data") };
  const browser = await launchChromium();
  let g = await startConsoleGateway(env);
  try {
    const t0 = performance.now();
    await seedCases(g.gw.db, work);
    const seedSeconds = (performance.now() - t0) / 1000;
    const total = (
      (await (
        await fetch(`${g.url}/v1/cases/totals`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as { cases: number }
    ).cases;
    console.error(`seeded ${total} cases in ${seedSeconds.toFixed(1)} s`);
    // The process that took the cases in still plans with the statistics of the store it opened
    // (PGlite runs no autovacuum); a start gathers them (src/store/open.ts). Both are measured.
    const seeded = await measure(browser, g.url!, total);
    await g.close();
    g = await startConsoleGateway(env);
    const restarted = await measure(browser, g.url!, total);
    const result = {
      at: new Date().toISOString(),
      cases: total,
      seed_seconds: Math.round(seedSeconds * 10) / 10,
      runs: RUNS,
      load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
      after_restart: restarted,
      while_seeded_process_runs: seeded,
      initial_js: initialJs(),
      target: { first_render_ms: 1000, initial_js_gzip_bytes: 300 * 1024 },
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(join(ROOT, "bench", "results", "console.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    await g.close();
    rmSync(work, { recursive: true, force: true });
  }
}
