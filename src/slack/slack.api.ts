/**
 * The two outbound Slack calls of the interactivity flow, over fetch with a timeout:
 *  - `users.info` (Web API, bot token) for a user's profile e-mail, remembered for ten minutes;
 *  - a POST to an interaction's `response_url`, which updates the message in place
 *    (`replace_original`) or answers only the clicking person (`response_type: ephemeral`).
 * A response_url takes at most five posts within 30 minutes; retries here stay well inside that.
 */
export interface SlackApiOptions {
  apiUrl: string;
  botToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

const EMAIL_TTL_MS = 10 * 60_000;

export function createSlackEmailLookup(o: SlackApiOptions): (slackUserId: string) => Promise<string | null> {
  const f = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  const cache = new Map<string, { email: string | null; until: number }>();
  return async (userId) => {
    const hit = cache.get(userId);
    if (hit && hit.until > now()) return hit.email;
    const url = new URL("users.info", o.apiUrl.endsWith("/") ? o.apiUrl : `${o.apiUrl}/`);
    url.searchParams.set("user", userId);
    const res = await f(url, {
      headers: { authorization: `Bearer ${o.botToken}` },
      signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
    });
    if (!res.ok) throw new Error(`Slack users.info answered HTTP ${res.status}`);
    const body = (await res.json()) as {
      ok?: boolean;
      error?: string;
      user?: { profile?: { email?: string } };
    };
    if (!body.ok) {
      // An unknown user is an answer; a bad token or missing scope is a configuration problem.
      if (body.error === "user_not_found") return remember(cache, userId, null, now());
      throw new Error(`Slack users.info refused: ${body.error ?? "unknown error"}`);
    }
    return remember(cache, userId, body.user?.profile?.email ?? null, now());
  };
}

function remember(
  cache: Map<string, { email: string | null; until: number }>,
  id: string,
  email: string | null,
  at: number,
) {
  cache.set(id, { email, until: at + EMAIL_TTL_MS });
  return email;
}

import type { RespondOutcome, ResponseMessage } from "./slack.port.ts";

export type { RespondOutcome, ResponseMessage };

/** Posts to a response_url; retries a 5xx or network failure twice (1 s, 2 s), never a 4xx. */
export async function postResponse(
  url: string,
  message: ResponseMessage,
  o: { fetch?: typeof fetch; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RespondOutcome> {
  const f = o.fetch ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: RespondOutcome = { kind: "failed", status: null, detail: "not tried" };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await sleep(1000 * attempt);
    try {
      const res = await f(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
      });
      const detail = (await res.text()).slice(0, 200);
      if (res.ok) return { kind: "sent" };
      last = { kind: "failed", status: res.status, detail };
      if (res.status < 500 && res.status !== 429) return last;
    } catch (e) {
      last = { kind: "failed", status: null, detail: (e as Error).message };
    }
  }
  return last;
}
