import { randomBytes } from "node:crypto";
import {
  type FakeBehaviour,
  type FakeRequest,
  type HttpFake,
  type Reply,
  startHttpFake,
} from "./http-fake.base.ts";

/**
 * A fake SiliconExpert ProductAPI that speaks the protocol as the public sources show it
 * (../../../shared/reference/lifecycle-platforms/), disagreements included:
 * - session login (`search/authenticateUser`, form or query `login` + `apiKey`) setting session
 *   cookies; every other call needs them: a missing cookie answers code "39" "You are not
 *   authenticated", an expired session code "1" "Session Expired" (both HTTP 200);
 * - the login answer in the guide's wrapped style (`Status.Code "2"`) or the reference's flat style
 *   (`{"Code": 200, "Success": true}`), a bad key code "5" "Authentication Failed";
 * - search endpoints with string codes (`"0"`, `"true"`), ACL endpoints with numbers and booleans,
 *   the ACL addition with a lowercase `status: "success"` and no wrapper;
 * - updates by date range (`alert/getUpdates`, `ACLAPI/updates`: `MM/dd/yyyy`, at most 30 days back,
 *   `pageNo`) and of the day (`alert/getUpdatesOfTheDay`, `ACLAPI/updates/daily`), as
 *   `updates.partUpdates` lists per kind or as a flat `alerts[]` without envelope; past the last page
 *   code "7" "No result found"; a fromDate after today code "30";
 * - `listPartSearch` (≤ 50 parts), `partDetail` (≤ 50 ComIDs, counted against a quota: code "6"
 *   "Quota Exceeded" when used up), `userStatus`, watch list `alert/listParts` / `alert/addPart`;
 * - every list holding one item sent as a bare object, as the real API does;
 * - HTTP 429 with Retry-After (the shared fake machinery: a rate limit, scripted replies) and, on
 *   request, a page cut off mid-body.
 */

export interface FakeSePart {
  comId: string;
  partNumber: string;
  manufacturer: string;
  lifecycle: string;
  /** As the API writes it (any of its date formats). */
  ltbDate?: string;
  lastShipDate?: string;
  eolNumber?: string;
  /** History entry for the current status, e.g. "Jun 14, 2016". */
  since?: string;
}

export interface FakeSeUpdate {
  /** The day the update belongs to (`YYYY-MM-DD`), for date filtering. */
  day: string;
  kind: "lifecycle" | "pcn" | "rohs";
  /** The record exactly as the API sends it. */
  record: Record<string, unknown>;
}

export interface SeFakeOptions {
  login?: string;
  apiKey?: string;
  parts?: FakeSePart[];
  updates?: FakeSeUpdate[];
  /** The fake's today (`YYYY-MM-DD`); defaults to the real UTC day. */
  today?: () => string;
  pageSize?: number;
  updatesStyle?: "partUpdates" | "alerts";
  authStyle?: "wrapped" | "flat";
  /** partDetail ComIDs left on the account. */
  quota?: number;
  behaviour?: FakeBehaviour;
}

export interface SeFake {
  /** Base URL up to and including /ProductAPI. */
  baseUrl: string;
  http: HttpFake;
  logins: number;
  acl: Set<string>;
  options: Required<Omit<SeFakeOptions, "behaviour">>;
  /** Every session ends now (the next call answers "Session Expired"). */
  expireSessions(): void;
  /** The next answer to a path containing `pathPart` (after `skip` whole ones) is cut off mid-body. */
  truncateNext(pathPart: string, skip?: number): void;
  /** The next answer to a path containing `pathPart` is this reply. */
  inject(pathPart: string, reply: Reply): void;
  /** Requests to paths containing `pathPart`. */
  calls(pathPart: string): number;
  close(): Promise<void>;
}

const json = (body: unknown, status = 200, headers: Record<string, string | string[]> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json;charset=UTF-8", ...headers },
});
const searchStatus = (code: string, message: string, success: boolean) => ({
  Status: { Code: code, Message: message, Success: success ? "true" : "false" },
});
const ok = (extra: Record<string, unknown>) =>
  json({ ...searchStatus("0", "Successful Operation", true), ...extra });
const oneOrMany = <T>(items: T[]): T | T[] => (items.length === 1 ? items[0]! : items);

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}
function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
/** `MM/dd/yyyy` → `YYYY-MM-DD`, or null. */
function fromUs(v: string | null): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v ?? "");
  return m ? `${m[3]}-${m[1]}-${m[2]}` : null;
}

function paramsOf(req: FakeRequest): URLSearchParams {
  const p = new URLSearchParams(req.query);
  const type = String(req.headers["content-type"] ?? "");
  if (type.includes("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(req.raw)) p.set(k, v);
  } else if (type.includes("application/json") && req.raw.trim()) {
    try {
      const body = JSON.parse(req.raw) as Record<string, unknown>;
      if (Array.isArray(body.mpns)) p.set("partNumber", JSON.stringify(body.mpns));
    } catch {}
  }
  return p;
}

function cookiesOf(req: FakeRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export async function startFakeSiliconExpert(opts: SeFakeOptions = {}): Promise<SeFake> {
  const o: SeFake["options"] = {
    login: opts.login ?? "eolgate@example.com",
    apiKey: opts.apiKey ?? "test-api-key-0123",
    parts: opts.parts ?? [],
    updates: opts.updates ?? [],
    today: opts.today ?? utcToday,
    pageSize: opts.pageSize ?? 2,
    updatesStyle: opts.updatesStyle ?? "partUpdates",
    authStyle: opts.authStyle ?? "wrapped",
    quota: opts.quota ?? 10_000,
  };
  const sessions = new Set<string>();
  const expired = new Set<string>();
  const injected: { part: string; reply: Reply | "truncate"; skip: number }[] = [];
  const acl = new Set<string>();
  const counts = new Map<string, number>();
  const fake = {} as SeFake;

  const session = (req: FakeRequest): Reply | null => {
    const id = cookiesOf(req).get("JSESSIONID");
    if (id && sessions.has(id)) return null;
    if (id && expired.has(id)) return json(searchStatus("1", "Session Expired", false));
    return json(searchStatus("39", "You are not authenticated", false));
  };

  const authenticate = (p: URLSearchParams): Reply => {
    if (p.get("login") !== o.login || p.get("apiKey") !== o.apiKey)
      return json(searchStatus("5", "Authentication Failed", false));
    fake.logins++;
    const id = randomBytes(12).toString("hex");
    sessions.add(id);
    // A second cookie, as load balancers add; the session is the first.
    const headers = {
      "set-cookie": [`JSESSIONID=${id}; Path=/ProductAPI; HttpOnly`, `AWSALB=${id.slice(0, 8)}; Path=/`],
    };
    return o.authStyle === "flat"
      ? json({ Code: 200, Message: "Authentication successful", Success: true }, 200, headers)
      : json(searchStatus("2", "Authentication Succeeded", true), 200, headers);
  };

  const updatesReply = (days: { from: string; to: string }, p: URLSearchParams, aclStyle: boolean): Reply => {
    const types = (p.get("alertTypes") ?? "").toLowerCase().split(",").filter(Boolean);
    const all = o.updates.filter(
      (u) => u.day >= days.from && u.day <= days.to && (types.length === 0 || types.includes(u.kind)),
    );
    const page = Number(p.get("pageNo") ?? "1");
    const slice = all.slice((page - 1) * o.pageSize, page * o.pageSize);
    if (slice.length === 0) return json(searchStatus("7", "No result found", false));
    if (o.updatesStyle === "alerts")
      return json({
        alerts: oneOrMany(slice.map((u) => ({ alertType: u.kind, ...u.record }))),
        count: all.length,
        fromDate: days.from,
        toDate: days.to,
      });
    const lists: Record<string, unknown> = {
      updateRange: { from: `${days.from} 00:00 UTC`, to: `${days.to} 23:59 UTC` },
    };
    for (const kind of ["lifecycle", "pcn", "rohs"] as const) {
      const items = slice.filter((u) => u.kind === kind).map((u) => u.record);
      if (items.length > 0) lists[`${kind}Dto`] = oneOrMany(items);
    }
    const status = aclStyle
      ? { Status: { Code: 200, Message: "Success", Success: true } }
      : searchStatus("0", "Successful Operation", true);
    return json({ ...status, updates: { partUpdates: lists } });
  };

  const range = (p: URLSearchParams, aclStyle: boolean): Reply => {
    const from = fromUs(p.get("fromDate"));
    const to = fromUs(p.get("toDate"));
    if (!from || !to)
      return json(searchStatus("3", "Invalid Parameters: fromDate and toDate are MM/dd/yyyy", false));
    const today = o.today();
    if (from > today) return json(searchStatus("30", "Entered fromDate exceed last update date", false));
    if (from < addDays(today, -29))
      return json(searchStatus("3", "Invalid Parameters: maximum lookback is 30 days", false));
    if (from > to) return json(searchStatus("3", "Invalid Parameters: fromDate after toDate", false));
    return updatesReply({ from, to }, p, aclStyle);
  };

  const daily = (p: URLSearchParams, aclStyle: boolean): Reply => {
    const today = o.today();
    return updatesReply({ from: addDays(today, -1), to: today }, p, aclStyle);
  };

  const listPartSearch = (p: URLSearchParams): Reply => {
    let wanted: { partNumber?: string; manufacturer?: string }[];
    try {
      wanted = JSON.parse(p.get("partNumber") ?? "[]") as typeof wanted;
    } catch {
      return json(searchStatus("3", "Invalid Parameters: partNumber is a JSON list", false));
    }
    if (!Array.isArray(wanted) || wanted.length === 0)
      return json(searchStatus("3", "Invalid Parameters", false));
    if (wanted.length > 50) return json(searchStatus("3", "Invalid Parameters: at most 50 parts", false));
    const result = wanted.map((w) => {
      const hits = o.parts.filter(
        (x) => x.partNumber.toLowerCase() === String(w.partNumber ?? "").toLowerCase(),
      );
      return {
        PartData: {
          RequestedPart: w.partNumber ?? "",
          RequestedManufacturer: w.manufacturer ?? "",
          PartList:
            hits.length === 0
              ? ""
              : {
                  PartDto: oneOrMany(
                    hits.map((x) => ({
                      ComID: x.comId,
                      PartNumber: x.partNumber,
                      Manufacturer: x.manufacturer,
                      Lifecycle: x.lifecycle,
                      RoHS: "Yes",
                      YEOL: "4.2",
                    })),
                  ),
                },
        },
      };
    });
    return ok({ Result: oneOrMany(result) });
  };

  const partDetail = (p: URLSearchParams): Reply => {
    const ids = (p.get("comIds") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return json(searchStatus("3", "Invalid Parameters: comIds", false));
    if (ids.length > 50) return json(searchStatus("3", "Invalid Parameters: at most 50 ComIDs", false));
    if (o.quota < ids.length) return json(searchStatus("6", "Quota Exceeded", false));
    o.quota -= ids.length;
    const dtos = ids.flatMap((id) => {
      const x = o.parts.find((q) => q.comId === id);
      if (!x) return [];
      return [
        {
          RequestedComID: id,
          SummaryData: { PartNumber: x.partNumber, Manufacturer: x.manufacturer },
          LifeCycleData: {
            PartStatus: x.lifecycle,
            LTBDate: x.ltbDate ?? "",
            EstimatedEOLDate: "2037",
            EstimatedYearsToEOL: "0",
            OverallRisk: "0%",
          },
          PCNData: {
            PCNDto: {
              LastEOLNumber: x.eolNumber ?? "",
              LastEOLDate: x.since ?? "",
              LastTimeBuyDate: x.ltbDate ?? "",
              LastShipDate: x.lastShipDate ?? "",
            },
          },
          History: {
            Lifecycle: x.since
              ? oneOrMany([
                  { Date: "Jun 14, 2016", Lifecycle: "Active", SourceName: "Datasheet" },
                  { Date: x.since, Lifecycle: x.lifecycle, SourceName: "Product Change Notice (PCN)" },
                ])
              : "",
          },
        },
      ];
    });
    if (dtos.length === 0) return json(searchStatus("4", "No Results Found", false));
    return ok({ Results: { ResultDto: oneOrMany(dtos) } });
  };

  const listAcl = (p: URLSearchParams): Reply => {
    const page = Number(p.get("pageNo") ?? "1");
    const per = Number(p.get("perPage") ?? "50");
    const ids = [...acl].slice((page - 1) * per, page * per);
    if (ids.length === 0) return json(searchStatus("3", "No Results Found", false));
    return json({
      Status: { Code: 200, Message: "Success", Success: true },
      resultSize: ids.length,
      insertionDate: "2024-06-01T12:00:00Z",
      addedParts: oneOrMany(
        ids.map((id) => {
          const x = o.parts.find((q) => q.comId === id);
          return { sePartNumber: x?.partNumber ?? "", seManufacturer: x?.manufacturer ?? "", comId: id };
        }),
      ),
    });
  };

  const addAcl = (p: URLSearchParams): Reply => {
    const ids = (p.get("comIds") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const added = ids.filter((id) => !acl.has(id));
    if (ids.length === 0) return json(searchStatus("3", "Invalid Parameters: comIds", false));
    if (added.length === 0) return json(searchStatus("3", "Parts already exist", false));
    for (const id of added) acl.add(id);
    return json({
      message: "Parts added successfully using comIds.",
      addedComIds: added.map(Number),
      status: "success",
    });
  };

  const routes: Record<string, (p: URLSearchParams) => Reply> = {
    "search/alert/getUpdates": (p) => range(p, false),
    "ACLAPI/updates": (p) => range(p, true),
    "search/alert/getUpdatesOfTheDay": (p) => daily(p, false),
    "ACLAPI/updates/daily": (p) => daily(p, true),
    "search/listPartSearch": listPartSearch,
    "search/partDetail": partDetail,
    "search/userStatus": () =>
      ok({
        UserStatus: {
          CreationDate: "September 22, 2025",
          ExpirationDate: "December 31, 2026",
          PartDetailLimit: "10000",
          PartDetailRemaining: String(o.quota),
          AclPartsCount: String(acl.size),
        },
      }),
    "search/alert/listParts": listAcl,
    "ACLAPI/acl": listAcl,
    "search/alert/addPart": addAcl,
    "ACLAPI/acl/add": addAcl,
  };

  const respond = (req: FakeRequest): Reply => {
    const path = req.path.replace(/^\/ProductAPI\//, "").replace(/\/+$/, "");
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const i = injected.findIndex((x) => path.includes(x.part));
    let inj: Reply | "truncate" | null = null;
    if (i >= 0 && injected[i]!.skip > 0) injected[i]!.skip--;
    else if (i >= 0) inj = injected.splice(i, 1)[0]!.reply;
    if (inj && inj !== "truncate") return inj;
    const p = paramsOf(req);
    let reply: Reply;
    if (path === "search/authenticateUser") reply = authenticate(p);
    else {
      const handler = routes[path];
      if (!handler) return json({ error: "Not Found", path: req.path }, 404);
      reply = session(req) ?? handler(p);
    }
    if (inj === "truncate")
      return { ...reply, body: (reply.body ?? "").slice(0, Math.floor((reply.body ?? "").length / 2)) };
    return reply;
  };

  const http = await startHttpFake(
    {
      name: "siliconexpert",
      validate: () => null,
      ok: { status: 200 },
      tooMany: (s) =>
        json({ Status: { Code: "8", Message: "Rate Limited", Success: "false" } }, 429, {
          "retry-after": String(s),
        }),
      respond,
    },
    opts.behaviour ?? {},
  );
  Object.assign(fake, {
    baseUrl: `${new URL(http.url).origin}/ProductAPI`,
    http,
    logins: 0,
    acl,
    options: o,
    expireSessions() {
      for (const id of sessions) expired.add(id);
      sessions.clear();
    },
    truncateNext(part: string, skip = 0) {
      injected.push({ part, reply: "truncate", skip });
    },
    inject(part: string, reply: Reply) {
      injected.push({ part, reply, skip: 0 });
    },
    calls(part: string) {
      let n = 0;
      for (const [k, v] of counts) if (k.includes(part)) n += v;
      return n;
    },
    close: () => http.close(),
  } satisfies Omit<SeFake, never>);
  return fake;
}
