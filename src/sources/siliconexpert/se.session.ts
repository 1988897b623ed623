import type { SourceFailure } from "../source.ts";

/**
 * The port the SiliconExpert source and platform call through: one logged-in ProductAPI session.
 * The adapter (`se.client.ts`: HTTP, cookies, re-login, Retry-After) is built by the composition
 * root from these settings (`connectSiliconExpert`), so the sources never reach the network
 * themselves.
 */
export interface SeSession {
  /** Calls `search/<path>` in this session, logging in first when needed. */
  call(path: string, params: Record<string, string>, signal: AbortSignal): Promise<SeCallResult>;
}

export type SeCallResult =
  | { kind: "ok"; body: unknown }
  | { kind: "no_results" }
  | { kind: "failed"; failure: SourceFailure };

/** What a session is opened with: the account, the timings, and the shared request pacing. */
export interface SeSessionSettings {
  /** Up to and including `/ProductAPI`, e.g. https://api.siliconexpert.com/ProductAPI */
  baseUrl: string;
  login: string;
  apiKey: string;
  timeoutMs: number;
  /** Waits for a request token; resolves when one may be sent. */
  throttle: (signal: AbortSignal) => Promise<void>;
  /** Tells the shared gate that the platform asked for a pause. */
  pause: (ms: number) => Promise<void>;
  /** Retry-After pauses up to this long are waited out inside the call. */
  maxInlineWaitMs: number;
  now: () => Date;
}

/** Opens a session (the composition root passes the HTTP adapter). */
export type SeConnect = (settings: SeSessionSettings) => SeSession;
