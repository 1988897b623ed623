/**
 * The running gateway's management API as seen from a CLI command on the same host (HOST, PORT,
 * API_TOKEN): the embedded store belongs to the gateway, so commands go through it while it runs.
 * Null when no gateway answers.
 */
export interface GatewayClient {
  call(method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function gatewayClient(config: {
  HOST: string;
  PORT: number;
  API_TOKEN?: string | undefined;
}): Promise<GatewayClient | null> {
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT}`;
  const headers: Record<string, string> = config.API_TOKEN
    ? { authorization: `Bearer ${config.API_TOKEN}` }
    : {};
  try {
    await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return null;
  }
  return {
    async call(method, path) {
      const res = await fetch(`${base}${path}`, { method, headers, signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status === 401) throw new Error("the gateway refused the API token (set API_TOKEN)");
      return { status: res.status, body };
    },
  };
}
