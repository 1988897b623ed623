import type { OutgoingMessage } from "./message.ts";
import type { Destination } from "./routing.ts";

/**
 * The channel port: sending one message to one destination, and what came of it. The adapter is
 * channel.send.ts (HTTP), wired in src/main.ts. Expected outcomes are values; only a bug throws.
 *  - delivered: the destination took it.
 *  - rate_limited: 429; wait `retryAfterMs` (from Retry-After) before anything else goes there.
 *  - retryable: 5xx, timeout, connection error; try again later with backoff.
 *  - permanent: the destination will never take this message (Slack invalid_payload, no_service,
 *    channel_not_found…, 400/403/404/410); dead-letter it at once.
 */
export type SendOutcome =
  | { kind: "delivered"; status: number; body: string }
  | { kind: "rate_limited"; status: 429; retryAfterMs: number; body: string }
  | { kind: "retryable"; status: number | null; reason: string }
  | { kind: "permanent"; status: number; reason: string };

export type ChannelSender = (dest: Destination, message: OutgoingMessage) => Promise<SendOutcome>;
