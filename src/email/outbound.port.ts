/**
 * The port for an outbound GET of a URL that came from a request (Mailgun's `message-url`, SNS's
 * `SigningCertURL` and `SubscribeURL`). Callers check the URL first (`checkOutboundUrl`: https, no
 * credentials, an allow-listed host); the adapter (src/outbound/guarded.fetch.ts, wired by main.ts)
 * never follows a redirect — a 3xx comes back as it is, so the host checked is the host that
 * answered — and stops reading at `maxBytes`. Network failures throw; an oversize body is an outcome.
 */
export type GuardedGet = (url: URL, opts: GuardedGetOptions) => Promise<GuardedResponse>;

export interface GuardedGetOptions {
  headers?: Record<string, string>;
  maxBytes: number;
  timeoutMs: number;
}

export type GuardedResponse =
  | {
      kind: "response";
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: Buffer;
    }
  /** The body was larger than allowed: permanent for this URL. */
  | { kind: "too_large"; message: string };
