import type { HttpConfig } from "../config.ts";

/**
 * A running gateway's management API as a command uses it when the gateway holds the embedded store
 * (PGlite is one process's). `request` parses the JSON answer; `fetch` hands the answer over as it
 * came (an XLSX export streams). A 401 or 403 means the command lacks an admin API_TOKEN: a
 * CommandError a person fixes, not a result.
 */
export interface GatewayApi {
  url: string;
  fetch(method: string, path: string, body?: { json: unknown } | { form: FormData }): Promise<Response>;
  request(
    method: string,
    path: string,
    body?: { json: unknown } | { form: FormData },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Where this machine's gateway answers by the settings (HOST:PORT, a wildcard host as loopback). */
export function localGatewayUrl(config: Pick<HttpConfig, "HOST" | "PORT">): string {
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT}`;
}

/** The API at `url` when it answers /healthz within 2 s, else null. */
export async function reachGateway(url: string, apiToken: string | undefined): Promise<GatewayApi | null> {
  const base = url.replace(/\/$/, "");
  try {
    const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
    if (!r.ok) return null;
  } catch {
    return null;
  }
  const auth: Record<string, string> = apiToken ? { authorization: `Bearer ${apiToken}` } : {};
  const send: GatewayApi["fetch"] = async (method, path, body) => {
    const init: RequestInit = { method, headers: { ...auth }, signal: AbortSignal.timeout(120_000) };
    if (body && "json" in body) {
      init.headers = { ...auth, "content-type": "application/json" };
      init.body = JSON.stringify(body.json);
    } else if (body) init.body = body.form;
    const res = await fetch(`${base}${path}`, init);
    if (res.status === 401)
      throw new CommandError(`the gateway at ${base} refused the API token: set API_TOKEN to its token`);
    if (res.status === 403)
      throw new CommandError(`the gateway at ${base} refused the request: API_TOKEN is not an admin's`);
    return res;
  };
  return {
    url: base,
    fetch: send,
    async request(method, path, body) {
      const res = await send(method, path, body);
      const text = await res.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { error: "not_json", message: text.slice(0, 200) };
      }
      return { status: res.status, body: parsed };
    },
  };
}

/** The gateway answering on this machine's HOST:PORT with API_TOKEN, or null when none answers. */
export function runningGateway(
  config: Pick<HttpConfig, "HOST" | "PORT" | "API_TOKEN">,
): Promise<GatewayApi | null> {
  return reachGateway(localGatewayUrl(config), config.API_TOKEN);
}

/** A command cannot do its job for a reason a person can fix: printed as one line, exit 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}
