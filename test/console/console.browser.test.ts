import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpFake } from "../fakes/http-fake.base.ts";
import { type SeFake, startFakeSiliconExpert } from "../fakes/siliconexpert.fake.ts";
import { startFakeSlack } from "../fakes/slack.fake.ts";
import { waitFor } from "../pipeline/pipeline.support.ts";
import {
  type AxeViolation,
  ensureConsoleBuilt,
  launchChromium,
  screenshotDir,
  seriousA11yViolations,
} from "../support/browser.ts";
import {
  type ConsoleGateway,
  EXAMPLE_BOM,
  sendExampleNotices,
  startConsoleGateway,
  waitForTraces,
} from "./console.support.ts";

/**
 * The whole loop of issue 13 in Debian's Chromium against a real embedded gateway: sign in, upload a
 * BOM (a bad row first), send notices and watch the cases appear, open one, decide it as a decider
 * while an admin watches it update live, see the event; a viewer reads and is refused; a dead letter
 * (a notification outage) is replayed from the page. Every page is checked with axe-core (no serious
 * or critical violation), for CSP refusals, at 1280 px and on a phone, and screenshotted.
 */
const ADMIN = "console-browser-admin-token";
const PUBLIC = "https://eolgate.kestrel.example";
const PHONE = { width: 390, height: 844 };
let g: ConsoleGateway;
let slack: HttpFake;
/** A polled source with nothing to report, so Health shows a source's last poll. */
let se: SeFake;
let browser: Browser;
let shots: string;
const tmp = mkdtempSync(join(tmpdir(), "eolgate-browser-"));
const tokens: Record<"admin" | "decider" | "viewer", string> = { admin: "", decider: "", viewer: "" };
const problems: string[] = [];
const a11y: { page: string; violations: AxeViolation[] }[] = [];
/** Only an explicit EOLGATE_SKIP_BROWSER=1 skips; a missing Chromium fails the run (launchChromium). */
const SKIP = process.env.EOLGATE_SKIP_BROWSER === "1";

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(g.url + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A browser context for one person, collecting CSP refusals and page errors. */
async function person(viewport = { width: 1280, height: 900 }): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { ctx, page };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${g.url}/`);
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Follows a link of the main navigation. */
function nav(page: Page, name: string): Promise<void> {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
}

/** Checks accessibility and takes the page's screenshot (full page). */
async function look(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  a11y.push({ page: name, violations: await seriousA11yViolations(page) });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (SKIP) return;
  ensureConsoleBuilt();
  shots = screenshotDir(join(tmp, "shots"));
  slack = await startFakeSlack();
  se = await startFakeSiliconExpert();
  g = await startConsoleGateway({
    API_TOKEN: ADMIN,
    SLACK_WEBHOOK_URL: slack.url,
    PUBLIC_BASE_URL: PUBLIC,
    MAX_RETRIES: "0",
    SILICONEXPERT_LOGIN: se.options.login,
    SILICONEXPERT_API_KEY: se.options.apiKey,
    SILICONEXPERT_BASE_URL: se.baseUrl,
    SILICONEXPERT_WATCH_BOM: "false",
    SILICONEXPERT_SCAN_INTERVAL_HOURS: "0",
    SOURCE_TICK_SECONDS: "0.2",
  });
  for (const [role, name] of [
    ["admin", "Ada Admin"],
    ["decider", "Dan Decider"],
    ["viewer", "Vera Viewer"],
  ] as const) {
    tokens[role] = (await api<{ token: string }>("POST", "/v1/users", { name, role })).token;
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await g?.close();
  await slack?.close();
  await se?.http.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(SKIP)("the console in a browser", { timeout: 120_000 }, () => {
  let ada: Page;
  let dan: Page;
  let caseUrl: string;

  it("signs a person in with their token (and refuses a wrong one)", async () => {
    ada = (await person()).page;
    await ada.goto(`${g.url}/cases`);
    await ada.getByLabel("Token").waitFor();
    await look(ada, "sign-in");
    await ada.getByLabel("Token").fill("eg_u000000000000_wrongwrongwrongwrongwrongwrongwrongwrong12");
    await ada.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => ada.getByRole("alert").textContent()).toMatch(/wrong token/);
    await signIn(ada, tokens.admin);
    await ada.getByRole("heading", { name: "Cases" }).waitFor();
    const cookie = (await ada.context().cookies()).find((c) => c.name === "eolgate_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(await ada.evaluate("document.cookie")).toBe("");
    expect(await ada.getByText("No case matches these filters.").isVisible()).toBe(true);
  });

  it("uploads a BOM with a progress bar; a bad row is listed and nothing is imported", async () => {
    await nav(ada, "BOM");
    const bad = join(tmp, "parts.csv");
    writeFileSync(
      bad,
      "manufacturer,mpn,unit_cost,on_hand,on_order,lifecycle_status\nAcme,OK-1,1.00,5,0,active\nAcme,BAD-2,cheap,5,0,active\n",
    );
    await ada.locator('input[name="parts"]').setInputFiles(bad);
    await ada.getByRole("button", { name: "Upload and import" }).click();
    const errors = ada.getByRole("alert");
    await expect.poll(() => errors.textContent()).toMatch(/Nothing was imported/);
    expect(await errors.locator("table").textContent()).toMatch(/parts\.csv.*3.*unit_cost/);
    await look(ada, "bom-errors");

    for (const f of ["assemblies", "parts", "bom", "alternates"]) {
      await ada.locator(`input[name="${f}"]`).setInputFiles(join(EXAMPLE_BOM, `${f}.csv`));
    }
    await ada.getByRole("button", { name: "Upload and import" }).click();
    await expect
      .poll(() => ada.getByRole("status").filter({ hasText: "Imported" }).textContent())
      .toMatch(/Imported: 8 assemblies, 19 parts, 30 BOM lines, 4 alternates/);
    await ada.getByLabel("Part number").fill("TPS54331D");
    await ada.getByRole("button", { name: "Find" }).click();
    await ada.getByRole("cell", { name: "on its own BOM" }).first().waitFor();
    await look(ada, "bom");
  });

  it("shows cases appear as notices arrive, with totals and the timeline", async () => {
    await nav(ada, "Cases");
    const traces = await sendExampleNotices(g.url);
    await waitForTraces(g.url, traces, { authorization: `Bearer ${ADMIN}` });
    // No reload: the list polls.
    await ada.getByRole("link", { name: /TPS54331D/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => ada.locator("table.cases tbody tr").count(), { timeout: 30_000 }).toBe(7);
    expect(await ada.getByLabel("Totals of the selected cases").textContent()).toMatch(
      /Revenue at risk\$[\d,]+7 cases/,
    );
    expect(await ada.locator("figure.chart canvas").count()).toBeGreaterThan(0);
    await look(ada, "cases");
  });

  it("links stakeholder messages to the case page, which explains the case", async () => {
    await waitFor(
      async () => slack.accepted().length,
      (n) => n > 0,
      "a Slack message",
    );
    const links = slack
      .accepted()
      .flatMap(
        (r) =>
          JSON.stringify(r.json).match(/https:\/\/eolgate\.kestrel\.example\/cases\/[0-9a-f-]{36}/g) ?? [],
      );
    expect(links.length).toBeGreaterThan(0);
    const tps = await api<{ cases: { id: string }[] }>("GET", "/v1/cases?q=TPS54331D");
    caseUrl = `/cases/${tps.cases[0]!.id}`;
    expect(links).toContain(`${PUBLIC}${caseUrl}`);
    await ada.goto(g.url + caseUrl);
    await ada.getByRole("heading", { name: /TPS54331D/ }).waitFor();
    // The source excerpt names the part, highlighted; options show their formula inputs.
    await ada.locator("blockquote.excerpt mark", { hasText: "TPS54331D" }).first().waitFor();
    expect(await ada.locator("table.options").textContent()).toMatch(/Q × unit cost × holding rate × H ÷ 2/);
    expect(await ada.getByRole("list", { name: /Assemblies that use TPS54331D/ }).textContent()).toMatch(
      /KC-P200/,
    );
    await ada.getByText("Nobody has acted on this case yet.").waitFor();
  });

  it("lets a decider decide while an admin watches the case update live", async () => {
    dan = (await person()).page;
    await signIn(dan, tokens.decider);
    await dan.goto(g.url + caseUrl);
    await dan.getByRole("radio", { name: /last time buy/ }).check();
    await dan.getByLabel("Reference (PO or ECO number)").fill("PO-4711");
    await dan.getByLabel("Note").fill("Buy at the LTB; qualify the drop-in in parallel.");
    await dan.getByRole("button", { name: "Decide: last time buy" }).click();
    await expect
      .poll(() => dan.locator(".decision").textContent())
      .toMatch(/last time buy.*PO-4711.*Dan Decider/);
    // Ada's page was open all along: it polls, announces and shows the event.
    await expect
      .poll(() => ada.getByRole("status").filter({ hasText: "just now" }).textContent(), { timeout: 20_000 })
      .toMatch(/Dan Decider decided this case just now/);
    expect(await ada.locator("ol.events").textContent()).toMatch(
      /Dan Decider decided.*open → decided.*PO-4711/,
    );
    expect(await ada.locator(".decision").textContent()).toMatch(/PO-4711/);
    await look(ada, "case");
  });

  it("shows a viewer the case without a decision form, and the API refuses the viewer's action", async () => {
    const vera = (await person()).page;
    await signIn(vera, tokens.viewer);
    await vera.goto(g.url + caseUrl);
    await vera.getByText("acting on it needs the decider role").waitFor();
    expect(await vera.getByRole("button", { name: /Decide/ }).count()).toBe(0);
    expect(await vera.getByRole("button", { name: "Start mitigating" }).count()).toBe(0);
    const id = caseUrl.split("/").pop()!;
    const refused = await vera.evaluate(async (caseId) => {
      const c = (await (await fetch(`/v1/cases/${caseId}`)).json()) as { version: number };
      const res = await fetch(`/v1/cases/${caseId}/actions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action: "start", version: c.version }),
      });
      return { status: res.status, body: await res.json() };
    }, id);
    expect(refused).toMatchObject({ status: 403, body: { error: "forbidden", needed: "decider" } });
    await nav(vera, "Dead letters");
    await vera.getByText("Replaying needs the admin role.").waitFor();
    await nav(vera, "BOM");
    await vera.getByText("Importing the BOM needs the admin role.").waitFor();
  });

  it("replays a dead letter after an outage", async () => {
    // The notification channel's outage: the outbox refuses rows, and with MAX_RETRIES=0 the notice dies.
    await g.gw.db.exec(
      "alter table notify_outbox add constraint console_test_outage check (false) not valid",
    );
    const res = await fetch(`${g.url}/v1/ingest/component-alert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        source_platform: "SiliconExpert",
        manufacturer_code: "onsemi",
        part_number: "NCP1117ST33T3G",
        lifecycle_status: "LTB",
        ltb_date: "2027-06-30",
        raw_context: "onsemi NCP1117ST33T3G: last time buy 2027-06-30.",
      }),
    });
    const trace = ((await res.json()) as { trace_id: string }).trace_id;
    await waitForTraces(g.url, [trace], { authorization: `Bearer ${ADMIN}` });
    await g.gw.db.exec("alter table notify_outbox drop constraint console_test_outage");

    await nav(ada, "Dead letters");
    const row = ada.getByRole("row", { name: /notify/ });
    await row.waitFor();
    await look(ada, "dead-letters");
    await row.getByRole("button", { name: /Replay dead letter/ }).click();
    await expect
      .poll(() => ada.getByRole("status").filter({ hasText: "back in the queue" }).textContent())
      .toMatch(/trace/);
    await waitFor(
      async () => (await api<{ status: string }>("GET", `/v1/notices/${trace}`)).status,
      (s) => s === "completed",
      "the replayed notice",
    );
    await ada.getByText("everything was processed").waitFor({ timeout: 20_000 });
  });

  it("finds a notice and shows its phases, extraction and raw payload", async () => {
    await nav(ada, "Notices");
    await ada.getByLabel("Part number").fill("CY7C68013");
    await ada.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => ada.locator("table tbody tr").count()).toBe(1);
    await look(ada, "notices");
    await ada.locator("table tbody tr a").first().click();
    await ada.getByRole("heading", { name: "Phases" }).waitFor();
    expect(await ada.locator("ol.phases").textContent()).toMatch(/extract.*assess.*persist.*notify/);
    expect(await ada.getByRole("meter").first().getAttribute("aria-label")).toMatch(/confidence \d+%/);
    await ada.getByRole("button", { name: /Show the payload/ }).click();
    await expect.poll(() => ada.locator("pre.raw").textContent()).toMatch(/CY7C68013A/);
    await look(ada, "notice");
  });

  it("reviews a notice the extractor was unsure of: corrected from the page", async () => {
    // A relayed e-mail (no maker, no notice id, the part in a sentence): it lands in the review queue.
    const res = await fetch(`${g.url}/v1/ingest/email-forward`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        sender_domain: "components-relay.example",
        subject_line: "FYI parts news",
        body_content:
          "Hello,\nHeard PIC16F877A-I/PT is being discontinued, last time buy 2027-04-30.\nRegards",
      }),
    });
    const trace = ((await res.json()) as { trace_id: string }).trace_id;
    await waitForTraces(g.url, [trace], { authorization: `Bearer ${ADMIN}` });
    await nav(ada, "Review");
    const item = ada.getByRole("article", { name: /PIC16F877A-I\/PT/ });
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator("blockquote.excerpt mark").textContent()).toBe("PIC16F877A-I/PT");
    await look(ada, "review");
    await item.getByRole("button", { name: "Correct…" }).click();
    await item.getByLabel("Last-time-buy date").fill("2027-05-31");
    await item.getByLabel("Note (optional)").fill("The maker's PCN says May.");
    await item.getByRole("button", { name: "Save the correction" }).click();
    await item.waitFor({ state: "detached", timeout: 20_000 });
    const queue = await api<{
      items: {
        trace_id: string;
        status: string;
        corrected: { ltb_date: string } | null;
        decision: { by: string } | null;
      }[];
    }>("GET", "/v1/review?status=corrected");
    expect(queue.items.find((i) => i.trace_id === trace)).toMatchObject({
      status: "corrected",
      corrected: { ltb_date: "2027-05-31" },
      decision: { by: "Ada Admin" },
    });
  });

  it("shows the gateway's health", async () => {
    await nav(ada, "Health");
    await ada.getByRole("heading", { name: "Circuit breakers" }).waitFor();
    expect(await ada.getByLabel("Summary").textContent()).toMatch(/Queue depth\d+/);
    // The SiliconExpert source polled (the fake has nothing new): its last success is shown.
    await expect
      .poll(
        () =>
          ada
            .getByRole("region", { name: "Polled sources" })
            .locator("tr", { has: ada.getByRole("rowheader", { name: "siliconexpert", exact: true }) })
            .textContent(),
        { timeout: 30_000 },
      )
      .toMatch(/UTC \(.* ago\)/);
    await look(ada, "health");
  });

  it("works from the keyboard alone: skip link, a case, an action", async () => {
    const { page } = await person();
    await signIn(page, tokens.decider);
    await page.goto(`${g.url}/cases?q=MMBT3904`);
    await page.getByRole("link", { name: /MMBT3904LT1G/ }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Skip to content");
    const reach = async (test: () => Promise<boolean>) => {
      for (let i = 0; i < 80; i++) {
        if (await test()) return;
        await page.keyboard.press("Tab");
      }
      throw new Error("not reachable by Tab");
    };
    await reach(
      async () =>
        (
          await page.evaluate<string | null>("document.activeElement?.getAttribute('href') ?? null")
        )?.startsWith("/cases/") === true,
    );
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /MMBT3904LT1G/ }).waitFor();
    await reach(async () => (await page.evaluate("document.activeElement?.textContent")) === "Acknowledge");
    await page.keyboard.press("Enter");
    await page.locator("ol.events").getByText("acknowledged", { exact: false }).first().waitFor();
    expect(await page.locator(".badges .badge.state-acknowledged").count()).toBe(1);
  });

  it("fits a phone: no sideways scrolling on the cases and case pages", async () => {
    const { page } = await person(PHONE);
    await signIn(page, tokens.viewer);
    for (const [path, name] of [
      ["/cases", "cases-phone"],
      [caseUrl, "case-phone"],
    ] as const) {
      await page.goto(g.url + path);
      await page.locator("main h1").waitFor();
      await page.waitForLoadState("networkidle");
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      expect({ name, overflow }).toEqual({ name, overflow: 0 });
      await look(page, name);
    }
  });

  it("had no serious accessibility violation, CSP refusal or page error anywhere", () => {
    expect(a11y.filter((p) => p.violations.length > 0)).toEqual([]);
    expect(a11y.map((p) => p.page)).toEqual(
      expect.arrayContaining([
        "sign-in",
        "bom",
        "cases",
        "case",
        "dead-letters",
        "notices",
        "notice",
        "review",
        "health",
      ]),
    );
    expect(problems).toEqual([]);
  });
});
