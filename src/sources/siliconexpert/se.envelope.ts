/**
 * SiliconExpert's answer envelope, as the public sources show it (reference notes.md): they do not
 * agree, so every variant is read.
 * - search endpoints: `{"Status": {"Code": "0", "Message": "…", "Success": "true"}}` (strings);
 * - ACL endpoints: `{"Status": {"Code": 200, "Success": true}}` (number, boolean);
 * - smart-PCN content and BOM operations: `{"status": {"code": "200", "success": "TRUE"}}`;
 * - the documented authenticateUser answer: `{"Code": 200, "Message": "…", "Success": true}` (no wrapper);
 * - ACL additions: `{"message": "…", "status": "success"}`.
 * "Always inspect both HTTP status and payload Status.Code/status.code" [SE-DOC]. Pure.
 */

export interface SeStatus {
  code: string | null;
  message: string;
  success: boolean | null;
}

export type SeVerdict =
  | "ok"
  /** The query matched nothing, or a page past the last one: an empty answer, not an error. */
  | "no_results"
  /** The session cookie is no longer valid: log in again and repeat the call. */
  | "session_expired"
  | "auth_failed"
  | "access_denied"
  | "quota"
  | "rate_limited"
  | "invalid"
  | "server_error"
  /** Neither a status we know nor a success: the answer cannot be trusted. */
  | "unreadable";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A key of `o` regardless of case (`Status` / `status`, `Code` / `code`). */
export function field(o: unknown, ...names: string[]): unknown {
  if (!isObj(o)) return undefined;
  for (const n of names) if (n in o) return o[n];
  const lower = new Map(Object.keys(o).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    if (k !== undefined) return o[k];
  }
  return undefined;
}

function toBool(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "success") return true;
    if (s === "false" || s === "failure" || s === "error") return false;
  }
  return null;
}

/** The status of an answer in any of the shapes above; null when the body carries none. */
export function readStatus(body: unknown): SeStatus | null {
  if (!isObj(body)) return null;
  const wrapped = field(body, "Status");
  const holder = isObj(wrapped) ? wrapped : body;
  const code = field(holder, "Code");
  const success = toBool(field(holder, "Success")) ?? (isObj(wrapped) ? null : toBool(wrapped));
  const message = field(holder, "Message") ?? field(body, "message");
  if (code === undefined && success === null) return null;
  return {
    code: typeof code === "number" || typeof code === "string" ? String(code).trim() : null,
    message: typeof message === "string" ? message : "",
    success,
  };
}

const NO_RESULTS = /no results? (?:were )?found|exceed(?:s|ed)? last update date/i;
const EXPIRED = /session (?:has )?expired|not authenticated|login required/i;
/** Adding a part the watch list already holds is what we wanted, not an error. */
const ALREADY = /already exists?/i;

/**
 * The verdict on one answer. `auth` marks the authenticateUser call, whose success code is 2 in one
 * source and 200 in another. Messages are read before codes where the sources disagree on the code:
 * a client in the wild ends its paging on code "7" with "No result found" and on code "30" "Entered
 * fromDate exceed last update date", while the published table says 7 is "Access Denied".
 */
export function verdictOf(httpStatus: number, body: unknown, opts: { auth?: boolean } = {}): SeVerdict {
  if (httpStatus === 429) return "rate_limited";
  if (httpStatus === 401) return opts.auth ? "auth_failed" : "session_expired";
  if (httpStatus === 403) return "access_denied";
  if (httpStatus >= 500) return "server_error";
  if (httpStatus >= 400) return "invalid";
  const s = readStatus(body);
  // The date-range updates are documented as a bare `{"alerts": […]}`: a 200 with a JSON object and
  // no status at all is data. A body that did not parse (a cut-off page) is not.
  if (!s) return isObj(body) ? "ok" : "unreadable";
  if (NO_RESULTS.test(s.message)) return "no_results";
  if (ALREADY.test(s.message)) return "ok";
  if (EXPIRED.test(s.message) && !opts.auth) return "session_expired";
  switch (s.code) {
    case "0":
    case "200":
      return s.success === false ? "unreadable" : "ok";
    case "2":
      return opts.auth ? "ok" : s.success === false ? "unreadable" : "ok";
    case "1":
    case "39":
      return opts.auth ? "auth_failed" : "session_expired";
    case "3":
      return "invalid";
    case "4":
    case "30":
      return "no_results";
    case "5":
      return opts.auth ? "auth_failed" : "session_expired";
    case "6":
      return "quota";
    case "7":
      return "access_denied";
    case "8":
      return "rate_limited";
    case "9":
      return "server_error";
  }
  if (s.success === true) return "ok";
  return "unreadable";
}

/** A value that must be a list but arrives as one object when there is one (or absent when none). */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === "") return [];
  return Array.isArray(v) ? v : [v];
}

/** A record's text field (numbers, as the API sends some, become strings); "" when absent. */
export function text(o: unknown, ...names: string[]): string {
  const v = field(o, ...names);
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return "";
}
