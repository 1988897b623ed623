import type { HttpConfig } from "../config.ts";

/**
 * The running gateway's API as a CLI backend. The embedded (PGlite) store belongs to the gateway
 * process, so commands that change or read it ask the gateway when one answers on HOST:PORT, with
 * API_TOKEN as the bearer; on PostgreSQL they use the store directly.
 */
export interface GatewayClient {
  base: string;
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function runningGateway(
  config: Pick<HttpConfig, "HOST" | "PORT" | "API_TOKEN">,
): Promise<GatewayClient | null> {
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT}`;
  try {
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return null;
  }
  return {
    base,
    async call(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(config.API_TOKEN ? { authorization: `Bearer ${config.API_TOKEN}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
      if (res.status === 401)
        throw new Error("the running gateway refused the request: set API_TOKEN (or stop the gateway)");
      if (res.status === 403)
        throw new Error("the running gateway refused the request: API_TOKEN is not an admin");
      return res;
    },
  };
}

/** A call whose answer is a JSON object, as the management API's answers are. */
export async function callJson(
  gw: GatewayClient,
  method: string,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await gw.call(method, path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
