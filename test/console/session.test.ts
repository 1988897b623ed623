import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "../../src/store/driver.ts";
import { createAuthService } from "../../src/users/auth.service.ts";
import { createSessions } from "../../src/users/sessions.service.ts";
import { addUser, disableUser } from "../../src/users/users.service.ts";
import { startTestApp } from "../support/gateway.ts";
import { describeEachStore, openTestStore } from "../support/stores.ts";
import { assess, importCorpusBom, ltbNotice } from "../workflow/workflow.fixture.ts";

/**
 * Console sign-in (DESIGN §12) over real HTTP on both stores: a user token (or API_TOKEN) becomes an
 * HttpOnly, SameSite=Strict session cookie that acts as that user with that user's role; calls that
 * change something by cookie must come from this site; sign-out, a disabled user and a rotated
 * API_TOKEN end sessions at once, and unused ones lapse.
 */
const ADMIN = "console-session-admin-token";
type App = Awaited<ReturnType<typeof startTestApp>>;

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0]!;
}

describeEachStore("console sessions", (kind) => {
  let db: SqlDriver;
  let app: App;
  let caseId: string;
  const tokens: Record<string, string> = {};

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(app.url + path, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const signIn = async (token: string, headers: Record<string, string> = { origin: app.url }) =>
    call("POST", "/v1/session", headers, { token });
  const version = async (cookie: string) =>
    ((await (await call("GET", `/v1/cases/${caseId}`, { cookie })).json()) as { version: number }).version;

  beforeAll(async () => {
    db = await openTestStore(kind);
    await importCorpusBom(db);
    const [out] = await assess(db, "s-1", new Date("2026-12-01T09:00:00Z"), [ltbNotice()]);
    caseId = out!.case_id!;
    for (const [name, role] of [
      ["Ada Admin", "admin"],
      ["Dan Decider", "decider"],
      ["Vera Viewer", "viewer"],
    ] as const) {
      const u = await addUser(db, { name, role }, new Date());
      if (u.kind !== "created") throw new Error(`user ${name} not created`);
      tokens[role] = u.token;
    }
    app = await startTestApp(db, { API_TOKEN: ADMIN, PUBLIC_BASE_URL: "https://eol.example.com" });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it("exchanges a user token for an HttpOnly, SameSite=Strict session cookie naming the user and role", async () => {
    const res = await signIn(tokens.decider!);
    expect(res.status).toBe(200);
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/^eolgate_session=[A-Za-z0-9_-]{43};/);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/");
    expect(set).not.toContain("Secure");
    expect(await res.json()).toMatchObject({
      authenticated: true,
      open: false,
      user: { name: "Dan Decider", role: "decider", via: "session" },
      can: { act: true, admin: false },
    });
    const again = await call("GET", "/v1/session", { cookie: cookieOf(res) });
    expect(await again.json()).toMatchObject({ authenticated: true, user: { name: "Dan Decider" } });
    // Without the cookie the browser is nobody, and the API says so.
    expect(await (await call("GET", "/v1/session")).json()).toMatchObject({
      authenticated: false,
      user: null,
    });
    expect((await call("GET", "/v1/cases")).status).toBe(401);
  });

  it("refuses a wrong or missing token and sets no cookie", async () => {
    const wrong = await signIn("eg_u000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.json()).toMatchObject({ error: "unauthorized" });
    const empty = await call("POST", "/v1/session", { origin: app.url }, {});
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ error: "validation_failed", issues: [{ path: "token" }] });
  });

  it("acts as the signed-in user, from this site only", async () => {
    const cookie = cookieOf(await signIn(tokens.decider!));
    const act = (headers: Record<string, string>, v: number) =>
      call(
        "POST",
        `/v1/cases/${caseId}/actions`,
        { cookie, ...headers },
        { action: "comment", version: v, text: "hi" },
      );
    const noOrigin = await act({}, await version(cookie));
    expect(noOrigin.status).toBe(403);
    expect(await noOrigin.json()).toMatchObject({ error: "foreign_origin" });
    const foreign = await act({ origin: "https://evil.example" }, await version(cookie));
    expect(foreign.status).toBe(403);
    expect((await act({ origin: app.url }, await version(cookie))).status).toBe(200);
    // PUBLIC_BASE_URL's origin is this site too (a proxy in front), and a Referer stands in for Origin.
    expect((await act({ origin: "https://eol.example.com" }, await version(cookie))).status).toBe(200);
    expect((await act({ referer: `${app.url}/cases/${caseId}` }, await version(cookie))).status).toBe(200);
    const events = (await (await call("GET", `/v1/cases/${caseId}/events`, { cookie })).json()) as {
      events: { actor: string }[];
    };
    expect(events.events.map((e) => e.actor)).toEqual(["Dan Decider", "Dan Decider", "Dan Decider"]);
    // A bearer token is not ambient: scripts need no Origin.
    const bearer = await call(
      "POST",
      `/v1/cases/${caseId}/actions`,
      { authorization: `Bearer ${tokens.decider}` },
      { action: "comment", version: await version(cookie), text: "from a script" },
    );
    expect(bearer.status).toBe(200);
  });

  it("gives a viewer's session reading and nothing else", async () => {
    const res = await signIn(tokens.viewer!);
    expect(await res.json()).toMatchObject({ user: { role: "viewer" }, can: { act: false, admin: false } });
    const cookie = cookieOf(res);
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(200);
    const refused = await call(
      "POST",
      `/v1/cases/${caseId}/actions`,
      { cookie, origin: app.url },
      { action: "acknowledge", version: await version(cookie) },
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "forbidden", needed: "decider", role: "viewer" });
    const replay = await call("POST", "/v1/dead-letters/replay-all", { cookie, origin: app.url });
    expect(replay.status).toBe(403);
  });

  it("ends a session at sign-out, clearing the cookie", async () => {
    const cookie = cookieOf(await signIn(tokens.admin!));
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(200);
    const out = await call("DELETE", "/v1/session", { cookie, origin: app.url });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^eolgate_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(401);
    expect(await (await call("GET", "/v1/session", { cookie })).json()).toMatchObject({
      authenticated: false,
    });
    expect((await call("DELETE", "/v1/session", { cookie, origin: "https://evil.example" })).status).toBe(
      403,
    );
  });

  it("treats an unknown or lapsed session cookie as nobody: 401, and offers sign-in", async () => {
    const unknown = `eolgate_session=${"A".repeat(43)}`;
    expect((await call("GET", "/v1/cases", { cookie: unknown })).status).toBe(401);
    expect(await (await call("GET", "/v1/session", { cookie: unknown })).json()).toMatchObject({
      authenticated: false,
    });
    const cookie = cookieOf(await signIn(tokens.viewer!));
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(200);
    // The session's lapse passes (the store's clock is the only thing moved).
    await db.query("update console_sessions set expires_at = now() - interval '1 second'");
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(401);
    expect(await (await call("GET", "/v1/session", { cookie })).json()).toMatchObject({
      authenticated: false,
    });
  });

  it("ends a disabled user's sessions at once", async () => {
    const u = await addUser(db, { name: "Temp Worker", role: "decider" }, new Date());
    if (u.kind !== "created") throw new Error("not created");
    const cookie = cookieOf(await signIn(u.token));
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(200);
    await disableUser(db, "Temp Worker", new Date());
    expect((await call("GET", "/v1/cases", { cookie })).status).toBe(401);
  });

  it("signs in with API_TOKEN as the bootstrap admin; rotating the token ends those sessions", async () => {
    const res = await signIn(ADMIN);
    expect(await res.json()).toMatchObject({
      user: { name: "api-token", role: "admin" },
      can: { admin: true },
    });
    const cookie = cookieOf(res);
    expect((await call("GET", "/v1/users", { cookie })).status).toBe(200);
    const rotated = await startTestApp(db, { API_TOKEN: `${ADMIN}-rotated` });
    try {
      expect((await fetch(`${rotated.url}/v1/users`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await rotated.close();
    }
  });

  it("refuses a sign-in posted from another site", async () => {
    const res = await signIn(tokens.decider!, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("console sessions behind a proxy", () => {
  let db: SqlDriver;
  let token: string;
  beforeAll(async () => {
    db = await openTestStore("pglite");
    const u = await addUser(db, { name: "Proxy User", role: "viewer" }, new Date());
    if (u.kind !== "created") throw new Error("not created");
    token = u.token;
  });
  afterAll(() => db.close());

  const signInOver = async (app: App, proto: string) =>
    fetch(`${app.url}/v1/session`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-proto": proto,
        origin: `${proto}://${new URL(app.url).host}`,
      },
      body: JSON.stringify({ token }),
    });

  it("marks the cookie Secure (and sends HSTS) when a trusted proxy says the browser came over TLS", async () => {
    const trusted = await startTestApp(db, { TRUST_PROXY: "true" });
    try {
      const res = await signInOver(trusted, "https");
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toContain("Secure");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect((await signInOver(trusted, "http")).headers.get("set-cookie")).not.toContain("Secure");
    } finally {
      await trusted.close();
    }
  });

  it("ignores X-Forwarded-Proto unless TRUST_PROXY says to trust it", async () => {
    const plain = await startTestApp(db, {});
    try {
      // The forwarded origin is https, the request is http: a cookie call from "another" origin.
      const res = await signInOver(plain, "https");
      expect(res.status).toBe(403);
    } finally {
      await plain.close();
    }
  });
});

describe("sessions in time", () => {
  it("lapse after SESSION_TTL_HOURS unused, last while used, and end 30 days after sign-in", async () => {
    const db = await openTestStore("pglite");
    try {
      const u = await addUser(db, { name: "Clock User", role: "viewer" }, new Date());
      if (u.kind !== "created") throw new Error("not created");
      const sessions = createSessions({
        db,
        auth: createAuthService({ db, apiToken: undefined }),
        apiToken: undefined,
        ttlHours: 1,
      });
      const t0 = new Date("2026-12-01T08:00:00Z");
      const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
      const s = await sessions.signIn(u.token, t0);
      if (s.kind !== "signed_in") throw new Error("refused");
      expect(await sessions.resolve(s.secret, at(59))).toMatchObject({ principal: { name: "Clock User" } });
      // Used at 59 min, so it lasts to 1 h 59 min.
      expect(await sessions.resolve(s.secret, at(118))).not.toBeNull();
      expect(await sessions.resolve(s.secret, at(118 + 61))).toBeNull();
      // Used every 7 hours (an 8-hour TTL), it still ends 30 days after sign-in.
      const daily = createSessions({
        db,
        auth: createAuthService({ db, apiToken: undefined }),
        apiToken: undefined,
        ttlHours: 8,
      });
      const long = await daily.signIn(u.token, t0);
      if (long.kind !== "signed_in") throw new Error("refused");
      let alive = 0;
      for (let m = 7 * 60; m <= 31 * 24 * 60; m += 7 * 60) {
        if (!(await daily.resolve(long.secret, at(m)))) break;
        alive = m;
      }
      expect(alive).toBeGreaterThan(29.5 * 24 * 60);
      expect(alive).toBeLessThanOrEqual(30 * 24 * 60);
      expect(await sessions.resolve("not-a-session", t0)).toBeNull();
      expect((await sessions.signIn("wrong", t0)).kind).toBe("refused");
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("an open local trial", () => {
  it("needs no sign-in, says so, and refuses changes posted from another site", async () => {
    const db = await openTestStore("pglite");
    const app = await startTestApp(db, { CURRENCY: "EUR" });
    try {
      expect(await (await fetch(`${app.url}/v1/session`)).json()).toMatchObject({
        authenticated: true,
        open: true,
        // The console writes every amount in the installation's currency.
        currency: "EUR",
        user: { name: "anonymous", via: "open" },
        can: { act: true, admin: true },
      });
      const post = (headers: Record<string, string>) =>
        fetch(`${app.url}/v1/dead-letters/replay-all`, { method: "POST", headers });
      expect((await post({ origin: "https://evil.example" })).status).toBe(403);
      expect((await post({ origin: app.url })).status).toBe(202);
      // A script (no Origin) may, as it could before the console existed.
      expect((await post({})).status).toBe(202);
    } finally {
      await app.close();
      await db.close();
    }
  }, 120_000);
});
