import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The shared machinery of our fake third-party webhooks (Slack, Teams, a Standard Webhooks
 * receiver): a loopback node:http server that records every request, enforces a rate limit and
 * Retry-After pauses the way the real services do, answers scripted or random errors, and detects
 * duplicate delivery ids. Each fake plugs in its own validation and success/error bodies.
 */
export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string | string[]>;
  /** Answer after this many ms (a slow destination). */
  delayMs?: number;
}

export interface Received {
  at: number;
  method: string;
  /** Path and query as requested. */
  url: string;
  deliveryId: string | null;
  headers: IncomingMessage["headers"];
  raw: string;
  json: unknown;
  status: number;
  /** True when this request arrived while a Retry-After we had answered was still running. */
  duringPause: boolean;
}

export interface FakeBehaviour {
  /** Requests per second the fake accepts; faster ones get 429 (null: no limit). */
  ratePerSec?: number | null;
  /** Slack and Teams tolerate a little jitter; arrivals closer than (1 − tolerance) × spacing are refused. */
  rateTolerance?: number;
  /** Probability of an unprovoked 429 (Slack does this under load). */
  random429?: number;
  retryAfterSec?: number;
  /** Deterministic randomness for the random 429s (seed it in tests). */
  random?: () => number;
  /** Replies used first, in order, before normal behaviour. */
  script?: Reply[];
  /** Sees each request's headers before its body is judged (receivers whose proof is in headers). */
  onHeaders?: (headers: Record<string, string>) => void;
  /** Runs after the request is recorded and before the reply (e.g. kill the sender). */
  onReceive?: (r: Received) => void | Promise<void>;
}

/** A request as an API fake sees it (for fakes that answer more than one webhook URL). */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  raw: string;
}

export interface ServiceRules {
  name: string;
  /** Validates a parsed body; returns the refusal to answer, or null when the payload is fine. */
  validate(raw: string): Reply | null;
  ok: Reply;
  tooMany(retryAfterSec: number): Reply;
  /**
   * An API rather than a webhook: answers every request itself (any method, any path) once the
   * shared rate limit, pauses and scripted replies have let it through. `validate` and `ok` are
   * then unused.
   */
  respond?(req: FakeRequest): Reply | Promise<Reply>;
  /**
   * Other endpoints of the same service (Slack's response URLs and Web API): given every request that
   * is not a POST to the webhook path, returns its reply. Not rate-limited, not in `received`.
   */
  other?(req: FakeRequest): Reply;
}

export interface HttpFake {
  url: string;
  received: Received[];
  /** Requests answered 2xx. */
  accepted(): Received[];
  /** Delivery ids accepted more than once. */
  duplicates(): string[];
  /** Requests that arrived during a Retry-After pause. */
  requestsDuringPause(): number;
  /** Payloads refused by validation, with the refusal body. */
  invalid: { deliveryId: string | null; reply: string }[];
  setBehaviour(b: Partial<FakeBehaviour>): void;
  /** Forgets everything received and any running pause (between tests sharing one fake). */
  reset(): void;
  close(): Promise<void>;
}

/** Park–Miller LCG: small, deterministic, good enough to pick random 429s. */
export function seededRandom(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

export async function startHttpFake(rules: ServiceRules, initial: FakeBehaviour = {}): Promise<HttpFake> {
  let b: FakeBehaviour = { rateTolerance: 0.1, retryAfterSec: 1, ...initial };
  const received: Received[] = [];
  const invalid: HttpFake["invalid"] = [];
  let pausedUntil = 0;
  let lastAcceptedAt = Number.NEGATIVE_INFINITY;

  const decide = (req: FakeRequest, now: number): Reply | Promise<Reply> => {
    const raw = req.raw;
    const scripted = b.script?.shift();
    if (scripted) return scripted;
    if (now < pausedUntil) return rules.tooMany(Math.ceil((pausedUntil - now) / 1000));
    if (b.ratePerSec) {
      const spacing = 1000 / b.ratePerSec;
      if (now - lastAcceptedAt < spacing * (1 - (b.rateTolerance ?? 0)))
        return rules.tooMany(b.retryAfterSec ?? 1);
    }
    if (b.random429 && (b.random ?? Math.random)() < b.random429) return rules.tooMany(b.retryAfterSec ?? 1);
    if (rules.respond) return rules.respond(req);
    return rules.validate(raw) ?? rules.ok;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const target = new URL(req.url ?? "/", "http://fake");
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: target.pathname,
      query: target.searchParams,
      headers: req.headers,
      raw,
    };
    if (rules.other && target.pathname !== `/${rules.name}/hook`) {
      const reply = rules.other(request);
      res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8", ...reply.headers });
      res.end(reply.body ?? "");
      return;
    }
    const now = Date.now();
    b.onHeaders?.(
      Object.fromEntries(
        Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
      ),
    );
    const duringPause = now < pausedUntil;
    const reply =
      req.method === "POST" || rules.respond
        ? await decide(request, now)
        : { status: 405, body: "method_not_allowed" };
    if (reply.status === 429) {
      const ra = Number(reply.headers?.["retry-after"] ?? b.retryAfterSec ?? 1);
      pausedUntil = Math.max(pausedUntil, now + ra * 1000);
    }
    if (reply.status >= 200 && reply.status < 300) lastAcceptedAt = now;
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {}
    const header = req.headers["x-eolgate-delivery"];
    const r: Received = {
      at: now,
      method: request.method,
      url: req.url ?? "/",
      deliveryId: typeof header === "string" ? header : null,
      headers: req.headers,
      raw,
      json,
      status: reply.status,
      duringPause,
    };
    received.push(r);
    if (reply.status === 400) invalid.push({ deliveryId: r.deliveryId, reply: reply.body ?? "" });
    await b.onReceive?.(r);
    if (reply.delayMs) await new Promise((ok) => setTimeout(ok, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8", ...reply.headers });
    res.end(reply.body ?? "");
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  const accepted = () => received.filter((r) => r.status >= 200 && r.status < 300);
  return {
    url: `http://127.0.0.1:${port}/${rules.name}/hook`,
    received,
    invalid,
    accepted,
    duplicates: () => {
      const seen = new Set<string>();
      const dup = new Set<string>();
      for (const r of accepted()) {
        if (!r.deliveryId) continue;
        if (seen.has(r.deliveryId)) dup.add(r.deliveryId);
        seen.add(r.deliveryId);
      }
      return [...dup];
    },
    requestsDuringPause: () => received.filter((r) => r.duringPause).length,
    reset: () => {
      received.length = 0;
      invalid.length = 0;
      pausedUntil = 0;
      lastAcceptedAt = Number.NEGATIVE_INFINITY;
      b.script = [];
    },
    setBehaviour: (nb) => {
      b = { ...b, ...nb };
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
