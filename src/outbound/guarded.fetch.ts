import { type Dispatcher, request } from "undici";
import type { GuardedGet } from "../email/outbound.port.ts";

/**
 * The GuardedGet adapter (port: src/email/outbound.port.ts), built by the composition root: a GET
 * that never follows a redirect (undici's `request` does not, so the host the caller checked is the
 * host that answers; a 3xx is returned as it is and callers treat it as a failure) and cuts the body
 * off at a size limit, announced or not.
 */
export function createGuardedGet(opts: { dispatcher?: Dispatcher } = {}): GuardedGet {
  return async (url, o) => {
    const res = await request(url, {
      method: "GET",
      headers: o.headers,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const tooLarge = (message: string) => {
      res.body.destroy();
      return { kind: "too_large" as const, message };
    };
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > o.maxBytes)
      return tooLarge(`response from ${url.host} is ${declared} bytes, over ${o.maxBytes}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > o.maxBytes) return tooLarge(`response from ${url.host} exceeds ${o.maxBytes} bytes`);
      chunks.push(c as Buffer);
    }
    return { kind: "response", status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  };
}
