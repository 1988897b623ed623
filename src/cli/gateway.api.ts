/**
 * A running gateway's management API as a command uses it when the gateway holds the embedded store
 * (PGlite is one process's). Bodies come back parsed; a 401 means the command lacks API_TOKEN.
 */
export interface GatewayApi {
  url: string;
  request(
    method: string,
    path: string,
    body?: { json: unknown } | { form: FormData },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
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
  return {
    url: base,
    async request(method, path, body) {
      const init: RequestInit = { method, headers: { ...auth }, signal: AbortSignal.timeout(120_000) };
      if (body && "json" in body) {
        init.headers = { ...auth, "content-type": "application/json" };
        init.body = JSON.stringify(body.json);
      } else if (body) init.body = body.form;
      const res = await fetch(`${base}${path}`, init);
      const text = await res.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { error: "not_json", message: text.slice(0, 200) };
      }
      if (res.status === 401)
        throw new CommandError(`the gateway at ${base} refused the API token: set API_TOKEN to its token`);
      return { status: res.status, body: parsed };
    },
  };
}

/** A command cannot do its job for a reason a person can fix: printed as one line, exit 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}
