import type { ChannelSender, SendOutcome } from "./channel.port.ts";
import type { ChannelKind } from "./routing.ts";
import { renderSlack } from "./slack.message.ts";
import { renderTeams } from "./teams.message.ts";
import { renderWebhook, signedHeaders } from "./webhook.message.ts";

/** Sending one message to one destination over HTTP, and classifying the answer (channel.port.ts). */

/** The header carrying the delivery id, so receivers (and our fakes) can detect a repeat. */
export const DELIVERY_HEADER = "x-eolgate-delivery";

export interface HttpSenderOptions {
  timeoutMs: number;
  now: () => number;
  /** The `whsec_` secret for the generic webhook (WEBHOOK_SECRET). */
  webhookSecret?: string | undefined;
  /** When a 429 carries no usable Retry-After. */
  defaultRetryAfterMs?: number;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number, fallbackMs: number): number {
  if (!value) return fallbackMs;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.max(0, Math.ceil(Number(v) * 1000));
  const at = Date.parse(v);
  return Number.isNaN(at) ? fallbackMs : Math.max(0, at - nowMs);
}

export function classify(
  channel: ChannelKind,
  status: number,
  body: string,
  retryAfterMs: number,
): SendOutcome {
  const reason = body.slice(0, 300) || `HTTP ${status}`;
  if (status === 429) return { kind: "rate_limited", status, retryAfterMs, body: reason };
  // Slack answers 200 "ok"; a Teams workflow answers 202 Accepted; webhooks any 2xx.
  if (status >= 200 && status < 300) return { kind: "delivered", status, body: body.slice(0, 300) };
  if (status === 408 || status === 425 || status >= 500) return { kind: "retryable", status, reason };
  if (channel === "webhook" && status === 409) return { kind: "retryable", status, reason };
  return { kind: "permanent", status, reason };
}

export function createHttpSender(opts: HttpSenderOptions): ChannelSender {
  const fallback = opts.defaultRetryAfterMs ?? 1000;
  return async (dest, message) => {
    const nowDate = new Date(opts.now());
    let body: string;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      [DELIVERY_HEADER]: message.deliveryId,
    };
    if (dest.channel === "slack") body = JSON.stringify(renderSlack(message));
    else if (dest.channel === "teams") body = JSON.stringify(renderTeams(message));
    else {
      body = JSON.stringify(renderWebhook(message, nowDate));
      Object.assign(headers, signedHeaders(message.deliveryId, body, nowDate, opts.webhookSecret));
    }
    try {
      const res = await fetch(dest.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: "error",
      });
      const text = await res.text();
      return classify(
        dest.channel,
        res.status,
        text,
        parseRetryAfter(res.headers.get("retry-after"), opts.now(), fallback),
      );
    } catch (e) {
      const name = e instanceof Error ? e.name : "Error";
      // Never echo the URL: for Slack and Teams it is the credential.
      const reason =
        name === "TimeoutError" ? `timeout after ${opts.timeoutMs} ms` : `connection failed (${name})`;
      return { kind: "retryable", status: null, reason };
    }
  };
}
